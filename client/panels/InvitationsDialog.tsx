import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import type { DocumentId } from '../../shared/schema/api.js';
import type { CreatedInvitation, InvitationSummary } from '../../shared/schema/auth.js';
import { Role } from '../../shared/schema/roles.js';
import { createInvitation, listInvitations, revokeInvitation } from '../api.js';
import { Modal } from '../components/Modal.js';
import { RelativeTime } from '../components/RelativeTime.js';
import { roleLabel } from '../components/SessionBadge.js';
import { DELEGATION_SUGGESTIONS } from '../delegations.js';
import './invitations.css';

const EXPIRY_CHOICES: Array<{ label: string; hours: number | null }> = [
  { label: 'Until revoked', hours: null },
  { label: '1 day', hours: 24 },
  { label: '1 week', hours: 24 * 7 },
  { label: '1 month', hours: 24 * 30 },
];

/**
 * The secretariat invites people to this document: one link per person or
 * delegation, with a role, an optional expiry, and revocation (which also
 * disconnects whoever is in the room on that link). A commenter's or
 * observer's link speaks for itself alone: the server names it (shown in
 * the list), so one commenter never edits another's comments.
 */
export function InvitationsDialog({ documentId, onClose }: { documentId: DocumentId; onClose: () => void }) {
  const [invitations, setInvitations] = useState<InvitationSummary[] | null>(null);
  const [created, setCreated] = useState<CreatedInvitation | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [role, setRole] = useState<Role>('delegate');
  const [delegation, setDelegation] = useState('');
  const [label, setLabel] = useState('');
  const [expiry, setExpiry] = useState(0);
  const id = useId();
  const personal = role === 'commenter' || role === 'observer';

  const reload = useCallback(() => {
    listInvitations(documentId).then(setInvitations, (err: unknown) => setError(err instanceof Error ? err.message : String(err)));
  }, [documentId]);
  useEffect(reload, [reload]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      const hours = EXPIRY_CHOICES[expiry]?.hours ?? null;
      const made = await createInvitation(documentId, {
        role,
        ...(delegation.trim() ? { delegation: delegation.trim() } : {}),
        ...(label.trim() ? { label: label.trim() } : {}),
        ...(hours ? { expiresInHours: hours } : {}),
      });
      setCreated(made);
      setLabel('');
      reload();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };

  const revoke = async (invitationId: string) => {
    try {
      await revokeInvitation(documentId, invitationId);
      reload();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };

  return (
    <Modal title="Invitations to this document" onClose={onClose} wide>
      <form className="form" onSubmit={submit} noValidate data-testid="invitation-form">
        <div className="form__row">
          <label className="field" htmlFor={`${id}-role`}>
            <span className="field__label">Role</span>
            <select id={`${id}-role`} className="input" data-testid="invitation-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
              {Role.options.map((r) => (
                <option key={r} value={r}>
                  {roleLabel(r)}
                </option>
              ))}
            </select>
          </label>
          <label className="field" htmlFor={`${id}-delegation`}>
            <span className="field__label">Delegation{role === 'delegate' ? '' : ' (optional)'}</span>
            <input
              id={`${id}-delegation`}
              className="input"
              data-testid="invitation-delegation"
              value={delegation}
              onChange={(e) => setDelegation(e.target.value)}
              list={`${id}-delegations`}
              placeholder={role === 'delegate' ? 'e.g. Kenya' : ''}
              maxLength={80}
            />
            <datalist id={`${id}-delegations`}>
              {DELEGATION_SUGGESTIONS.map((s) => (
                <option key={s} value={s} />
              ))}
            </datalist>
          </label>
        </div>
        <div className="form__row">
          <label className="field" htmlFor={`${id}-label`}>
            <span className="field__label">For (optional)</span>
            <input id={`${id}-label`} className="input" value={label} onChange={(e) => setLabel(e.target.value)} placeholder="e.g. Head of delegation" maxLength={120} />
          </label>
          <label className="field" htmlFor={`${id}-expiry`}>
            <span className="field__label">Valid</span>
            <select id={`${id}-expiry`} className="input" value={expiry} onChange={(e) => setExpiry(Number(e.target.value))}>
              {EXPIRY_CHOICES.map((c, i) => (
                <option key={c.label} value={i}>
                  {c.label}
                </option>
              ))}
            </select>
          </label>
        </div>
        {personal && (
          <p className="form__hint" data-testid="invitation-personal-note">
            Each {roleLabel(role).toLowerCase()} link gets a name of its own in this document, made from the delegation or the
            “For” field (“{roleLabel(role)}: Jane Doe”, numbered if taken){role === 'commenter' ? ': nobody else can edit its comments.' : '.'}
          </p>
        )}
        {error && (
          <p className="form__error" role="alert">
            {error}
          </p>
        )}
        <div className="form__actions">
          <button type="submit" className="button button--primary" data-testid="invitation-create">
            Create invitation link
          </button>
        </div>
      </form>
      {created && (
        <div className="invitation-created" role="status">
          <p>
            Send this link to {created.label} ({roleLabel(created.role)}, as “{created.delegation}”). It is shown only now.
          </p>
          <input className="input" readOnly value={created.url} data-testid="invitation-url" onFocus={(e) => e.currentTarget.select()} />
        </div>
      )}
      <table className="invitation-table" data-testid="invitation-list">
        <thead>
          <tr>
            <th>For</th>
            <th>Role</th>
            <th>Delegation</th>
            <th>Created</th>
            <th>Status</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(invitations ?? []).map((inv) => {
            const expired = inv.expiresAt !== null && new Date(inv.expiresAt) <= new Date();
            return (
              <tr key={inv.id} data-testid="invitation-row">
                <td>{inv.label}</td>
                <td>{roleLabel(inv.role)}</td>
                <td>{inv.delegation}</td>
                <td>
                  <RelativeTime iso={inv.createdAt} />
                </td>
                <td>{inv.revokedAt ? 'Revoked' : expired ? 'Expired' : inv.expiresAt ? <>Until {new Date(inv.expiresAt).toLocaleDateString()}</> : 'Active'}</td>
                <td>
                  {!inv.revokedAt && !expired && (
                    <button type="button" className="button button--small button--danger" data-testid="revoke-invitation" onClick={() => void revoke(inv.id)}>
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </Modal>
  );
}
