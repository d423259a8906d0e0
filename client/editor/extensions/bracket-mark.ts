import { Mark } from '@tiptap/core';
import { Fragment, Slice, type Node as PMNode } from '@tiptap/pm/model';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import * as brackets from '../../../shared/model/brackets.js';
import { canBracket } from '../../../shared/model/permissions.js';
import { BRACKET_MARK, type ResolutionOutcome } from '../../../shared/schema/negotiation.js';
import { actFor, editRefusal, refuse } from '../../negotiation/actions.js';
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
      /** Puts the selected words in brackets as option A of this person's delegation. */
      bracketSelection: () => ReturnType;
      /** Adds an alternative wording after the group's last option; empty text adds the "delete" option. */
      addAlternative: (groupId: string, text: string) => ReturnType;
      supportOption: (groupId: string, optionId: string) => ReturnType;
      withdrawSupport: (groupId: string, optionId: string) => ReturnType;
      /** The short note of an option, written by its proponents. */
      setOptionNote: (groupId: string, optionId: string, note: string) => ReturnType;
      /** Cleans a bracket (the chair): keep one option, delete the text, or keep the text as edited. */
      resolveBracket: (groupId: string, outcome: ResolutionOutcome, optionId?: string) => ReturnType;
    };
  }
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
          if (!canBracket(negotiation.participant.role)) return refuse(negotiation, dispatch, 'Your role does not allow putting text in brackets');
          const selection = bracketableSelection(state);
          if (!selection.ok) return refuse(negotiation, dispatch, selection.reason);
          const locked = editRefusal(negotiation, selection.paragraphId);
          if (locked) return refuse(negotiation, dispatch, locked);
          // Asked whether it could: the toolbar's button is for editable pages only.
          if (!dispatch) return editor.isEditable;
          const { paragraphId, from, to } = selection;
          const created = actFor(negotiation, tr, (actor) =>
            brackets.createBracket(negotiation.index.doc, { paragraphId, from, to, actor }, NEGOTIATION_ORIGIN),
          );
          if (!created) return false;
          this.options.onSelectGroup(created.value.groupId);
          return true;
        },

      addAlternative:
        (groupId, text) =>
        ({ tr, dispatch, editor }) => {
          const negotiation = negotiationOf(editor);
          if (!canBracket(negotiation.participant.role)) return refuse(negotiation, dispatch, 'Your role does not allow proposing text');
          // The paragraph holding the group's text now: a paragraph agreed since takes no new wording.
          const where = negotiation.index.snapshot().groups.find((g) => g.id === groupId)?.where;
          const locked = where ? editRefusal(negotiation, where) : null;
          if (locked) return refuse(negotiation, dispatch, locked);
          if (!dispatch) return true;
          return actFor(negotiation, tr, (actor) => brackets.addAlternative(negotiation.index.doc, { groupId, text, actor }, NEGOTIATION_ORIGIN)) !== null;
        },

      supportOption:
        (groupId, optionId) =>
        ({ tr, dispatch, editor }) => {
          if (!dispatch) return true;
          const negotiation = negotiationOf(editor);
          return actFor(negotiation, tr, (actor) => brackets.supportOption(negotiation.index.doc, { groupId, optionId, actor }, NEGOTIATION_ORIGIN)) !== null;
        },

      withdrawSupport:
        (groupId, optionId) =>
        ({ tr, dispatch, editor }) => {
          if (!dispatch) return true;
          const negotiation = negotiationOf(editor);
          return actFor(negotiation, tr, (actor) => brackets.withdrawSupport(negotiation.index.doc, { groupId, optionId, actor }, NEGOTIATION_ORIGIN)) !== null;
        },

      setOptionNote:
        (groupId, optionId, note) =>
        ({ tr, dispatch, editor }) => {
          if (!dispatch) return true;
          const negotiation = negotiationOf(editor);
          return (
            actFor(negotiation, tr, (actor) => brackets.setOptionNote(negotiation.index.doc, { groupId, optionId, note, actor }, NEGOTIATION_ORIGIN)) !== null
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
