import { EditorContent, useEditor } from '@tiptap/react';
import { useEffect, useState } from 'react';
import * as Y from 'yjs';
import type { DocumentId } from '../../shared/schema/api.js';
import type { Reading } from '../../shared/schema/readings.js';
import { ApiError, getReading, readingState } from '../api.js';
import { AppHeader, HeaderTitle } from '../components/AppHeader.js';
import { Link } from '../components/Link.js';
import { useDocumentSummary } from '../hooks/useDocumentSummary.js';
import { comparePath, editorPath } from '../router.js';
import { NoAccessPage } from './NoAccessPage.js';
import { NotFoundPage } from './NotFoundPage.js';
import { readingExtensions } from './reading-extensions.js';
import { readingLabel } from './reading-label.js';
import '../editor/editor.css';
import '../editor/draft-text.css';
import '../editor/negotiation-marks.css';
import './reading-page.css';

type State =
  | { status: 'loading' }
  | { status: 'ready'; reading: Reading; ydoc: Y.Doc }
  | { status: 'no-access'; reason: 'unauthenticated' | 'forbidden'; message: string }
  | { status: 'not-found' }
  | { status: 'error'; message: string };

function failure(err: unknown): State {
  if (err instanceof ApiError && err.status === 401) return { status: 'no-access', reason: 'unauthenticated', message: err.message };
  if (err instanceof ApiError && err.status === 403) return { status: 'no-access', reason: 'forbidden', message: err.message };
  if (err instanceof ApiError && (err.status === 404 || err.status === 410)) return { status: 'not-found' };
  return { status: 'error', message: err instanceof ApiError ? err.message : 'The reading cannot be shown.' };
}

/** The text of a reading as it was issued, drawn like the live text, which nobody can edit. */
function ReadingText({ ydoc }: { ydoc: Y.Doc }) {
  const [extensions] = useState(() => readingExtensions(ydoc));
  const editor = useEditor(
    {
      extensions,
      editable: false,
      editorProps: { attributes: { id: 'reading-body', 'aria-label': 'Text of the reading', 'aria-readonly': 'true' } },
    },
    [extensions],
  );
  return <EditorContent editor={editor} />;
}

/** `/d/<id>/readings/<rid>`: one reading, read-only, with the way back to the live text. */
export function ReadingPage({ documentId, readingId }: { documentId: DocumentId; readingId: string }) {
  const [state, setState] = useState<State>({ status: 'loading' });
  const [summary] = useDocumentSummary(documentId, true);

  useEffect(() => {
    let live = true;
    Promise.all([getReading(documentId, readingId), readingState(documentId, readingId)]).then(
      ([reading, update]) => {
        const ydoc = new Y.Doc();
        Y.applyUpdate(ydoc, update);
        if (live) setState({ status: 'ready', reading, ydoc });
        else ydoc.destroy();
      },
      (err: unknown) => live && setState(failure(err)),
    );
    return () => {
      live = false;
    };
  }, [documentId, readingId]);

  useEffect(() => {
    if (state.status === 'ready') {
      document.title = `${state.reading.name} (read-only) — Drafting room`;
      const { ydoc } = state;
      return () => ydoc.destroy();
    }
  }, [state]);

  if (state.status === 'no-access') return <NoAccessPage reason={state.reason} message={state.message} />;
  if (state.status === 'not-found') return <NotFoundPage message="This reading does not exist, or its document has been deleted." />;

  return (
    <div className="app app--reading">
      <AppHeader>
        <HeaderTitle title={state.status === 'ready' ? state.reading.name : 'Reading'} document={summary.status === 'ready' ? summary.summary.title : null} />
      </AppHeader>
      <main className="page-column reading-page">
        {state.status === 'error' && (
          <div className="banner banner--error" role="alert">
            {state.message}
          </div>
        )}
        {state.status === 'loading' && <p className="reading-page__loading">Loading the reading…</p>}
        {state.status === 'ready' && (
          <>
            <div className="banner reading-banner" role="status" data-testid="reading-banner">
              <span>
                <strong>{readingLabel(state.reading.name, state.reading.at)}</strong>, read-only
                {state.reading.note && <span className="reading-banner__note"> — {state.reading.note}</span>}
              </span>
              <span className="reading-banner__links">
                <Link href={comparePath(documentId, state.reading.id, 'live')}>Compare with the live text</Link>
                <Link href={editorPath(documentId)} data-testid="reading-back">
                  Back to the live text
                </Link>
              </span>
            </div>
            <article className="page reading-page__page">
              <ReadingText ydoc={state.ydoc} />
            </article>
          </>
        )}
      </main>
    </div>
  );
}
