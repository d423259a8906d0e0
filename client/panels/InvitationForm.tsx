import { useId, useState, type FormEvent } from 'react';
import type { DocumentId } from '../../shared/schema/api.js';
import type { CreatedInvitation } from '../../shared/schema/auth.js';
import { Role } from '../../shared/schema/roles.js';
import { createInvitation, createInvitations } from '../api.js';
import { roleLabel } from '../components/SessionBadge.js';
import { readPastedList } from './invitation-text.js';

const EXPIRY_CHOICES: Array<{ label: string; hours: number | null }> = [
  { label: 'Until revoked', hours: null },
  { label: '1 day', hours: 24 },
  { label: '1 week', hours: 24 * 7 },
  { label: '1 month', hours: 24 * 30 },
];

type InvitationFormProps = {
  documentId: DocumentId;
  onCreated: (created: CreatedInvitation[]) => void;
};

/**
 * Makes invitations: one per line of a pasted list of delegations, all with
 * the role, validity and kind chosen here. A link is either the delegation's,
 * for anyone it is sent to, or for one person: the first browser that opens
 * it keeps it.
 */
export function InvitationForm({ documentId, onCreated }: InvitationFormProps) {
  const [role, setRole] = useState<Role>('delegate');
  const [list, setList] = useState('');
  const [label, setLabel] = useState('');
  const [expiry, setExpiry] = useState(0);
  const [personBound, setPersonBound] = useState(false);
  // The projector's link (an observer's): shown in presence as "Plenary screen".
  const [screen, setScreen] = useState(false);
  const forScreen = screen && role === 'observer';
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();
  const personal = role === 'commenter' || role === 'observer';
  const pasted = readPastedList(list);
  const count = Math.max(pasted.names.length, role === 'delegate' ? 0 : 1);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (pasted.problem) return setError(pasted.problem);
    if (role === 'delegate' && pasted.names.length === 0) return setError('Name the delegation: one per line for several links.');
    setError(null);
    setBusy(true);
    const hours = EXPIRY_CHOICES[expiry]?.hours ?? null;
    const options = {
      role,
      ...(label.trim() ? { label: label.trim() } : {}),
      ...(hours ? { expiresInHours: hours } : {}),
      ...(personBound && !forScreen ? { personBound } : {}),
      ...(forScreen ? { kind: 'screen' as const } : {}),
    };
    try {
      const made =
        pasted.names.length === 0
          ? [await createInvitation(documentId, options)]
          : await createInvitations(documentId, { ...options, delegations: pasted.names });
      setList('');
      setLabel('');
      onCreated(made);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="form invitation-form" onSubmit={submit} noValidate data-testid="invitation-form">
      <div className="invitation-form__grid">
        <label className="field invitation-form__list" htmlFor={`${id}-list`}>
          <span className="field__label">
            {role === 'delegate' ? 'Delegations, one per line' : `${personal ? 'Names' : 'Delegations'}, one per line (optional)`}
          </span>
          <textarea
            id={`${id}-list`}
            className="input invitation-form__textarea"
            data-testid="invitation-delegation"
            value={list}
            onChange={(e) => setList(e.target.value)}
            placeholder={role === 'delegate' ? 'Kenya\nEgypt\nBrazil' : ''}
            rows={5}
            spellCheck={false}
          />
          <span className="form__hint" data-testid="invitation-count">
            {count === 0 ? 'Paste a list from an e-mail or a spreadsheet column.' : count === 1 ? 'One link.' : `${count} links, one per line.`}
            {pasted.repeated.length > 0 && ` ${pasted.repeated.join(', ')}: listed more than once, one link each.`}
          </span>
        </label>
        <div className="invitation-form__options">
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
      </div>
      <fieldset className="invitation-form__kind">
        <legend className="field__label">Each link opens the document for</legend>
        <label>
          <input
            type="radio"
            name={`${id}-kind`}
            checked={!personBound && !forScreen}
            onChange={() => {
              setPersonBound(false);
              setScreen(false);
            }}
            data-testid="invitation-shared"
          />{' '}
          anyone it is sent to <span className="form__hint">(the delegation’s link: several people may use it)</span>
        </label>
        <label>
          <input
            type="radio"
            name={`${id}-kind`}
            checked={personBound && !forScreen}
            onChange={() => {
              setPersonBound(true);
              setScreen(false);
            }}
            data-testid="invitation-person-bound"
          />{' '}
          one person <span className="form__hint">(the first browser that opens it keeps it; you can release it)</span>
        </label>
        {role === 'observer' && (
          <label>
            <input type="radio" name={`${id}-kind`} checked={forScreen} onChange={() => setScreen(true)} data-testid="invitation-screen" />{' '}
            the plenary screen <span className="form__hint">(the projector’s read-only link: shown as “Plenary screen”, not as a person)</span>
          </label>
        )}
      </fieldset>
      {personal && !forScreen && (
        <p className="form__hint" data-testid="invitation-personal-note">
          Each {roleLabel(role).toLowerCase()} link gets a name of its own in this document, made from its line or the “For” field (“
          {roleLabel(role)}: Jane Doe”, numbered if taken){role === 'commenter' ? ': nobody else can edit its comments.' : '.'}
        </p>
      )}
      {error && (
        <p className="form__error" role="alert" data-testid="invitation-error">
          {error}
        </p>
      )}
      <div className="form__actions">
        <button type="submit" className="button button--primary" data-testid="invitation-create" disabled={busy}>
          {busy ? 'Creating…' : count > 1 ? `Create ${count} invitation links` : 'Create invitation link'}
        </button>
      </div>
    </form>
  );
}
