import Collaboration from '@tiptap/extension-collaboration';
import type * as Y from 'yjs';
import { BODY_FRAGMENT } from '../../../shared/schema/ydoc.js';

/**
 * Binds the editor to the shared body. Also provides undo/redo (Mod-Z, Mod-Shift-Z,
 * Mod-Y) through Yjs' UndoManager, which only reverts this person's own changes.
 */
export function collaboration(ydoc: Y.Doc) {
  return Collaboration.configure({ document: ydoc, field: BODY_FRAGMENT });
}
