import { useEffect, useState } from 'react';
import type { DocumentId } from '../../shared/schema/api.js';
import { openCollabSession, type CollabSession } from './session.js';

export type Refusal = { reason: string; at: number; count: number };

/** Refusals in a row after which reloading stops: the server keeps refusing what this client sends. */
export const MAX_RELOADS = 3;

/**
 * Opens the document while the component is mounted and `enabled` (the
 * person's access is known); null until then. When the server refuses one of
 * our changes, the local copy is dropped and the document opened afresh from
 * the server, and the refusal is returned so the page can say why.
 */
export function useCollabSession(documentId: DocumentId, enabled: boolean): [CollabSession | null, Refusal | null] {
  const [session, setSession] = useState<CollabSession | null>(null);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [generation, setGeneration] = useState(0);

  const stopped = (refusal?.count ?? 0) >= MAX_RELOADS;

  // biome-ignore lint/correctness/useExhaustiveDependencies: `generation` is the trigger: a refusal bumps it to open the session afresh.
  useEffect(() => {
    if (!enabled || stopped) return;
    let refused = false;
    const opened = openCollabSession(documentId, (reason) => {
      if (refused) return;
      refused = true;
      setRefusal((previous) => ({ reason, at: Date.now(), count: (previous?.count ?? 0) + 1 }));
      void opened.clearLocalCopy().finally(() => setGeneration((g) => g + 1));
    });
    setSession(opened);
    return () => {
      setSession(null);
      opened.destroy();
    };
  }, [documentId, enabled, generation, stopped]);

  return [session, refusal];
}
