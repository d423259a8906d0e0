import { useEffect, useId, useMemo, useState } from 'react';
import type { DocumentId } from '../../shared/schema/api.js';
import { CompareQuery, type Comparison, type Reading } from '../../shared/schema/readings.js';
import { ApiError, compareReadings, comparisonExportUrl, listReadings } from '../api.js';
import { AppHeader, HeaderTitle } from '../components/AppHeader.js';
import { Link } from '../components/Link.js';
import { useDocumentSummary } from '../hooks/useDocumentSummary.js';
import { editorPath } from '../router.js';
import { ComparedParagraphView } from './compare/ComparedText.js';
import { delegationsIn, viewOf } from './compare/compare-view.js';
import { EventList } from './compare/EventList.js';
import { NoAccessPage } from './NoAccessPage.js';
import { NotFoundPage } from './NotFoundPage.js';
import { readingLabel } from './reading-label.js';
import '../panels/panels.css';
import './compare/compare-page.css';

type State =
  | { status: 'loading' }
  | { status: 'ready'; comparison: Comparison }
  | { status: 'no-access'; reason: 'unauthenticated' | 'forbidden'; message: string }
  | { status: 'not-found' }
  | { status: 'error'; message: string };

const EVERYONE = '';

/** The two ends from the address (`?from=&to=`); a missing or malformed end compares with the live text. */
function endsFromAddress(): CompareQuery {
  const params = new URLSearchParams(location.search);
  const parsed = CompareQuery.safeParse({ from: params.get('from'), to: params.get('to') ?? 'live' });
  return parsed.success ? parsed.data : { from: 'live', to: 'live' };
}

function failure(err: unknown): State {
  if (err instanceof ApiError && err.status === 401) return { status: 'no-access', reason: 'unauthenticated', message: err.message };
  if (err instanceof ApiError && err.status === 403) return { status: 'no-access', reason: 'forbidden', message: err.message };
  if (err instanceof ApiError && err.status === 410) return { status: 'not-found' };
  return { status: 'error', message: err instanceof ApiError ? err.message : 'The comparison cannot be shown.' };
}

function EndSelect({ label, value, readings, onChange }: { label: string; value: string; readings: Reading[]; onChange: (v: string) => void }) {
  const id = useId();
  return (
    <span className="cmp-bar__end">
      <label htmlFor={id}>{label}</label>
      <select id={id} className="select select--small" value={value} onChange={(e) => onChange(e.target.value)} data-testid={`compare-${label.toLowerCase()}`}>
        {readings.map((r) => (
          <option key={r.id} value={r.id}>
            {r.name}
          </option>
        ))}
        {/* Until the list is in, the current end keeps its option. */}
        {value !== 'live' && !readings.some((r) => r.id === value) && <option value={value}>{value}</option>}
        <option value="live">live text</option>
      </select>
    </span>
  );
}

/** `/d/<id>/compare?from=&to=`: what changed between two readings (or a reading and the live text), and who did it. */
export function ComparePage({ documentId }: { documentId: DocumentId }) {
  const [ends, setEnds] = useState<CompareQuery>(endsFromAddress);
  const [state, setState] = useState<State>({ status: 'loading' });
  const [readings, setReadings] = useState<Reading[]>([]);
  const [delegation, setDelegation] = useState(EVERYONE);
  const [unchanged, setUnchanged] = useState(false);
  const filterId = useId();
  const [summary] = useDocumentSummary(documentId, true);

  useEffect(() => {
    listReadings(documentId).then(
      (list) => setReadings(list.readings),
      () => setReadings([]),
    );
  }, [documentId]);

  useEffect(() => {
    let live = true;
    setState({ status: 'loading' });
    compareReadings(documentId, ends).then(
      (comparison) => live && setState({ status: 'ready', comparison }),
      (err: unknown) => live && setState(failure(err)),
    );
    return () => {
      live = false;
    };
  }, [documentId, ends]);

  useEffect(() => {
    if (state.status === 'ready') document.title = `${state.comparison.from.name} → ${state.comparison.to.name} — Drafting room`;
  }, [state]);

  // The address follows the choice, so the comparison can be copied and sent.
  const choose = (next: CompareQuery) => {
    history.replaceState(null, '', `${location.pathname}?${new URLSearchParams(next)}`);
    setEnds(next);
  };

  const comparison = state.status === 'ready' ? state.comparison : null;
  const view = useMemo(
    () => (comparison ? viewOf(comparison, { delegation: delegation || null, unchanged }) : null),
    [comparison, delegation, unchanged],
  );
  const delegations = useMemo(() => (comparison ? delegationsIn(comparison) : []), [comparison]);

  if (state.status === 'no-access') return <NoAccessPage reason={state.reason} message={state.message} />;
  if (state.status === 'not-found') return <NotFoundPage message="This document does not exist or has been deleted." />;

  return (
    <div className="app app--compare">
      <AppHeader>
        <HeaderTitle title={comparison ? `${comparison.from.name} → ${comparison.to.name}` : 'Comparison'} document={summary.status === 'ready' ? summary.summary.title : null} />
      </AppHeader>
      <div className="cmp-bar" role="toolbar" aria-label="Comparison">
        <EndSelect label="From" value={ends.from} readings={readings} onChange={(from) => choose({ ...ends, from })} />
        <span aria-hidden="true">→</span>
        <EndSelect label="To" value={ends.to} readings={readings} onChange={(to) => choose({ ...ends, to })} />
        <span className="cmp-bar__end">
          <label htmlFor={filterId}>Changes by</label>
          <select id={filterId} className="select select--small" value={delegation} onChange={(e) => setDelegation(e.target.value)} data-testid="compare-delegation">
            <option value={EVERYONE}>every delegation</option>
            {delegations.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </span>
        <label className="cmp-bar__check">
          <input type="checkbox" checked={unchanged} onChange={(e) => setUnchanged(e.target.checked)} /> Unchanged paragraphs
        </label>
        <span className="cmp-bar__downloads">
          <a className="button button--small" href={comparisonExportUrl(documentId, ends, 'docx')} download data-testid="compare-export-docx">
            Download Word (tracked changes)
          </a>
          <a className="button button--small" href={comparisonExportUrl(documentId, ends, 'html')} download data-testid="compare-export-html">
            HTML
          </a>
        </span>
      </div>
      <div className="cmp-layout">
        <main className="cmp-main">
          <p className="cmp-intro">
            {comparison ? (
              <>
                From <strong>{readingLabel(comparison.from.name, comparison.from.at)}</strong> to{' '}
                <strong>{readingLabel(comparison.to.name, comparison.to.at)}</strong>.{' '}
              </>
            ) : null}
            <span className="cmp-legend">
              <ins>Inserted</ins> words are underlined, <del>deleted</del> ones struck through; the delegation that made a change follows it.
            </span>{' '}
            <Link href={editorPath(documentId)}>Back to the live text</Link>
          </p>
          {state.status === 'loading' && <p className="panel__empty">Comparing…</p>}
          {state.status === 'error' && (
            <div className="banner banner--error" role="alert" data-testid="compare-error">
              {state.message}
            </div>
          )}
          {view && view.paragraphs.length === 0 && <p className="panel__empty">Nothing changed{delegation ? ` by ${delegation}` : ''}.</p>}
          <div className="cmp-text" data-testid="compare-text">
            {view?.paragraphs.map((p) => (
              <ComparedParagraphView key={p.id} paragraph={p} events={view.events.filter((e) => e.paragraphId === p.id)} />
            ))}
          </div>
        </main>
        <aside className="cmp-aside" aria-labelledby="cmp-events-heading">
          <h2 id="cmp-events-heading" className="panel__title">
            In the negotiation <span className="panel__count">{view?.events.length ?? 0}</span>
          </h2>
          {view && <EventList events={view.events} />}
        </aside>
      </div>
    </div>
  );
}
