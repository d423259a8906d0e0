import { useEffect, useState } from 'react';
import { optionSummary } from '../../shared/model/agreed-text.js';
import type { ExportVersion as Version, FileFormat as Format, Unresolved, UnresolvedBracketsBody } from '../../shared/schema/api.js';
import { ApiError, exportText, exportUrl, UnresolvedBracketsApiError } from '../api.js';
import { Modal } from '../components/Modal.js';

const FORMATS: Array<[Format, string]> = [
  ['docx', 'Word (.docx)'],
  ['html', 'Web page (.html)'],
  ['md', 'Markdown (.md)'],
  ['txt', 'Plain text (.txt)'],
];

/** The 409 answer of an agreed export while brackets are open (declared in shared/schema/api.ts). */
type OpenBrackets = UnresolvedBracketsBody;

type Preview =
  | { status: 'loading' }
  | { status: 'ready'; html: string }
  | { status: 'open-brackets'; report: OpenBrackets }
  | { status: 'error'; message: string };

/**
 * Choose what to take away (agreed text or the compilation with brackets,
 * with or without comments, in which format), see it, download it. The
 * preview is the server's own HTML export in a frame with every sandbox
 * restriction: no script, no navigation, no forms. When an agreed text still
 * has open brackets the server says which; the dialog lists them and asks
 * whether to keep them bracketed or leave them out.
 */
export function ExportDialog({ documentId, onClose }: { documentId: string; onClose: () => void }) {
  const [format, setFormat] = useState<Format>('docx');
  const [version, setVersion] = useState<Version>('agreed');
  const [unresolved, setUnresolved] = useState<Unresolved | null>(null);
  const [comments, setComments] = useState(false);
  const [preview, setPreview] = useState<Preview>({ status: 'loading' });
  const [openReport, setOpenReport] = useState<OpenBrackets | null>(null);

  useEffect(() => {
    const abort = new AbortController();
    setPreview({ status: 'loading' });
    void (async () => {
      try {
        const html = await exportText(documentId, { format: 'html', version, unresolved, comments }, abort.signal);
        if (!abort.signal.aborted) setPreview({ status: 'ready', html });
      } catch (err) {
        if (abort.signal.aborted) return;
        if (err instanceof UnresolvedBracketsApiError) {
          setOpenReport(err.report);
          setPreview({ status: 'open-brackets', report: err.report });
          return;
        }
        setPreview({ status: 'error', message: err instanceof ApiError ? err.message : 'The preview could not be made. Try again.' });
      }
    })();
    return () => abort.abort();
  }, [documentId, version, unresolved, comments]);

  const blocked = version === 'agreed' && preview.status === 'open-brackets';
  const href = exportUrl(documentId, { format, version, unresolved, comments });
  const openCount = openReport?.open.length ?? 0;

  return (
    <Modal wide title="Export" onClose={onClose}>
      <div className="form" data-testid="export-dialog">
        <div style={{ display: 'flex', flexWrap: 'wrap', gap: '1rem' }}>
          <label className="field" style={{ flex: '1 1 12rem' }}>
            <span className="field__label">Format</span>
            <select className="input" value={format} data-testid="export-format" onChange={(e) => setFormat(e.target.value as Format)}>
              {FORMATS.map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </label>
          <label className="field" style={{ flex: '1 1 16rem' }}>
            <span className="field__label">Text</span>
            <select
              className="input"
              value={version}
              data-testid="export-version"
              onChange={(e) => setVersion(e.target.value as Version)}
            >
              <option value="agreed">Agreed text (marked as a draft until all is agreed)</option>
              <option value="bracketed">Compilation text with square brackets</option>
            </select>
          </label>
          <label style={{ display: 'flex', alignItems: 'center', gap: '0.4rem', alignSelf: 'flex-end', paddingBottom: '0.5rem' }}>
            <input type="checkbox" checked={comments} data-testid="export-comments" onChange={(e) => setComments(e.target.checked)} />
            Include comments
          </label>
        </div>

        {version === 'agreed' && openCount > 0 && (
          <fieldset className="field" data-testid="export-open-brackets" style={{ border: '1px solid var(--line-strong)', borderRadius: 'var(--radius)', padding: '0.75rem' }}>
            <legend className="field__label">
              {openCount} bracket{openCount === 1 ? ' is' : 's are'} still open
            </legend>
            <ul style={{ margin: '0 0 0.5rem', paddingLeft: '1.2rem', maxHeight: '8rem', overflow: 'auto', fontSize: '0.875rem' }}>
              {openReport!.open.map((group, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: a fixed list from one answer of the server, replaced whole, never reordered.
                <li key={i}>
                  <strong>{group.ref ?? 'Unnumbered paragraph'}</strong>:{' '}
                  {group.options.map((o) => optionSummary(o)).join(' / ')}
                </li>
              ))}
            </ul>
            <label style={{ display: 'flex', gap: '0.4rem' }}>
              <input type="radio" name="unresolved" checked={unresolved === 'keep'} data-testid="export-unresolved-keep" onChange={() => setUnresolved('keep')} />
              Keep them in square brackets, as in the compilation text, with notes on who bracketed and proposed what
            </label>
            <label style={{ display: 'flex', gap: '0.4rem' }}>
              <input type="radio" name="unresolved" checked={unresolved === 'omit'} data-testid="export-unresolved-omit" onChange={() => setUnresolved('omit')} />
              Leave the bracketed text out: “[...]” marks each place, and the first page lists them
            </label>
          </fieldset>
        )}

        <div style={{ height: '45vh', border: '1px solid var(--line-strong)', borderRadius: 'var(--radius)', overflow: 'hidden', background: '#fff' }}>
          {preview.status === 'ready' && (
            <iframe title="Preview of the export" sandbox="" srcDoc={preview.html} data-testid="export-preview" style={{ width: '100%', height: '100%', border: 0 }} />
          )}
          {preview.status === 'loading' && <p className="form__hint" style={{ padding: '1rem' }}>Preparing the preview…</p>}
          {preview.status === 'open-brackets' && (
            <p className="form__hint" style={{ padding: '1rem' }}>
              {preview.report.message} Choose above how to handle them to see the preview.
            </p>
          )}
          {preview.status === 'error' && (
            <p className="form__error" role="alert" style={{ padding: '1rem' }}>
              {preview.message}
            </p>
          )}
        </div>

        <div className="form__actions">
          <button type="button" className="button" onClick={onClose}>
            Close
          </button>
          <a
            className="button button--primary"
            data-testid="export-download"
            href={blocked ? undefined : href}
            aria-disabled={blocked}
            download
            onClick={(e) => blocked && e.preventDefault()}
            style={{ textDecoration: 'none', ...(blocked ? { opacity: 0.5, pointerEvents: 'none' } : {}) }}
          >
            Download
          </a>
        </div>
      </div>
    </Modal>
  );
}
