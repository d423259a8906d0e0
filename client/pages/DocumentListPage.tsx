import { useCallback, useEffect, useState } from 'react';
import type { DocumentSummary } from '../../shared/schema/api.js';
import { listDocuments } from '../api.js';
import { AppHeader } from '../components/AppHeader.js';
import { Link } from '../components/Link.js';
import { useSession } from '../hooks/useSession.js';
import { signInPath } from '../router.js';
import { DeleteDocumentDialog } from './document-list/DeleteDocumentDialog.js';
import { DocumentRow } from './document-list/DocumentRow.js';
import { ImportButton } from './document-list/ImportButton.js';
import { NewDocumentDialog } from './document-list/NewDocumentDialog.js';
import './list-page.css';
import './document-list/document-list.css';

type ListState =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'ready'; documents: DocumentSummary[] };

export function DocumentListPage() {
  const [session] = useSession();
  // Creating, importing, renaming and deleting documents is the secretariat's.
  const manages = session.status === 'ready' && session.session.account !== null;
  const [state, setState] = useState<ListState>({ status: 'loading' });
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<DocumentSummary | null>(null);

  const load = useCallback(async () => {
    if (session.status !== 'ready') return;
    try {
      setState({ status: 'ready', documents: await listDocuments() });
    } catch (err) {
      setState({ status: 'error', message: err instanceof Error ? err.message : String(err) });
    }
  }, [session.status]);

  useEffect(() => {
    document.title = 'Documents — Drafting room';
    void load();
  }, [load]);

  const replace = (updated: DocumentSummary) =>
    setState((current) =>
      current.status === 'ready'
        ? { ...current, documents: current.documents.map((doc) => (doc.id === updated.id ? updated : doc)) }
        : current,
    );

  const remove = (id: string) =>
    setState((current) =>
      current.status === 'ready' ? { ...current, documents: current.documents.filter((doc) => doc.id !== id) } : current,
    );

  return (
    <div className="app">
      <AppHeader />
      <main className="list-page">
        <div className="list-page__heading">
          <h1>Documents</h1>
          {manages && (
            <div className="list-page__actions">
              <ImportButton />
              <button
                type="button"
                className="button button--primary"
                data-testid="new-document"
                onClick={() => setCreating(true)}
              >
                New document
              </button>
            </div>
          )}
        </div>

        {session.status === 'signed-out' && (
          <div className="list-page__message" role="alert" data-testid="signed-out">
            <p>
              Drafts under negotiation are open only to those the secretariat invited. Open the invitation link you were sent to
              join a document.
            </p>
            <p>
              Secretariat? <Link href={signInPath()}>Sign in with your password</Link>.
            </p>
          </div>
        )}

        {session.status === 'ready' && state.status === 'loading' && (
          <p className="list-page__message" role="status">
            Loading documents…
          </p>
        )}

        {state.status === 'error' && (
          <div className="list-page__message list-page__message--error" role="alert">
            <p>The documents could not be loaded: {state.message}</p>
            <button
              type="button"
              className="button"
              onClick={() => {
                setState({ status: 'loading' });
                void load();
              }}
            >
              Try again
            </button>
          </div>
        )}

        {state.status === 'ready' && (
          <div className="document-list" data-testid="document-list">
            {state.documents.length === 0 ? (
              <div className="list-page__message">
                <p>{manages ? 'There are no documents yet.' : 'No document has been opened with an invitation on this browser yet.'}</p>
                {manages && (
                  <button type="button" className="button button--primary" onClick={() => setCreating(true)}>
                    Create the first document
                  </button>
                )}
              </div>
            ) : (
              <table className="document-table">
                <thead>
                  <tr>
                    <th scope="col">Title</th>
                    <th scope="col">Last edited</th>
                    <th scope="col" className="document-table__number">
                      Paragraphs
                    </th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {state.documents.map((doc) => (
                    <DocumentRow key={doc.id} document={doc} onRenamed={replace} onDelete={setDeleting} manageable={manages} />
                  ))}
                </tbody>
              </table>
            )}
          </div>
        )}
      </main>

      {creating && <NewDocumentDialog onClose={() => setCreating(false)} />}
      {deleting && (
        <DeleteDocumentDialog
          document={deleting}
          onClose={() => setDeleting(null)}
          onDeleted={() => {
            remove(deleting.id);
            setDeleting(null);
          }}
        />
      )}
    </div>
  );
}
