import { useState, type FormEvent } from 'react';
import { createDocument } from '../../api.js';
import { Modal } from '../../components/Modal.js';
import { editorPath, navigate } from '../../router.js';
import { titleProblem } from './title.js';

/** Asks for a title, creates the document and opens it. */
export function NewDocumentDialog({ onClose }: { onClose: () => void }) {
  const [title, setTitle] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const problem = titleProblem(title);
    if (problem) {
      setError(problem);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const { id } = await createDocument(title.trim());
      navigate(editorPath(id));
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setBusy(false);
    }
  };

  return (
    <Modal title="New document" onClose={busy ? undefined : onClose}>
      <form className="form" onSubmit={submit} noValidate>
        <label className="field">
          <span className="field__label">Title</span>
          <input
            className="input"
            data-testid="new-document-title"
            value={title}
            onChange={(event) => setTitle(event.target.value)}
            placeholder="e.g. Draft report of the fourth meeting"
            maxLength={200}
            required
            autoFocus
          />
        </label>
        {error && (
          <p className="form__error" role="alert">
            {error}
          </p>
        )}
        <div className="form__actions">
          <button type="button" className="button" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button type="submit" className="button button--primary" data-testid="new-document-submit" disabled={busy}>
            {busy ? 'Creating…' : 'Create and open'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
