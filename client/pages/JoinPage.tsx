import { useEffect, useId, useState, type FormEvent } from 'react';
import { PersonName } from '../../shared/schema/negotiation.js';
import { acceptInvitation } from '../api.js';
import { AuthCard } from '../components/AuthCard.js';
import { rememberName, rememberedName } from '../remembered-name.js';
import { editorPath, navigate } from '../router.js';

/**
 * An invitation link: the person says their name once, the server signs them
 * in (a cookie) with the role and delegation the secretariat gave, and they
 * land in the document.
 */
export function JoinPage({ token }: { token: string }) {
  const [name, setName] = useState(rememberedName);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();

  useEffect(() => {
    document.title = 'Join — Drafting room';
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const parsed = PersonName.safeParse(name);
    if (!parsed.success) {
      setError('Please enter your name (at most 80 characters).');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const { documentId } = await acceptInvitation(token, parsed.data);
      rememberName(parsed.data);
      // The token is a secret: do not leave it in the address bar or the history.
      navigate(editorPath(documentId), { replace: true });
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setBusy(false);
    }
  };

  return (
    <AuthCard title="Join the drafting session">
      <form className="form" onSubmit={submit} noValidate>
        <p className="form__hint">
          You were invited to a document. Your name is shown to the others next to your cursor and on what you propose; your
          delegation and role come with the invitation.
        </p>
        <label className="field" htmlFor={`${id}-name`}>
          <span className="field__label">Your name</span>
          <input
            id={`${id}-name`}
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
        {error && (
          <p className="form__error" role="alert" data-testid="join-error">
            {error}
          </p>
        )}
        <div className="form__actions">
          <button type="submit" className="button button--primary" data-testid="join-submit" disabled={busy}>
            {busy ? 'Joining…' : 'Join'}
          </button>
        </div>
      </form>
    </AuthCard>
  );
}
