import { useEffect, useId, useState, type FormEvent } from 'react';
import type { JoinInfo, JoinProblem } from '../../shared/schema/auth.js';
import { PersonName } from '../../shared/schema/negotiation.js';
import { acceptInvitation, joinInfo, JoinRefusedApiError } from '../api.js';
import { AuthCard } from '../components/AuthCard.js';
import { roleLabel } from '../components/SessionBadge.js';
import { rememberName, rememberedName } from '../remembered-name.js';
import { editorPath, navigate } from '../router.js';
import './join-page.css';

/** What the page knows of the link: loading, what it opens, why it opens nothing, or nothing (the server could not say). */
type LinkState =
  | { status: 'loading' }
  | { status: 'ready'; info: JoinInfo }
  | { status: 'refused'; problem: JoinProblem; message: string }
  | { status: 'unknown' };

const REFUSED_TITLES: Record<JoinProblem, string> = {
  unknown: 'This invitation link does not work',
  revoked: 'This invitation was revoked',
  expired: 'This invitation has expired',
  claimed: 'This invitation is already in use',
};

/**
 * An invitation link: the page says what it opens (the document, the
 * delegation, the role) or why it opens nothing, the person says their name
 * once, the server signs them in (a cookie) with the role and delegation the
 * secretariat gave, and they land in the document.
 */
export function JoinPage({ token }: { token: string }) {
  const [link, setLink] = useState<LinkState>({ status: 'loading' });
  const [name, setName] = useState(rememberedName);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();

  useEffect(() => {
    document.title = 'Join — Drafting room';
    let live = true;
    joinInfo(token).then(
      (info) => live && setLink({ status: 'ready', info }),
      (err: unknown) => {
        if (!live) return;
        // Unreachable or busy (429): the person may still try to join; the answer will say why if it fails.
        if (err instanceof JoinRefusedApiError) setLink({ status: 'refused', problem: err.problem, message: err.message });
        else setLink({ status: 'unknown' });
      },
    );
    return () => {
      live = false;
    };
  }, [token]);

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
      if (err instanceof JoinRefusedApiError) setLink({ status: 'refused', problem: err.problem, message: err.message });
      setError(err instanceof Error ? err.message : String(err));
      setBusy(false);
    }
  };

  if (link.status === 'refused') {
    return (
      <AuthCard title={REFUSED_TITLES[link.problem]}>
        <p className="form__hint" role="alert" data-testid="join-error" data-problem={link.problem}>
          {link.message}.
        </p>
        <p className="form__hint">Drafts under negotiation are open only to those the secretariat invited.</p>
      </AuthCard>
    );
  }

  return (
    <AuthCard title="Join the drafting session">
      <form className="form" onSubmit={submit} noValidate>
        {link.status === 'ready' ? (
          <dl className="join-summary" data-testid="join-summary">
            <dt>Document</dt>
            <dd data-testid="join-document">{link.info.documentTitle}</dd>
            <dt>Delegation</dt>
            <dd data-testid="join-delegation">{link.info.delegation}</dd>
            <dt>Role</dt>
            <dd data-testid="join-role">{roleLabel(link.info.role)}</dd>
          </dl>
        ) : (
          <p className="form__hint">{link.status === 'loading' ? 'Reading the invitation…' : 'You were invited to a document.'}</p>
        )}
        {link.status === 'ready' && link.info.personBound && (
          <p className="form__hint" data-testid="join-person-bound">
            This link is for you alone: this browser keeps it, and it will not open on another computer.
          </p>
        )}
        <p className="form__hint">Your name is shown to the others next to your cursor and on what you propose.</p>
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
