import { type Editor, Extension } from '@tiptap/core';
import { Plugin, PluginKey, type EditorState } from '@tiptap/pm/state';
import { redo, undo, ySyncPluginKey, yUndoPluginKey } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import { othersIn } from '../../../shared/model/bracket-positions.js';
import { bracketGroups } from '../../../shared/model/brackets.js';
import { presides } from '../../../shared/model/permissions.js';
import { readGroup } from '../../../shared/model/record-guards.js';
import { modeRefusal } from '../../../shared/model/update-rules.js';
import { revealChange } from '../undo-reveal.js';
import { typingRuleOf } from './drafting-mode.js';
import { negotiationOf } from './negotiation.js';

/**
 * Ctrl+Z goes through Yjs' UndoManager (collaboration.ts), which takes back
 * this person's own changes: typing, and negotiation operations such as a
 * bracket. Two undos the server refuses are stopped here, with the reason:
 * taking back a bracket or an alternative others have since joined or
 * supported (their positions would go with it), and, outside open drafting,
 * taking back text typed freely before the mode changed (a raw edit of the
 * text, which only a proposal may now be). An undo that goes ahead first
 * brings the paragraph it changes into view (undo-reveal.ts).
 */

export const OTHERS_JOINED = 'Others have joined this bracket: withdraw your part in the bracket card instead';

type StackItem = Y.UndoManager['undoStack'][number];
type StackEvent = { stackItem: StackItem; origin: unknown; type: 'undo' | 'redo' };

/** Meta of a stack item holding text the person typed as it stands (open drafting), not as a proposal. */
const TYPED_FREELY = 'typedFreely';

function undoManagerOf(state: EditorState): Y.UndoManager | null {
  return (yUndoPluginKey.getState(state) as { undoManager?: Y.UndoManager } | undefined)?.undoManager ?? null;
}

/** Does undoing this stack item delete this shared type (it was created in that step)? */
function takesBack(item: Pick<StackItem, 'insertions'>, type: { _item: Y.Item | null }): boolean {
  const own = type._item;
  return own !== null && !own.deleted && Y.isDeleted(item.insertions, own.id);
}

/**
 * Why undoing this stack item would take others' positions with it, or
 * null: it deletes a bracket group (or an option) that another delegation
 * has bracketed, proposed in or supported since.
 */
export function undoRefusal(doc: Y.Doc, item: Pick<StackItem, 'insertions'>, delegation: string): string | null {
  for (const [id, value] of bracketGroups(doc).entries()) {
    if (!(value instanceof Y.Map)) continue;
    const group = readGroup(id, value);
    if (group?.fields.status !== 'open') continue;
    if (takesBack(item, value) && othersIn(group, delegation)) return OTHERS_JOINED;
    for (const option of group.options) {
      const others = [...option.proponents, ...option.supporters].some((d) => d !== delegation);
      if (others && takesBack(item, option.map)) return OTHERS_JOINED;
    }
  }
  return null;
}

function refusalFor(editor: Editor, item: StackItem, direction: 'undo' | 'redo'): string | null {
  const negotiation = negotiationOf(editor);
  if (presides(negotiation.participant.role)) return null;
  const rule = typingRuleOf(editor);
  if (rule !== 'free' && item.meta.get(TYPED_FREELY)) return modeRefusal(rule);
  return direction === 'undo' ? undoRefusal(negotiation.index.doc, item, negotiation.participant.identity.delegation) : null;
}

export const UndoGuard = Extension.create<Record<string, never>, { unsubscribe: () => void }>({
  name: 'undoGuard',

  addStorage() {
    return { unsubscribe: () => {} };
  },

  onCreate() {
    const undoManager = undoManagerOf(this.editor.state);
    if (!undoManager) return;
    const onChange = ({ stackItem, origin }: StackEvent) => {
      // The binding writes typing with its own key as origin; negotiation operations come with theirs.
      if (origin === ySyncPluginKey && typingRuleOf(this.editor) === 'free') stackItem.meta.set(TYPED_FREELY, true);
    };
    // Undoing puts a new item on the other stack: it holds the same typing.
    const onPopped = ({ stackItem, type }: StackEvent) => {
      const other = type === 'undo' ? undoManager.redoStack : undoManager.undoStack;
      const counterpart = other[other.length - 1];
      if (counterpart && stackItem.meta.get(TYPED_FREELY)) counterpart.meta.set(TYPED_FREELY, true);
    };
    undoManager.on('stack-item-added', onChange);
    undoManager.on('stack-item-updated', onChange);
    undoManager.on('stack-item-popped', onPopped);
    this.storage.unsubscribe = () => {
      undoManager.off('stack-item-added', onChange);
      undoManager.off('stack-item-updated', onChange);
      undoManager.off('stack-item-popped', onPopped);
    };
  },

  onDestroy() {
    this.storage.unsubscribe();
  },

  addCommands() {
    // The Collaboration extension's undo and redo, taken over (same name, registered after it) so that the
    // keys and the toolbar's buttons alike are checked first.
    const step =
      (direction: 'undo' | 'redo') =>
      () =>
      ({ tr, state, dispatch, editor }: { tr: EditorState['tr']; state: EditorState; dispatch: unknown; editor: Editor }) => {
        // Yjs undoes outside ProseMirror's transactions: the command's own must not be dispatched.
        tr.setMeta('preventDispatch', true);
        const undoManager = undoManagerOf(state);
        const stack = direction === 'undo' ? undoManager?.undoStack : undoManager?.redoStack;
        const item = stack?.[stack.length - 1];
        if (!item) return false;
        if (!dispatch) return true;
        const refusal = refusalFor(editor, item, direction);
        if (refusal) {
          negotiationOf(editor).notify(refusal);
          return false;
        }
        revealChange(editor, negotiationOf(editor).index.doc, item);
        return direction === 'undo' ? undo(state) : redo(state);
      };
    return { undo: step('undo'), redo: step('redo') };
  },

  addProseMirrorPlugins() {
    const editor = this.editor;
    return [
      new Plugin({
        key: new PluginKey('undoGuard'),
        props: {
          handleDOMEvents: {
            // The browser's own undo (its menu) would undo in the page behind the shared document's back.
            beforeinput: (_view, event) => {
              const { inputType } = event as InputEvent;
              if (inputType !== 'historyUndo' && inputType !== 'historyRedo') return false;
              event.preventDefault();
              if (inputType === 'historyUndo') editor.commands.undo();
              else editor.commands.redo();
              return true;
            },
          },
        },
      }),
    ];
  },
});
