import { Extension } from '@tiptap/core';
import type { Node as PMNode, Slice } from '@tiptap/pm/model';
import { Plugin, PluginKey, type EditorState, type Transaction } from '@tiptap/pm/state';
import { AddMarkStep, RemoveMarkStep, ReplaceAroundStep, ReplaceStep, type Step } from '@tiptap/pm/transform';
import type { EditorView } from '@tiptap/pm/view';
import { ySyncPluginKey } from '@tiptap/y-tiptap';
import { optionTextRefusal } from '../../../shared/model/bracket-positions.js';
import type { OptionView } from '../../../shared/model/brackets.js';
import { presides } from '../../../shared/model/permissions.js';
import { BRACKET_MARK, type BracketMarkAttrs } from '../../../shared/schema/negotiation.js';
import type { Negotiation } from '../../negotiation/actions.js';
import type { GroupItem } from '../../negotiation/negotiation-index.js';
import { bracketMarkOf } from '../positions.js';
import { negotiationOf } from './negotiation.js';

/**
 * Text of a bracket belongs to someone: an alternative to its proponents,
 * the original (bracketed) text to nobody until the chair resolves the
 * bracket. In every drafting mode a delegate's edit that would change such
 * text is stopped here, with the reason, before the server has to refuse it
 * (shared/model/update-rules.ts judges the same with optionTextRefusal). The
 * chair and the secretariat edit inside brackets to build a compromise.
 */

export const REMOVING_BRACKETS = 'Only the chair or the secretariat can remove brackets or move text between options';

/** What the guard knows of one bracket option: its group's state and the option itself. */
type OptionFacts = { open: boolean; option: Pick<OptionView, 'kind' | 'proponents'> };
export type OptionLookup = (mark: BracketMarkAttrs) => OptionFacts | null;

/** How one person may touch bracketed text. */
export type TextJudge = {
  /** Why the text carrying this mark may not change, or null when it may (plain text, one's own wording). */
  refusal: (mark: BracketMarkAttrs) => string | null;
  /** Is this the text of an alternative this person's delegation proposes (typing in it edits its own proposal)? */
  own: (mark: BracketMarkAttrs) => boolean;
};

const lookups = new WeakMap<GroupItem[], OptionLookup>();

/** The options of the index's groups by mark, built once per list of groups (the list keeps its identity while unchanged). */
export function lookupOf(groups: GroupItem[]): OptionLookup {
  let lookup = lookups.get(groups);
  if (!lookup) {
    const byGroup = new Map(groups.map((g) => [g.id, g]));
    lookup = (mark) => {
      const group = byGroup.get(mark.group);
      const option = group?.options.find((o) => o.id === mark.option);
      return group && option ? { open: group.status === 'open', option } : null;
    };
    lookups.set(groups, lookup);
  }
  return lookup;
}

/** A mark naming nothing readable, or a resolved group, reads as plain text (as the model's readers read it). */
export function textJudge(lookup: OptionLookup, delegation: string, presiding: boolean): TextJudge {
  const openOption = (mark: BracketMarkAttrs) => {
    const facts = lookup(mark);
    return facts?.open ? facts.option : null;
  };
  return {
    refusal: (mark) => {
      const option = openOption(mark);
      return option ? optionTextRefusal(option, delegation, presiding) : null;
    },
    own: (mark) => {
      const option = openOption(mark);
      return option?.kind === 'text' && option.proponents.includes(delegation);
    },
  };
}

export function judgeOf(negotiation: Negotiation): TextJudge {
  const { identity, role } = negotiation.participant;
  return textJudge(lookupOf(negotiation.index.snapshot().groups), identity.delegation, presides(role));
}

/** The first refusal for bracketed text in [from, to) of `doc`. */
export function refusalIn(doc: PMNode, from: number, to: number, judge: TextJudge): string | null {
  let refusal: string | null = null;
  if (to <= from) return null;
  doc.nodesBetween(from, to, (node) => {
    if (refusal) return false;
    const mark = node.isText ? bracketMarkOf(node) : null;
    if (mark) refusal = judge.refusal(mark);
    return true;
  });
  return refusal;
}

/** Text put at `pos` strictly inside one option (the same option on both sides) becomes that option's text. */
function insideOption(doc: PMNode, from: number, to = from): BracketMarkAttrs | null {
  const before = bracketMarkOf(doc.resolve(from).nodeBefore);
  const after = bracketMarkOf(doc.resolve(to).nodeAfter);
  return before && after && before.group === after.group && before.option === after.option ? before : null;
}

function sliceRefusal(slice: Slice, judge: TextJudge): string | null {
  let refusal: string | null = null;
  slice.content.descendants((node) => {
    const mark = !refusal && node.isText ? bracketMarkOf(node) : null;
    if (mark) refusal = judge.refusal(mark);
    return !refusal;
  });
  return refusal;
}

/** Setting a block's attributes (its number, its indent) keeps its text where it is. */
function onlyAttributes(step: ReplaceAroundStep, doc: PMNode): boolean {
  const node = doc.nodeAt(step.from);
  const replacement = step.slice.content.firstChild;
  return (
    !!node &&
    !!replacement &&
    step.slice.content.childCount === 1 &&
    step.insert === 1 &&
    step.gapFrom === step.from + 1 &&
    step.gapTo === step.to - 1 &&
    step.from + node.nodeSize === step.to &&
    replacement.type === node.type
  );
}

/**
 * Why one step of a local change would change text this person may not, or
 * null. Text that ends up in another block (after a split, a join, a wrap, a
 * change of block type) is deleted and typed again in the shared document:
 * the Yjs binding keeps a block's text only up to the place it was cut.
 */
function stepRefusal(step: Step, doc: PMNode, judge: TextJudge): string | null {
  if (step instanceof AddMarkStep || step instanceof RemoveMarkStep) {
    return step.mark.type.name === BRACKET_MARK ? REMOVING_BRACKETS : null;
  }
  if (step instanceof ReplaceAroundStep) return onlyAttributes(step, doc) ? null : refusalIn(doc, step.from, step.to, judge);
  if (!(step instanceof ReplaceStep)) return null;
  const $from = doc.resolve(step.from);
  const $to = doc.resolve(step.to);
  const moves = $from.parent !== $to.parent || step.slice.openStart > 0 || step.slice.openEnd > 0;
  if (moves) return refusalIn(doc, step.from, $to.parent.isTextblock ? $to.end() : step.to, judge);
  const deleted = refusalIn(doc, step.from, step.to, judge);
  if (deleted || step.slice.size === 0) return deleted;
  const inside = insideOption(doc, step.from, step.to);
  return (inside && judge.refusal(inside)) || sliceRefusal(step.slice, judge);
}

export function transactionRefusal(tr: Transaction, judge: TextJudge): string | null {
  for (let i = 0; i < tr.steps.length; i++) {
    const refusal = stepRefusal(tr.steps[i]!, tr.docs[i]!, judge);
    if (refusal) return refusal;
  }
  return null;
}

/** Why typing over the selection (or at the caret) would change text this person may not, or null. */
function selectionRefusal(state: EditorState, judge: TextJudge): string | null {
  const { from, to } = state.selection;
  const inside = insideOption(state.doc, from, to);
  return refusalIn(state.doc, from, to, judge) ?? (inside ? judge.refusal(inside) : null);
}

/** Local transactions only: remote ones (and the model's own writes, which reach the editor the same way) always apply. */
export function isRemote(tr: Transaction): boolean {
  return tr.getMeta(ySyncPluginKey) !== undefined;
}

/** A notifier that says a reason once while a key is held down, not once per repeat. */
export function throttledNotice(notify: (message: string) => void, quietMs = 2500): (message: string) => void {
  const last = new Map<string, number>();
  return (message) => {
    const now = Date.now();
    if (now - (last.get(message) ?? 0) > quietMs) notify(message);
    last.set(message, now);
  };
}

const optionGuardKey = new PluginKey('optionGuard');

/** Input that only adds text or deletes text next to the caret: stopped before the browser changes the page. */
function typedRefusal(view: EditorView, event: InputEvent, judge: TextJudge): string | null {
  const { state } = view;
  const { empty, from } = state.selection;
  if (event.inputType === 'insertText' || event.inputType === 'insertReplacementText') return selectionRefusal(state, judge);
  if (!empty) return event.inputType.startsWith('delete') ? refusalIn(state.doc, from, state.selection.to, judge) : null;
  const $pos = state.doc.resolve(from);
  const neighbour = event.inputType === 'deleteContentBackward' ? $pos.nodeBefore : event.inputType === 'deleteContentForward' ? $pos.nodeAfter : null;
  const mark = neighbour?.isText ? bracketMarkOf(neighbour) : null;
  return mark ? judge.refusal(mark) : null;
}

export const OptionGuard = Extension.create({
  name: 'optionGuard',

  addProseMirrorPlugins() {
    const negotiation = negotiationOf(this.editor);
    const say = throttledNotice((message) => negotiation.notify(message));
    const guarded = () => !presides(negotiation.participant.role);

    return [
      new Plugin({
        key: optionGuardKey,
        props: {
          handleDOMEvents: {
            beforeinput: (view, event) => {
              if (!guarded()) return false;
              const refusal = typedRefusal(view, event as InputEvent, judgeOf(negotiation));
              if (!refusal) return false;
              event.preventDefault();
              say(refusal);
              return true;
            },
          },
        },
        filterTransaction: (tr) => {
          if (!tr.docChanged || isRemote(tr) || !guarded()) return true;
          const refusal = transactionRefusal(tr, judgeOf(negotiation));
          if (refusal) say(refusal);
          return refusal === null;
        },
      }),
    ];
  },
});
