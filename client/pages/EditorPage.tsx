import { useEffect } from 'react';
import type { DocumentId } from '../../shared/schema/api.js';
import { useCollabSession } from '../collab/useCollabSession.js';
import { useConnectionState } from '../collab/useConnectionState.js';
import { IdentityDialog } from '../components/IdentityDialog.js';
import { DraftEditor } from '../editor/DraftEditor.js';
import { useDocumentSummary } from '../hooks/useDocumentSummary.js';
import { useIdentity } from '../hooks/useIdentity.js';
import { EditorHeader } from './editor/EditorHeader.js';
import { NotFoundPage } from './NotFoundPage.js';

export function EditorPage({ documentId }: { documentId: DocumentId }) {
  const [identity, setIdentity] = useIdentity();
  const [summary, reloadSummary] = useDocumentSummary(documentId);
  // Opened before the person joins, so the text is there the moment they do.
  const session = useCollabSession(documentId);
  const connection = useConnectionState(session?.provider ?? null);

  // Each (re)connection is a good moment to pick up a rename made by someone else.
  useEffect(() => {
    if (connection.synced) reloadSummary();
  }, [connection.synced, reloadSummary]);

  useEffect(() => {
    if (summary.status === 'ready') document.title = `${summary.summary.title} — Drafting room`;
  }, [summary]);

  if (summary.status === 'not-found') {
    return <NotFoundPage message="This document does not exist or has been deleted. Check the link you were given." />;
  }

  return (
    <div className="app app--editor">
      <EditorHeader summary={summary} connection={connection} />
      {session && identity ? (
        <DraftEditor key={session.ydoc.guid} session={session} identity={identity} connection={connection} />
      ) : (
        <div className="workspace" aria-hidden="true" />
      )}
      {!identity && <IdentityDialog initial={null} onSubmit={setIdentity} />}
    </div>
  );
}
