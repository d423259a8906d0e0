import { useEffect, useState } from 'react';
import type { DocumentId } from '../../shared/schema/api.js';
import { DocumentAccess } from '../../shared/schema/auth.js';
import { ApiError, getAccess } from '../api.js';

export type AccessState =
  | { status: 'loading' }
  | { status: 'ready'; access: DocumentAccess }
  | { status: 'unauthenticated'; message: string }
  | { status: 'forbidden'; message: string }
  | { status: 'not-found' }
  | { status: 'error'; message: string };

/** The last access seen per document, so a page reloaded while the server is unreachable still opens its local copy. */
const cacheKey = (id: DocumentId) => `nde.access.${id}`;

function cached(id: DocumentId): DocumentAccess | null {
  try {
    const parsed = DocumentAccess.safeParse(JSON.parse(localStorage.getItem(cacheKey(id)) ?? 'null'));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** This person's role, name and delegation in a document, as the server grants them. */
export function useAccess(documentId: DocumentId): AccessState {
  const [state, setState] = useState<AccessState>({ status: 'loading' });
  useEffect(() => {
    let live = true;
    getAccess(documentId).then(
      (access) => {
        try {
          localStorage.setItem(cacheKey(documentId), JSON.stringify(access));
        } catch {
          // Without storage the page simply needs the server to open.
        }
        if (live) setState({ status: 'ready', access });
      },
      (err: unknown) => {
        if (!live) return;
        const message = err instanceof Error ? err.message : String(err);
        if (err instanceof ApiError && err.status === 401) setState({ status: 'unauthenticated', message });
        else if (err instanceof ApiError && err.status === 403) setState({ status: 'forbidden', message });
        else if (err instanceof ApiError && err.status === 404) setState({ status: 'not-found' });
        else {
          const known = cached(documentId);
          setState(known ? { status: 'ready', access: known } : { status: 'error', message });
        }
      },
    );
    return () => {
      live = false;
    };
  }, [documentId]);
  return state;
}
