import { useCallback, useEffect, useState } from 'react';
import { presides } from '../../shared/model/permissions.js';
import type { DocumentId } from '../../shared/schema/api.js';
import type { ReadingList } from '../../shared/schema/readings.js';
import type { Role } from '../../shared/schema/roles.js';
import { ApiError, listReadings } from '../api.js';
import { IssueReadingForm } from './IssueReadingForm.js';
import { ReadingItem } from './ReadingItem.js';
import './panels.css';
import './readings-panel.css';

/** Readings issued by someone else show up without a reload, but a list of a few names does not need a socket. */
const REFRESH_MS = 30_000;

type State = { status: 'loading' } | { status: 'ready'; list: ReadingList } | { status: 'error'; message: string };

/**
 * The readings of the document (Rev.1, Rev.2…): everyone lists, opens,
 * compares and exports them; the chair and the secretariat issue them, the
 * secretariat restores one as the live text.
 */
export function ReadingsPanel({ documentId, role }: { documentId: DocumentId; role: Role }) {
  const [state, setState] = useState<State>({ status: 'loading' });
  const [issuing, setIssuing] = useState(false);

  const reload = useCallback(() => {
    listReadings(documentId).then(
      (list) => setState({ status: 'ready', list }),
      (err: unknown) => setState({ status: 'error', message: err instanceof ApiError ? err.message : 'The readings cannot be listed.' }),
    );
  }, [documentId]);

  useEffect(() => {
    reload();
    const timer = setInterval(reload, REFRESH_MS);
    window.addEventListener('focus', reload);
    return () => {
      clearInterval(timer);
      window.removeEventListener('focus', reload);
    };
  }, [reload]);

  const readings = state.status === 'ready' ? state.list.readings : [];
  // Newest first: the reading the room works on is the one people look for.
  const newestFirst = [...readings].reverse();

  return (
    <section className="panel readings-panel" aria-labelledby="readings-heading" data-testid="readings-panel">
      <h2 id="readings-heading" className="panel__title">
        Readings <span className="panel__count">{readings.length}</span>
      </h2>
      {presides(role) &&
        state.status === 'ready' &&
        (issuing ? (
          <IssueReadingForm
            documentId={documentId}
            proposedName={state.list.nextName}
            onIssued={() => {
              setIssuing(false);
              reload();
            }}
            onCancel={() => setIssuing(false)}
          />
        ) : (
          <button type="button" className="button button--small button--primary-outline readings-panel__issue" onClick={() => setIssuing(true)} data-testid="issue-reading">
            Issue reading {state.list.nextName}…
          </button>
        ))}
      {state.status === 'loading' && <p className="panel__empty">Loading the readings…</p>}
      {state.status === 'error' && (
        <p className="form__error" role="alert">
          {state.message}
        </p>
      )}
      {state.status === 'ready' && readings.length === 0 && <p className="panel__empty">No reading has been issued yet.</p>}
      <ul className="readings-list" data-testid="readings-list">
        {newestFirst.map((reading) => (
          <ReadingItem
            key={reading.id}
            documentId={documentId}
            reading={reading}
            all={readings}
            canRestore={role === 'secretariat'}
            onRestored={reload}
          />
        ))}
      </ul>
    </section>
  );
}
