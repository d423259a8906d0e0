import type { ReactNode } from 'react';
import { listPath } from '../router.js';
import { IdentityButton } from './IdentityButton.js';
import { Link } from './Link.js';

/** The sticky bar at the top of every page: product name, page-specific middle, own identity. */
export function AppHeader({ children }: { children?: ReactNode }) {
  return (
    <header className="app-header">
      <Link href={listPath()} className="app-header__brand" title="All documents">
        Drafting room
      </Link>
      <div className="app-header__middle">{children}</div>
      <IdentityButton />
    </header>
  );
}
