import { Extension } from '@tiptap/core';
import type { Mark, Node as PMNode } from '@tiptap/pm/model';
import { Plugin, PluginKey, TextSelection, type EditorState, type Transaction } from '@tiptap/pm/state';
import { ReplaceStep } from '@tiptap/pm/transform';
import type { EditorView } from '@tiptap/pm/view';
import { createBracket, proposeInsertion } from '../../../shared/model/bracket-proposals.js';
import { modeRefusal } from '../../../shared/model/update-rules.js';
import type { Actor } from '../../../shared/schema/negotiation.js';
import { editRefusal } from '../../negotiation/actions.js';
import { act } from '../../negotiation/participant.js';
import { NEGOTIATION_ORIGIN } from '../negotiation-origin.js';
import { blockId, bracketMarkOf, findBlockPos } from '../positions.js';
import { typingRuleOf } from './drafting-mode.js';
import { negotiationOf } from './negotiation.js';
import { isRemote, judgeOf, refusalIn, throttledNotice, type TextJudge } from './option-guard.js';

/**
 * Typing outside open drafting, for a delegate. In proposals mode the text
 * does not change under their keys: typed words become an insertion
 * proposal of their delegation, words typed over a selection a replacement
 * (the selection bracketed, the typed words its alternative), Delete on a
 * selection a deletion proposal; typing in their own alternative edits it.
 * With the pen holder (the chair) nothing they type changes the text. What
 * neither allows is refused in the page, before the server has to.
 */

export const SELECT_TO_DELETE = 'In proposals mode, select the words to propose deleting them';
const ONE_PARAGRAPH = 'A proposal stays inside one paragraph: select words in one paragraph';
const INSIDE_BRACKET = 'This place is inside a bracket: propose an alternative in the bracket card instead';
const ALREADY_BRACKETED = 'This text is already in brackets: add an alternative to that bracket instead';
const NOT_SAVED = 'This paragraph is not saved yet; try again in a moment';

/**
 * What typing over [from, to) becomes: an edit of one's own alternative
 * (positions, and the marks its text carries), an insertion proposal or a
 * replacement (block offsets, as the model counts them), or nothing, and why.
 */
export type TypingPlan =
  | { kind: 'refuse'; reason: string }
  | { kind: 'own'; from: number; to: number; marks: readonly Mark[] }
  | { kind: 'insert'; paragraphId: string; at: number }
  | { kind: 'replace'; paragraphId: string; from: number; to: number };

export type DeletionPlan = { kind: 'refuse'; reason: string } | { kind: 'own' } | { kind: 'delete'; paragraphId: string; from: number; to: number };

type Paragraph = { id: string; start: number } | { reason: string };

/** The paragraph holding [from, to), which a proposal may not leave. */
function paragraphOf(doc: PMNode, from: number, to: number): Paragraph {
  const $from = doc.resolve(from);
  if (!$from.parent.isTextblock || $from.parent !== doc.resolve(to).parent) return { reason: ONE_PARAGRAPH };
  const id = blockId($from.parent);
  return id ? { id, start: $from.start() } : { reason: NOT_SAVED };
}

/** The marks of [from, to) when all of it is text of one of this person's own alternatives. */
function ownText(doc: PMNode, from: number, to: number, judge: TextJudge): readonly Mark[] | null {
  let marks: readonly Mark[] | null = null;
  let option: string | null = null;
  let own = true;
  doc.nodesBetween(from, to, (node) => {
    if (!node.isInline) return true;
    const mark = node.isText ? bracketMarkOf(node) : null;
    if (!mark || !judge.own(mark) || (option !== null && option !== mark.option)) own = false;
    else if (option === null) {
      option = mark.option;
      marks = node.marks;
    }
    return false;
  });
  return own ? marks : null;
}

/** Is any text of [from, to) in brackets? */
function bracketedIn(doc: PMNode, from: number, to: number): boolean {
  let found = false;
  doc.nodesBetween(from, to, (node) => {
    if (node.isText && bracketMarkOf(node)) found = true;
    return !found;
  });
  return found;
}

export function typingPlan(doc: PMNode, from: number, to: number, judge: TextJudge): TypingPlan {
  const paragraph = paragraphOf(doc, from, to);
  if ('reason' in paragraph) return { kind: 'refuse', reason: paragraph.reason };
  if (to > from) {
    const marks = ownText(doc, from, to, judge);
    if (marks) return { kind: 'own', from, to, marks };
    const refusal = refusalIn(doc, from, to, judge);
    if (refusal || bracketedIn(doc, from, to)) return { kind: 'refuse', reason: refusal ?? ALREADY_BRACKETED };
    return { kind: 'replace', paragraphId: paragraph.id, from: from - paragraph.start, to: to - paragraph.start };
  }
  // The bracket mark is not inclusive: at the end (or start) of one's own alternative, typing goes into it.
  const $pos = doc.resolve(from);
  for (const node of [$pos.nodeBefore, $pos.nodeAfter]) {
    const mark = node?.isText ? bracketMarkOf(node) : null;
    if (node && mark && judge.own(mark)) return { kind: 'own', from, to, marks: node.marks };
  }
  const before = bracketMarkOf($pos.nodeBefore);
  const after = bracketMarkOf($pos.nodeAfter);
  if (before && after && before.group === after.group) {
    return { kind: 'refuse', reason: (before.option === after.option ? judge.refusal(before) : null) ?? INSIDE_BRACKET };
  }
  return { kind: 'insert', paragraphId: paragraph.id, at: from - paragraph.start };
}

/** What Backspace (`backward`) or Delete becomes on the current selection. */
export function deletionPlan(state: EditorState, backward: boolean, judge: TextJudge): DeletionPlan {
  const { from, to, empty, $from } = state.selection;
  if (empty) {
    const neighbour = backward ? $from.nodeBefore : $from.nodeAfter;
    const mark = neighbour?.isText ? bracketMarkOf(neighbour) : null;
    if (mark && judge.own(mark)) return { kind: 'own' };
    return { kind: 'refuse', reason: (mark && judge.refusal(mark)) || SELECT_TO_DELETE };
  }
  const plan = typingPlan(state.doc, from, to, judge);
  if (plan.kind === 'replace') return { kind: 'delete', paragraphId: plan.paragraphId, from: plan.from, to: plan.to };
  return plan.kind === 'own' ? { kind: 'own' } : plan.kind === 'refuse' ? plan : { kind: 'refuse', reason: SELECT_TO_DELETE };
}

/**
 * Does the transaction only edit text of this person's own alternatives
 * (typing in one, next to its text, or deleting from it)? The one kind of
 * local change proposals mode lets through as it is.
 */
export function ownEditsOnly(tr: Transaction, judge: TextJudge): boolean {
  return tr.steps.every((step, i) => step instanceof ReplaceStep && ownEdit(step, tr.docs[i]!, judge));
}

function ownEdit(step: ReplaceStep, doc: PMNode, judge: TextJudge): boolean {
  const $from = doc.resolve(step.from);
  const $to = doc.resolve(step.to);
  if (!$from.parent.isTextblock || $from.parent !== $to.parent) return false;
  if (step.to > step.from && !ownText(doc, step.from, step.to, judge)) return false;
  const { slice } = step;
  if (slice.size === 0) return step.to > step.from;
  if (slice.openStart !== 0 || slice.openEnd !== 0) return false;
  const options = new Set<string>();
  let own = true;
  slice.content.forEach((node) => {
    const mark = node.isText ? bracketMarkOf(node) : null;
    if (mark && judge.own(mark)) options.add(mark.option);
    else own = false;
  });
  const [option] = options;
  if (!own || options.size !== 1) return false;
  // Next to (or in place of) text of that same alternative: not the same words typed somewhere else.
  return [$from.nodeBefore, $from.nodeAfter, $to.nodeAfter].some((node) => bracketMarkOf(node)?.option === option);
}

const proposalTypingKey = new PluginKey('proposalTyping');

/** Puts the caret at a block offset of a paragraph (after the model wrote a proposal there). */
function caretAt(view: EditorView, paragraphId: string, offset: number): void {
  const pos = findBlockPos(view.state.doc, paragraphId);
  const node = pos === null ? null : view.state.doc.nodeAt(pos);
  if (pos === null || !node) return;
  const at = pos + 1 + Math.min(offset, node.content.size);
  view.dispatch(view.state.tr.setSelection(TextSelection.create(view.state.doc, at)).scrollIntoView());
}

/** What typed text replaces: the selection, or the word a spelling correction names (null when it cannot be placed). */
function replacedRange(view: EditorView, event: InputEvent): { from: number; to: number } | null {
  const { from, to } = view.state.selection;
  if (event.inputType !== 'insertReplacementText') return { from, to };
  const [target] = event.getTargetRanges();
  if (!target) return null;
  try {
    return { from: view.posAtDOM(target.startContainer, target.startOffset), to: view.posAtDOM(target.endContainer, target.endOffset) };
  } catch {
    return null;
  }
}

export const ProposalTyping = Extension.create({
  name: 'proposalTyping',

  addProseMirrorPlugins() {
    const editor = this.editor;
    const negotiation = negotiationOf(editor);
    const say = throttledNotice((message) => negotiation.notify(message));
    const rule = () => typingRuleOf(editor);
    /** Why this keystroke cannot change the text as typed, in the mode in force. */
    const refused = () => {
      say(modeRefusal(rule() === 'pen-holder' ? 'pen-holder' : 'proposals'));
      return true;
    };

    /** Through the model, as the person's delegation: `undefined` when it did not happen (the reason was shown). */
    const write = <T>(paragraphId: string, operation: (actor: Actor) => T): T | undefined => {
      const locked = editRefusal(negotiation, paragraphId);
      if (!locked) return act(negotiation.participant.identity, negotiation.notify, operation)?.value;
      say(locked);
      return undefined;
    };

    const propose = (view: EditorView, from: number, to: number, text: string): true => {
      const plan = typingPlan(view.state.doc, from, to, judgeOf(negotiation));
      const doc = negotiation.index.doc;
      if (plan.kind === 'refuse') say(plan.reason);
      else if (plan.kind === 'own') {
        const tr = view.state.tr.replaceWith(plan.from, plan.to, view.state.schema.text(text, plan.marks));
        view.dispatch(tr.setSelection(TextSelection.create(tr.doc, plan.from + text.length)).scrollIntoView());
      } else if (plan.kind === 'insert') {
        const { paragraphId, at } = plan;
        if (write(paragraphId, (actor) => proposeInsertion(doc, { paragraphId, at, text, actor }, NEGOTIATION_ORIGIN))) caretAt(view, paragraphId, at + text.length);
      } else {
        const { paragraphId, from: start, to: end } = plan;
        const made = write(paragraphId, (actor) => createBracket(doc, { paragraphId, from: start, to: end, actor, propose: { text } }, NEGOTIATION_ORIGIN));
        if (made) caretAt(view, paragraphId, end + text.length);
      }
      return true;
    };

    const deleteSelection = (view: EditorView, backward: boolean): boolean => {
      const plan = deletionPlan(view.state, backward, judgeOf(negotiation));
      if (plan.kind === 'own') return false;
      if (plan.kind === 'refuse') {
        say(plan.reason);
        return true;
      }
      const { paragraphId, from, to } = plan;
      const doc = negotiation.index.doc;
      if (write(paragraphId, (actor) => createBracket(doc, { paragraphId, from, to, actor, propose: { text: '' } }, NEGOTIATION_ORIGIN))) caretAt(view, paragraphId, to);
      return true;
    };

    return [
      new Plugin({
        key: proposalTypingKey,
        props: {
          handleTextInput: (view, from, to, text) => {
            if (rule() === 'free') return false;
            return rule() === 'pen-holder' ? refused() : propose(view, from, to, text);
          },
          handleKeyDown: (view, event) => {
            if (rule() === 'free' || event.isComposing) return false;
            if (event.key === 'Enter') return refused();
            if (event.key !== 'Backspace' && event.key !== 'Delete') return false;
            return rule() === 'pen-holder' ? refused() : deleteSelection(view, event.key === 'Backspace');
          },
          handlePaste: (view, event) => {
            if (rule() === 'free') return false;
            const text = event.clipboardData?.getData('text/plain') ?? '';
            // Words from the clipboard are proposed as typed words would be; paragraphs and formatting are the pen holder's.
            if (rule() === 'proposals' && text && !/[\r\n]/.test(text)) return propose(view, view.state.selection.from, view.state.selection.to, text);
            return refused();
          },
          handleDrop: () => (rule() === 'free' ? false : refused()),
          handleDOMEvents: {
            // Typed characters are taken before the browser puts them in the page (a composition cannot be: it is read afterwards).
            beforeinput: (view, event) => {
              const input = event as InputEvent;
              if (rule() === 'free' || input.inputType.startsWith('insertComposition') || input.inputType.startsWith('history')) return false;
              const typed = input.inputType === 'insertText' || input.inputType === 'insertReplacementText';
              if (!typed && input.inputType.startsWith('delete') && rule() === 'proposals') return false;
              event.preventDefault();
              const text = input.data ?? input.dataTransfer?.getData('text/plain') ?? '';
              const range = typed ? replacedRange(view, input) : null;
              if (range && text && rule() === 'proposals') return propose(view, range.from, range.to, text);
              return refused();
            },
          },
        },
        filterTransaction: (tr) => {
          if (!tr.docChanged || isRemote(tr)) return true;
          const current = rule();
          if (current === 'free' || (current === 'proposals' && ownEditsOnly(tr, judgeOf(negotiation)))) return true;
          // Ids the editor gives new blocks by itself are not the person's doing: no notice for those.
          if (!tr.getMeta('__uniqueIDTransaction') && tr.getMeta('addToHistory') !== false) refused();
          return false;
        },
      }),
    ];
  },
});
