import { useCallback, useEffect, useState } from 'react';
import type { DocumentId, DocumentSummary } from '../../shared/schema/api.js';
import { ApiError, getDocument } from '../api.js';

export type SummaryState =
  | { status: 'loading' }
  | { status: 'ready'; summary: DocumentSummary }
  | { status: 'not-found' }
  /** Offline or server trouble: the text can still be edited from the local copy. */
  | { status: 'unavailable' };

/** The document's title and figures; asked for once `enabled` (the person's access is known). */
export function useDocumentSummary(documentId: DocumentId, enabled: boolean): [SummaryState, () => void] {
  const [state, setState] = useState<SummaryState>({ status: 'loading' });

  const reload = useCallback(() => {
    if (!enabled) return;
    getDocument(documentId).then(
      (summary) => setState({ status: 'ready', summary }),
      (err: unknown) => {
        if (err instanceof ApiError && (err.status === 404 || err.status === 410)) {
          setState({ status: 'not-found' });
        } else {
          // Keep a title we already know rather than replace it with an error.
          setState((current) => (current.status === 'ready' ? current : { status: 'unavailable' }));
        }
      },
    );
  }, [documentId, enabled]);

  useEffect(() => {
    setState({ status: 'loading' });
    reload();
  }, [reload]);

  return [state, reload];
}
