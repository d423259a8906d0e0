import { useState } from 'react';
import type { DocumentSummary } from '../../../shared/schema/api.js';
import { deleteDocument } from '../../api.js';
import { Modal } from '../../components/Modal.js';

type DeleteDocumentDialogProps = {
  document: DocumentSummary;
  onDeleted: () => void;
  onClose: () => void;
};

export function DeleteDocumentDialog({ document, onDeleted, onClose }: DeleteDocumentDialogProps) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await deleteDocument(document.id);
      onDeleted();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setBusy(false);
    }
  };

  return (
    <Modal title="Delete this document?" onClose={busy ? undefined : onClose}>
      <div className="form">
        <p>
          <strong>{document.title}</strong> will be deleted for everyone. Delegates who have it open are disconnected.
          This cannot be undone.
        </p>
        {error && (
          <p className="form__error" role="alert">
            {error}
          </p>
        )}
        <div className="form__actions">
          <button type="button" className="button" onClick={onClose} disabled={busy} autoFocus>
            Keep it
          </button>
          <button
            type="button"
            className="button button--danger"
            data-testid="delete-confirm"
            onClick={confirm}
            disabled={busy}
          >
            {busy ? 'Deleting…' : 'Delete document'}
          </button>
        </div>
      </div>
    </Modal>
  );
}
