import { Extension } from '@tiptap/core';
import { yUndoPluginKey } from '@tiptap/y-tiptap';
import type * as Y from 'yjs';
import { bracketGroups } from '../../../shared/model/brackets.js';
import { paragraphMetas } from '../../../shared/model/paragraph-status.js';

/**
 * Creating or resolving a bracket changes the body and the `brackets` map in
 * one transaction; marking a paragraph agreed changes the `paragraphs` map.
 * The UndoManager only watches the body unless told otherwise: without this,
 * Ctrl+Z would take the brackets' text back but leave the group behind.
 * Comments stay out on purpose: a comment is posted, not typed, and undoing
 * the last keystroke must not unsay it.
 */
export function negotiationUndo(ydoc: Y.Doc) {
  return Extension.create({
    name: 'negotiationUndo',
    onCreate() {
      const undoManager = (yUndoPluginKey.getState(this.editor.state) as { undoManager?: Y.UndoManager } | undefined)?.undoManager;
      undoManager?.addToScope([bracketGroups(ydoc), paragraphMetas(ydoc)]);
    },
  });
}
