import { useState, type FormEvent, type KeyboardEvent } from 'react';
import type { DocumentSummary } from '../../../shared/schema/api.js';
import { renameDocument } from '../../api.js';
import { Link } from '../../components/Link.js';
import { RelativeTime } from '../../components/RelativeTime.js';
import { editorPath } from '../../router.js';
import { titleProblem } from './title.js';

type DocumentRowProps = {
  document: DocumentSummary;
  onRenamed: (document: DocumentSummary) => void;
  onDelete: (document: DocumentSummary) => void;
  /** Rename and delete are the secretariat's. */
  manageable: boolean;
};

export function DocumentRow({ document, onRenamed, onDelete, manageable }: DocumentRowProps) {
  const [draftTitle, setDraftTitle] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const renaming = draftTitle !== null;

  const stopRenaming = () => {
    setDraftTitle(null);
    setError(null);
  };

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (draftTitle === null) return;
    if (draftTitle.trim() === document.title) {
      stopRenaming();
      return;
    }
    const problem = titleProblem(draftTitle);
    if (problem) {
      setError(problem);
      return;
    }
    setBusy(true);
    try {
      onRenamed(await renameDocument(document.id, draftTitle.trim()));
      stopRenaming();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      stopRenaming();
    }
  };

  return (
    <tr className="document-row" data-testid="document-item">
      <td className="document-row__title">
        {renaming ? (
          <form className="rename-form" onSubmit={save}>
            <input
              className="input"
              aria-label={`New title for ${document.title}`}
              data-testid="rename-input"
              value={draftTitle}
              onChange={(event) => setDraftTitle(event.target.value)}
              onKeyDown={onKeyDown}
              onFocus={(event) => event.target.select()}
              maxLength={200}
              disabled={busy}
              autoFocus
            />
            <button type="submit" className="button button--primary button--small" disabled={busy}>
              Save
            </button>
            <button type="button" className="button button--small" onClick={stopRenaming} disabled={busy}>
              Cancel
            </button>
            {error && (
              <p className="form__error" role="alert">
                {error}
              </p>
            )}
          </form>
        ) : (
          <Link href={editorPath(document.id)} className="document-row__link">
            {document.title}
          </Link>
        )}
      </td>
      <td className="document-row__edited">
        <RelativeTime iso={document.updatedAt} />
      </td>
      <td className="document-row__count">{document.paragraphCount.toLocaleString()}</td>
      <td className="document-row__actions">
        {!renaming && manageable && (
          <>
            <button
              type="button"
              className="button button--quiet button--small"
              data-testid="rename-document"
              onClick={() => setDraftTitle(document.title)}
              aria-label={`Rename ${document.title}`}
            >
              Rename
            </button>
            <button
              type="button"
              className="button button--quiet button--small button--danger-text"
              data-testid="delete-document"
              onClick={() => onDelete(document)}
              aria-label={`Delete ${document.title}`}
            >
              Delete
            </button>
          </>
        )}
      </td>
    </tr>
  );
}
