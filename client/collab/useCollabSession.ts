import { useEffect, useState } from 'react';
import type { DocumentId } from '../../shared/schema/api.js';
import { openCollabSession, type CollabSession } from './session.js';

/** Opens the document while the component is mounted; null until the first effect ran. */
export function useCollabSession(documentId: DocumentId): CollabSession | null {
  const [session, setSession] = useState<CollabSession | null>(null);
  useEffect(() => {
    const opened = openCollabSession(documentId);
    setSession(opened);
    return () => {
      setSession(null);
      opened.destroy();
    };
  }, [documentId]);
  return session;
}
