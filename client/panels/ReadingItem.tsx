import { useId, useState } from 'react';
import type { DocumentId, ExportVersion, FileFormat } from '../../shared/schema/api.js';
import type { Reading } from '../../shared/schema/readings.js';
import { ApiError, readingExportUrl, restoreReading } from '../api.js';
import { Link } from '../components/Link.js';
import { RelativeTime } from '../components/RelativeTime.js';
import { comparePath, readingPagePath } from '../router.js';

const FORMATS: Array<[FileFormat, string]> = [
  ['docx', 'Word'],
  ['html', 'HTML'],
  ['md', 'Markdown'],
  ['txt', 'Text'],
];
const VERSIONS: Array<[ExportVersion, string]> = [
  ['agreed', 'Agreed text'],
  ['bracketed', 'With brackets'],
];

/** The other end a comparison starts from this reading to: the live text. */
const LIVE = 'live';

type ReadingItemProps = {
  documentId: DocumentId;
  reading: Reading;
  /** Every reading of the document, to compare this one with. */
  all: Reading[];
  canRestore: boolean;
  onRestored: () => void;
};

/** One reading in the panel: who issued it and when, and what one can do with it. */
export function ReadingItem({ documentId, reading, all, canRestore, onRestored }: ReadingItemProps) {
  const others = all.filter((r) => r.id !== reading.id);
  // Comparing with a later reading (or the live text) reads forward: this reading is the "from" end.
  // Not kept in state until chosen: a reading issued after this one becomes the default as it appears.
  const later = others.find((r) => r.at > reading.at);
  const [chosen, setChosen] = useState<string | null>(null);
  const other = chosen !== null && (chosen === LIVE || others.some((r) => r.id === chosen)) ? chosen : (later?.id ?? LIVE);
  const [confirming, setConfirming] = useState(false);
  const [restoreError, setRestoreError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const compareId = useId();

  const otherReading = others.find((r) => r.id === other);
  const forward = !otherReading || otherReading.at >= reading.at;
  const compareHref = forward ? comparePath(documentId, reading.id, other) : comparePath(documentId, other, reading.id);

  const restore = () => {
    setBusy(true);
    setRestoreError(null);
    restoreReading(documentId, reading.id).then(
      () => {
        setBusy(false);
        setConfirming(false);
        onRestored();
      },
      (err: unknown) => {
        setBusy(false);
        setRestoreError(err instanceof ApiError ? err.message : 'The reading could not be restored.');
      },
    );
  };

  return (
    <li className="reading-item" data-testid="reading-item" data-reading={reading.name}>
      <div className="reading-item__head">
        <span className="reading-item__name">{reading.name}</span>
        <span className="reading-item__meta">
          {reading.by.delegation || reading.by.name} · <RelativeTime iso={reading.at} />
        </span>
      </div>
      {reading.note && <p className="reading-item__note">{reading.note}</p>}
      <div className="reading-item__actions">
        <Link className="button button--small" href={readingPagePath(documentId, reading.id)} data-testid="reading-open">
          Open
        </Link>
        <label className="visually-hidden" htmlFor={compareId}>
          Compare {reading.name} with
        </label>
        <select id={compareId} className="select select--small" value={other} onChange={(e) => setChosen(e.target.value)} data-testid="reading-compare-with">
          {others.map((r) => (
            <option key={r.id} value={r.id}>
              {r.name}
            </option>
          ))}
          <option value={LIVE}>live text</option>
        </select>
        <Link className="button button--small" href={compareHref} data-testid="reading-compare">
          Compare
        </Link>
      </div>
      <details className="reading-item__export">
        <summary>Export {reading.name}</summary>
        <table className="reading-export">
          <tbody>
            {VERSIONS.map(([version, label]) => (
              <tr key={version}>
                <th scope="row">{label}</th>
                {FORMATS.map(([format, formatLabel]) => (
                  <td key={format}>
                    <a href={readingExportUrl(documentId, reading.id, { format, version })} download data-testid={`reading-export-${version}-${format}`}>
                      {formatLabel}
                    </a>
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
      {canRestore &&
        (confirming ? (
          <div className="reading-item__confirm">
            <p>Restore {reading.name} as the live text? This is a new change; the history is kept.</p>
            {restoreError && (
              <p className="form__error" role="alert">
                {restoreError}
              </p>
            )}
            <div className="form__actions">
              <button type="button" className="button button--small button--danger" onClick={restore} disabled={busy} data-testid="reading-restore-confirm">
                Restore {reading.name}
              </button>
              <button type="button" className="button button--small button--quiet" onClick={() => setConfirming(false)} disabled={busy}>
                Cancel
              </button>
            </div>
          </div>
        ) : (
          <button type="button" className="link-button reading-item__restore" onClick={() => setConfirming(true)} data-testid="reading-restore">
            Restore as the live text…
          </button>
        ))}
    </li>
  );
}
