import { useId, useState, type FormEvent } from 'react';
import type { DocumentId } from '../../shared/schema/api.js';
import type { Reading } from '../../shared/schema/readings.js';
import { ApiError, issueReading } from '../api.js';

type IssueReadingFormProps = {
  documentId: DocumentId;
  /** The name the server proposes ("Rev.3"), editable. */
  proposedName: string;
  onIssued: (reading: Reading) => void;
  onCancel: () => void;
};

/**
 * Issuing a reading freezes the text as it stands for everyone: the form is
 * the confirmation, its button says which reading it issues.
 */
export function IssueReadingForm({ documentId, proposedName, onIssued, onCancel }: IssueReadingFormProps) {
  const [name, setName] = useState(proposedName);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const nameId = useId();
  const noteId = useId();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    issueReading(documentId, { name: name.trim() || undefined, note: note.trim() || undefined }).then(
      (reading) => onIssued(reading),
      (err: unknown) => {
        // A name already used comes back as a 409 whose message says so.
        setError(err instanceof ApiError ? err.message : 'The reading could not be issued.');
        setBusy(false);
      },
    );
  };

  const shown = name.trim() || proposedName;
  return (
    <form className="form readings-issue" onSubmit={submit} data-testid="issue-reading-form">
      <div className="field">
        <label className="field__label" htmlFor={nameId}>
          Name
        </label>
        <input
          id={nameId}
          className="input input--small"
          value={name}
          maxLength={60}
          onChange={(e) => setName(e.target.value)}
          data-testid="issue-reading-name"
        />
      </div>
      <div className="field">
        <label className="field__label" htmlFor={noteId}>
          Note (optional)
        </label>
        <textarea
          id={noteId}
          className="input input--small readings-issue__note"
          value={note}
          maxLength={1000}
          rows={2}
          onChange={(e) => setNote(e.target.value)}
          data-testid="issue-reading-note"
        />
      </div>
      <p className="form__hint">{shown} records the text as it stands now, for everyone in the document. A reading cannot be changed afterwards.</p>
      {error && (
        <p className="form__error" role="alert" data-testid="issue-reading-error">
          {error}
        </p>
      )}
      <div className="form__actions">
        <button type="submit" className="button button--small button--primary" disabled={busy} data-testid="issue-reading-confirm">
          Issue {shown}
        </button>
        <button type="button" className="button button--small button--quiet" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}
