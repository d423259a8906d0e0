import { useEffect } from 'react';
import type { DocumentId } from '../../shared/schema/api.js';
import { refusalNotice } from '../collab/refusal-recovery.js';
import { forgetLocalCopy } from '../collab/session.js';
import { MAX_RELOADS, useCollabSession } from '../collab/useCollabSession.js';
import { useConnectionState } from '../collab/useConnectionState.js';
import { DraftEditor } from '../editor/DraftEditor.js';
import { useAccess } from '../hooks/useAccess.js';
import { useDocumentSummary } from '../hooks/useDocumentSummary.js';
import { EditorHeader } from './editor/EditorHeader.js';
import { NoAccessPage } from './NoAccessPage.js';
import { NotFoundPage } from './NotFoundPage.js';

export function EditorPage({ documentId }: { documentId: DocumentId }) {
  const accessState = useAccess(documentId);
  const access = accessState.status === 'ready' ? accessState.access : null;
  const [summary, reloadSummary] = useDocumentSummary(documentId, access !== null);
  // Connect only once the server said who this is: without access the socket would be closed anyway.
  const [session, refusal] = useCollabSession(documentId, access !== null);
  const connection = useConnectionState(session?.provider ?? null);

  // Each (re)connection is a good moment to pick up a rename made by someone else.
  useEffect(() => {
    if (connection.synced) reloadSummary();
  }, [connection.synced, reloadSummary]);

  useEffect(() => {
    if (summary.status === 'ready') document.title = `${summary.summary.title} — Drafting room`;
  }, [summary]);

  // A document the server no longer has (deleted while this browser was away): its copy here goes too.
  const gone = accessState.status === 'not-found' || summary.status === 'not-found';
  useEffect(() => {
    if (gone) void forgetLocalCopy(documentId);
  }, [gone, documentId]);

  if (accessState.status === 'unauthenticated' || accessState.status === 'forbidden') {
    return <NoAccessPage reason={accessState.status} message={accessState.message} />;
  }
  if (accessState.status === 'not-found' || summary.status === 'not-found') {
    return <NotFoundPage message="This document does not exist or has been deleted. Check the link you were given." />;
  }
  if (accessState.status === 'error') {
    return <NotFoundPage message={`This document cannot be opened now: ${accessState.message}`} />;
  }

  return (
    <div className="app app--editor">
      <EditorHeader summary={summary} connection={connection} access={access} documentId={documentId} ydoc={session?.ydoc ?? null} />
      {session && access ? (
        <DraftEditor
          key={session.ydoc.guid}
          session={session}
          identity={{ name: access.name, delegation: access.delegation }}
          role={access.role}
          connection={connection}
          refusal={refusal}
        />
      ) : refusal && refusal.count >= MAX_RELOADS && access ? (
        <div className="workspace">
          <main className="page-column">
            <div className="banner banner--error" role="alert" data-testid="refusal-stopped">
              The server keeps refusing the changes this page sends: {refusalNotice(refusal, refusal.ownText)} Reload the page to start
              again from the server's copy.
              {refusal.ownText.map((own) => (
                <pre key={own.paragraphId} className="refusal-own-text">
                  {own.ref ? `${own.ref}: ` : ''}
                  {own.text}
                </pre>
              ))}
            </div>
          </main>
        </div>
      ) : (
        <div className="workspace" aria-hidden="true" />
      )}
    </div>
  );
}
