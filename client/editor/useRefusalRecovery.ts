import type { Editor } from '@tiptap/core';
import { useEffect, useRef } from 'react';
import { refusalNotice, textNotKept, type OwnText } from '../collab/refusal-recovery.js';
import type { CollabSession } from '../collab/session.js';
import type { Refusal } from '../collab/useCollabSession.js';
import type { Notify, OfferedText } from '../hooks/useNotices.js';
import { readingPlace, restoreScroll, restoreSelection } from './reading-place.js';

/** Frames to wait for the server's text to reach the editor once the session says it synced. */
const MAX_FRAMES = 120;
/** Frames to bring the reader's paragraph back to its height on screen while the blocks around it are drawn. */
const MAX_SETTLING = 10;

/**
 * The editor's part in recovering from a refused change. While it shows a
 * copy, it lends the session its reader's place. Built on the server's copy
 * after a refusal, it waits for that copy's text, then puts the reader back
 * where they were and says, in a notice that stays until dismissed, what was
 * not kept and why, offering back the text of theirs the server does not have.
 */
export function useRefusalRecovery(editor: Editor, session: CollabSession, synced: boolean, refusal: Refusal | null, notify: Notify): void {
  // The refusal this editor was built after. A later one belongs to the next editor, built on a fresher copy.
  const pending = useRef(refusal);

  // Until the place is given back, it is still the one to keep should another refusal come first.
  useEffect(() => session.keepPlace(() => pending.current?.place ?? readingPlace(editor)), [session, editor]);

  useEffect(() => {
    const refused = pending.current;
    if (!refused || !synced) return;
    let frames = 0;
    let settling = 0;
    let frame = requestAnimationFrame(function recover() {
      if (editor.isDestroyed) return;
      frames++;
      // The binding fills the editor from the synced copy; an empty page cannot take the place back yet.
      if (editor.isEmpty && frames < MAX_FRAMES) {
        frame = requestAnimationFrame(recover);
        return;
      }
      const { place } = refused;
      if (place && settling === 0) restoreSelection(editor, place);
      // Each scroll brings blocks into view that are then drawn at their real height: again until still.
      if (place && Math.abs(restoreScroll(editor, place)) >= 1 && ++settling < MAX_SETTLING) {
        frame = requestAnimationFrame(recover);
        return;
      }
      pending.current = null;
      const notKept = textNotKept(refused.ownText, session.ydoc);
      notify(refusalNotice(refused, notKept), { lasting: true, offers: notKept.map(offerOf) });
    });
    return () => cancelAnimationFrame(frame);
  }, [editor, session, synced, notify]);
}

function offerOf(own: OwnText): OfferedText {
  return {
    label: own.ref ? `Your text of ${own.ref}, to paste into a comment or a proposal:` : 'Your text of this paragraph, to paste into a comment or a proposal:',
    text: own.text,
  };
}
