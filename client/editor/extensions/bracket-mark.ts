import { Mark } from '@tiptap/core';
import { Fragment, Slice, type Node as PMNode } from '@tiptap/pm/model';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import * as brackets from '../../../shared/model/brackets.js';
import * as proposals from '../../../shared/model/bracket-proposals.js';
import { canBracket, presides } from '../../../shared/model/permissions.js';
import { BRACKET_MARK, type ResolutionOutcome } from '../../../shared/schema/negotiation.js';
import { actFor, editRefusal, refuse, type Negotiation } from '../../negotiation/actions.js';
import type { GroupItem } from '../../negotiation/negotiation-index.js';
import { NEGOTIATION_ORIGIN } from '../negotiation-origin.js';
import { bracketableSelection } from '../positions.js';
import { negotiationOf } from './negotiation.js';

export type BracketMarkOptions = {
  /** Shows one bracket group's details (the one just made). */
  onSelectGroup: (groupId: string) => void;
};

declare module '@tiptap/core' {
  interface Commands<ReturnType> {
    bracketMark: {
      /** Puts the selected words in brackets: they become the group's original text, bracketed by this delegation. */
      bracketSelection: () => ReturnType;
      /** This delegation brackets the original text of a group others bracketed already. */
      joinBracket: (groupId: string) => ReturnType;
      /** This delegation takes its bracket back (the group goes when nobody else is in it). */
      withdrawBracket: (groupId: string) => ReturnType;
      /** Proposes an alternative wording after the group's last option; empty text proposes the deletion. Moves this delegation's position. */
      addAlternative: (groupId: string, text: string) => ReturnType;
      /** This delegation supports an option: its position in the group moves there. */
      supportOption: (groupId: string, optionId: string) => ReturnType;
      /** This delegation withdraws its support of an option, or its proposal. */
      withdrawSupport: (groupId: string, optionId: string) => ReturnType;
      /** The short note of an option, written by its proponents. */
      setOptionNote: (groupId: string, optionId: string, note: string) => ReturnType;
      /** Cleans a bracket (the chair): keep one option, delete the text, or keep the text as edited. */
      resolveBracket: (groupId: string, outcome: ResolutionOutcome, optionId?: string) => ReturnType;
    };
  }
}

/**
 * Why this person may not take a position in a bracket (bracket, propose,
 * support), or null. The chair and the secretariat take none: they resolve.
 */
function positionRefusal(negotiation: Negotiation): string | null {
  const { role } = negotiation.participant;
  if (presides(role)) return 'The chair and the secretariat take no position in a bracket: they resolve it';
  return canBracket(role) ? null : 'Your role does not allow taking a position in a bracket';
}

/** The open group a command acts on, or why there is none. */
function openGroup(negotiation: Negotiation, groupId: string): GroupItem | string {
  const group = negotiation.index.snapshot().groups.find((g) => g.id === groupId);
  if (!group) return 'This bracket no longer exists';
  return group.status === 'open' ? group : 'This bracket has already been resolved';
}

/** Drops bracket marks from pasted content: a copy of an option's text is not that option. */
function withoutBrackets(fragment: Fragment): Fragment {
  const nodes: PMNode[] = [];
  fragment.forEach((node) => {
    if (node.isText) nodes.push(node.mark(node.marks.filter((m) => m.type.name !== BRACKET_MARK)));
    else nodes.push(node.copy(withoutBrackets(node.content)));
  });
  return Fragment.from(nodes);
}

/**
 * The text of a bracket option: `{ group, option }` point into the `brackets`
 * map. It must be in the schema, or the Yjs binding would drop the marks the
 * model writes. Not inclusive: typing at the edge of an option writes
 * ordinary text, the brackets do not grow by accident.
 */
export const BracketMark = Mark.create<BracketMarkOptions>({
  name: BRACKET_MARK,
  inclusive: false,

  addOptions() {
    return { onSelectGroup: () => {} };
  },

  addAttributes() {
    return {
      group: {
        default: null,
        parseHTML: (el) => el.getAttribute('data-group'),
        renderHTML: (attrs) => ({ 'data-group': attrs.group as string | null }),
      },
      option: {
        default: null,
        parseHTML: (el) => el.getAttribute('data-option'),
        renderHTML: (attrs) => ({ 'data-option': attrs.option as string | null }),
      },
    };
  },

  parseHTML() {
    return [{ tag: 'span.bracket-option[data-group]' }];
  },

  renderHTML({ HTMLAttributes }) {
    return ['span', { ...HTMLAttributes, class: 'bracket-option' }, 0];
  },

  addKeyboardShortcuts() {
    return {
      // Handled even when refused: the notice says why, and the browser does nothing else with the keys.
      'Mod-Alt-b': () => {
        this.editor.commands.bracketSelection();
        return true;
      },
    };
  },

  addCommands() {
    return {
      bracketSelection:
        () =>
        ({ state, tr, dispatch, editor }) => {
          const negotiation = negotiationOf(editor);
          const { role } = negotiation.participant;
          if (presides(role)) return refuse(negotiation, dispatch, 'The chair and the secretariat do not bracket text: they resolve brackets');
          if (!canBracket(role)) return refuse(negotiation, dispatch, 'Your role does not allow putting text in brackets');
          const selection = bracketableSelection(state);
          if (!selection.ok) return refuse(negotiation, dispatch, selection.reason);
          const locked = editRefusal(negotiation, selection.paragraphId);
          if (locked) return refuse(negotiation, dispatch, locked);
          // Asked whether it could: the toolbar's button is for editable pages only.
          if (!dispatch) return editor.isEditable;
          const { paragraphId, from, to } = selection;
          const created = actFor(negotiation, tr, (actor) =>
            proposals.createBracket(negotiation.index.doc, { paragraphId, from, to, actor }, NEGOTIATION_ORIGIN),
          );
          if (!created) return false;
          this.options.onSelectGroup(created.value.groupId);
          return true;
        },

      joinBracket:
        (groupId) =>
        ({ tr, dispatch, editor }) => {
          const negotiation = negotiationOf(editor);
          const refusal = positionRefusal(negotiation);
          if (refusal) return refuse(negotiation, dispatch, refusal);
          const group = openGroup(negotiation, groupId);
          if (typeof group === 'string') return refuse(negotiation, dispatch, group);
          if (!group.options.some((o) => o.kind === 'original')) {
            return refuse(negotiation, dispatch, 'This bracket proposes an insertion: there is no original text to bracket');
          }
          const delegation = negotiation.participant.identity.delegation.trim();
          if (group.bracketedBy.some((entry) => entry.delegation === delegation)) {
            return refuse(negotiation, dispatch, `${delegation} has already bracketed this text`);
          }
          // Bracketing objects to the text: a paragraph agreed since takes no new objection.
          const locked = editRefusal(negotiation, group.where);
          if (locked) return refuse(negotiation, dispatch, locked);
          if (!dispatch) return true;
          return actFor(negotiation, tr, (actor) => proposals.joinBracket(negotiation.index.doc, { groupId, actor }, NEGOTIATION_ORIGIN)) !== null;
        },

      withdrawBracket:
        (groupId) =>
        ({ tr, dispatch, editor }) => {
          const negotiation = negotiationOf(editor);
          const refusal = positionRefusal(negotiation);
          if (refusal) return refuse(negotiation, dispatch, refusal);
          const group = openGroup(negotiation, groupId);
          if (typeof group === 'string') return refuse(negotiation, dispatch, group);
          const delegation = negotiation.participant.identity.delegation.trim();
          if (!group.bracketedBy.some((entry) => entry.delegation === delegation)) {
            return refuse(negotiation, dispatch, `${delegation || 'Your delegation'} has not bracketed this text`);
          }
          if (!dispatch) return true;
          return actFor(negotiation, tr, (actor) => proposals.withdrawBracket(negotiation.index.doc, { groupId, actor }, NEGOTIATION_ORIGIN)) !== null;
        },

      addAlternative:
        (groupId, text) =>
        ({ tr, dispatch, editor }) => {
          const negotiation = negotiationOf(editor);
          const refusal = positionRefusal(negotiation);
          if (refusal) return refuse(negotiation, dispatch, refusal);
          const group = openGroup(negotiation, groupId);
          if (typeof group === 'string') return refuse(negotiation, dispatch, group);
          // The paragraph holding the group's text now: a paragraph agreed since takes no new wording.
          const locked = editRefusal(negotiation, group.where);
          if (locked) return refuse(negotiation, dispatch, locked);
          if (!dispatch) return true;
          return actFor(negotiation, tr, (actor) => proposals.addAlternative(negotiation.index.doc, { groupId, text, actor }, NEGOTIATION_ORIGIN)) !== null;
        },

      supportOption:
        (groupId, optionId) =>
        ({ tr, dispatch, editor }) => {
          const negotiation = negotiationOf(editor);
          const refusal = positionRefusal(negotiation);
          if (refusal) return refuse(negotiation, dispatch, refusal);
          const group = openGroup(negotiation, groupId);
          if (typeof group === 'string') return refuse(negotiation, dispatch, group);
          const option = group.options.find((o) => o.id === optionId);
          const delegation = negotiation.participant.identity.delegation.trim();
          if (option?.kind === 'original' && group.bracketedBy.some((entry) => entry.delegation === delegation)) {
            return refuse(negotiation, dispatch, `${delegation} bracketed this text: withdraw the bracket to keep the text as it stands`);
          }
          if (!dispatch) return true;
          return actFor(negotiation, tr, (actor) => proposals.supportOption(negotiation.index.doc, { groupId, optionId, actor }, NEGOTIATION_ORIGIN)) !== null;
        },

      withdrawSupport:
        (groupId, optionId) =>
        ({ tr, dispatch, editor }) => {
          const negotiation = negotiationOf(editor);
          const refusal = positionRefusal(negotiation);
          if (refusal) return refuse(negotiation, dispatch, refusal);
          if (!dispatch) return true;
          return actFor(negotiation, tr, (actor) => proposals.withdrawSupport(negotiation.index.doc, { groupId, optionId, actor }, NEGOTIATION_ORIGIN)) !== null;
        },

      setOptionNote:
        (groupId, optionId, note) =>
        ({ tr, dispatch, editor }) => {
          if (!dispatch) return true;
          const negotiation = negotiationOf(editor);
          return (
            actFor(negotiation, tr, (actor) => proposals.setOptionNote(negotiation.index.doc, { groupId, optionId, note, actor }, NEGOTIATION_ORIGIN)) !== null
          );
        },

      resolveBracket:
        (groupId, outcome, optionId) =>
        ({ tr, dispatch, editor }) => {
          if (!dispatch) return true;
          const negotiation = negotiationOf(editor);
          const done = actFor(negotiation, tr, (actor) =>
            brackets.resolveBracket(negotiation.index.doc, { groupId, outcome, ...(optionId ? { optionId } : {}), actor }, NEGOTIATION_ORIGIN),
          );
          if (done) negotiation.notify('Bracket resolved. Press Ctrl+Z in the text to undo.');
          return done !== null;
        },
    };
  },

  addProseMirrorPlugins() {
    return [
      new Plugin({
        key: new PluginKey('bracketPaste'),
        props: {
          transformPasted: (slice) => new Slice(withoutBrackets(slice.content), slice.openStart, slice.openEnd),
        },
      }),
    ];
  },
});
