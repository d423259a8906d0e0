import { useId, useState, type FormEvent } from 'react';
import { DELEGATION_SUGGESTIONS } from '../delegations.js';
import { Identity, identityColor, identityLabel } from '../identity.js';
import { Modal } from './Modal.js';

type IdentityDialogProps = {
  initial: Identity | null;
  onSubmit: (identity: Identity) => void;
  /** Absent when joining: a document is not opened anonymously. */
  onCancel?: () => void;
};

export function IdentityDialog({ initial, onSubmit, onCancel }: IdentityDialogProps) {
  const [name, setName] = useState(initial?.name ?? '');
  const [delegation, setDelegation] = useState(initial?.delegation ?? '');
  const [error, setError] = useState<string | null>(null);
  const ids = useId();
  const joining = initial === null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = Identity.safeParse({ name, delegation });
    if (!parsed.success) {
      setError('Please enter your name (at most 80 characters); the delegation is at most 80 characters.');
      return;
    }
    onSubmit(parsed.data);
  };

  const preview = Identity.safeParse({ name, delegation });

  return (
    <Modal title={joining ? 'Join the drafting session' : 'Your name and delegation'} onClose={onCancel}>
      <form className="form" onSubmit={submit} noValidate>
        <p className="form__hint">
          Others see this next to your cursor and in the list of participants. It is remembered on this computer.
        </p>
        <label className="field" htmlFor={`${ids}-name`}>
          <span className="field__label">Your name</span>
          <input
            id={`${ids}-name`}
            data-testid="join-name"
            className="input"
            value={name}
            onChange={(event) => setName(event.target.value)}
            autoComplete="name"
            maxLength={80}
            required
            autoFocus
          />
        </label>
        <label className="field" htmlFor={`${ids}-delegation`}>
          <span className="field__label">Delegation</span>
          <input
            id={`${ids}-delegation`}
            data-testid="join-delegation"
            className="input"
            value={delegation}
            onChange={(event) => setDelegation(event.target.value)}
            list={`${ids}-delegations`}
            placeholder="e.g. Kenya, Secretariat, Chair"
            autoComplete="organization"
            maxLength={80}
          />
          <datalist id={`${ids}-delegations`}>
            {DELEGATION_SUGGESTIONS.map((suggestion) => (
              <option key={suggestion} value={suggestion} />
            ))}
          </datalist>
        </label>
        {preview.success && (
          <p className="form__preview">
            Shown as{' '}
            <span className="caret-preview" style={{ backgroundColor: identityColor(preview.data) }}>
              {identityLabel(preview.data.name, preview.data.delegation)}
            </span>
          </p>
        )}
        {error && (
          <p className="form__error" role="alert">
            {error}
          </p>
        )}
        <div className="form__actions">
          {onCancel && (
            <button type="button" className="button" onClick={onCancel}>
              Cancel
            </button>
          )}
          <button type="submit" className="button button--primary" data-testid="join-submit">
            {joining ? 'Join' : 'Save'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
