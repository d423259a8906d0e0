import { useEffect } from 'react';
import { forgetLocalCopy } from '../collab/session.js';
import { AuthCard } from '../components/AuthCard.js';
import { Link } from '../components/Link.js';
import { matchRoute, signInPath } from '../router.js';

/**
 * Someone without (the right) invitation sees only this: nothing of the
 * document. A browser whose invitation was revoked or released while the page
 * was closed still holds its copy of the document: it is deleted here.
 */
export function NoAccessPage({ reason, message }: { reason: 'unauthenticated' | 'forbidden'; message: string }) {
  useEffect(() => {
    document.title = 'No access — Drafting room';
    const route = matchRoute(location.pathname);
    if (route.page === 'editor') void forgetLocalCopy(route.documentId);
  }, []);
  return (
    <AuthCard title={reason === 'unauthenticated' ? 'An invitation is needed' : 'This invitation does not open this document'}>
      <p className="form__hint" data-testid="no-access" role="alert">
        {message}. Drafts under negotiation are open only to those the secretariat invited: open the invitation link you were
        sent, or ask the secretariat for one.
      </p>
      <p>
        Secretariat? <Link href={signInPath()}>Sign in with your password</Link>.
      </p>
    </AuthCard>
  );
}
