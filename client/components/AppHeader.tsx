import type { ReactNode } from 'react';
import { useSession } from '../hooks/useSession.js';
import { listPath, signInPath } from '../router.js';
import { Link } from './Link.js';
import { SessionBadge } from './SessionBadge.js';
import './app-header.css';

/** The sticky bar at the top of every page: product name, page-specific middle, who is signed in. */
export function AppHeader({ children }: { children?: ReactNode }) {
  const [session] = useSession();
  return (
    <header className="app-header">
      <Link href={listPath()} className="app-header__brand" title="All documents">
        Drafting room
      </Link>
      <div className="app-header__middle">{children}</div>
      {session.status === 'ready' ? (
        // An account is the secretariat's on every document; an invitation's role is per document, so none is named here.
        <SessionBadge
          name={session.session.name}
          delegation={session.session.account ? 'Secretariat' : ''}
          role={session.session.account ? 'secretariat' : null}
        />
      ) : (
        session.status === 'signed-out' && (
          <Link href={signInPath()} className="button button--quiet button--small">
            Secretariat sign-in
          </Link>
        )
      )}
    </header>
  );
}

/** A page's title in the header's middle ("Rev.1 · Draft final report…"), shortened with an ellipsis when space is short. */
export function HeaderTitle({ title, document }: { title: string; document: string | null }) {
  return (
    <span className="app-header__title">
      {title}
      {document !== null && <span className="app-header__document"> · {document}</span>}
    </span>
  );
}
