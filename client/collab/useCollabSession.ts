import { useEffect, useState } from 'react';
import * as Y from 'yjs';
import type { DocumentId } from '../../shared/schema/api.js';
import { openCollabSession, type CollabSession, type Refused } from './session.js';

/**
 * The last change of ours the server refused, and what was read of the copy
 * that made it before it was dropped: the person's text and their place, for
 * the editor built on the server's copy to give back.
 */
export type Refusal = Refused & { at: number; count: number };

/** Refusals in a row after which reloading stops: the server keeps refusing what this client sends. */
export const MAX_RELOADS = 3;

/**
 * Opens the document while the component is mounted and `enabled` (the
 * person's access is known); null until then. When the server refuses one of
 * our changes, the local copy is dropped and the document opened afresh from
 * the server, and the refusal is returned so the page can say why. When the
 * server ends this browser's access for good (revoked, released, expired,
 * deleted: a final close code), the copy on this computer is deleted and the
 * session goes on with an empty document, so that the editor built on it
 * shows no text, and the connection (closed, with its code) says why.
 */
export function useCollabSession(documentId: DocumentId, enabled: boolean): [CollabSession | null, Refusal | null] {
  const [session, setSession] = useState<CollabSession | null>(null);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [generation, setGeneration] = useState(0);

  const stopped = (refusal?.count ?? 0) >= MAX_RELOADS;

  // biome-ignore lint/correctness/useExhaustiveDependencies: `generation` is the trigger: a refusal bumps it to open the session afresh.
  useEffect(() => {
    if (!enabled || stopped) return;
    let blank: Y.Doc | null = null;
    const opened = openCollabSession(
      documentId,
      (refused) => {
        setRefusal((previous) => ({ ...refused, at: Date.now(), count: (previous?.count ?? 0) + 1 }));
        void opened.clearLocalCopy().finally(() => setGeneration((g) => g + 1));
      },
      () => {
        // A new Y.Doc is a new editor (it is keyed by the doc): nothing of the text is left in the page's view.
        blank = new Y.Doc();
        setSession({ ...opened, ydoc: blank });
      },
    );
    setSession(opened);
    return () => {
      setSession(null);
      opened.destroy();
      blank?.destroy();
    };
  }, [documentId, enabled, generation, stopped]);

  return [session, refusal];
}
