import Collaboration from '@tiptap/extension-collaboration';
import type * as Y from 'yjs';
import { BODY_FRAGMENT } from '../../../shared/schema/ydoc.js';
import { NEGOTIATION_ORIGIN } from '../negotiation-origin.js';

/**
 * Binds the editor to the shared body. Also provides undo/redo (Mod-Z, Mod-Shift-Z,
 * Mod-Y) through Yjs' UndoManager, which only reverts this person's own changes:
 * their typing, and their negotiation operations (tracked by their origin, see
 * negotiation-undo.ts for the maps they touch).
 */
export function collaboration(ydoc: Y.Doc) {
  return Collaboration.configure({
    document: ydoc,
    field: BODY_FRAGMENT,
    yUndoOptions: { trackedOrigins: [NEGOTIATION_ORIGIN] },
  });
}
