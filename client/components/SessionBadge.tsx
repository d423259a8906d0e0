import { useState } from 'react';
import type { Role } from '../../shared/schema/roles.js';
import { signOut } from '../api.js';
import { identityColor, identityLabel } from '../identity.js';
import { listPath, navigate } from '../router.js';
import './session-badge.css';

const ROLE_LABELS: Record<Role, string> = {
  secretariat: 'Secretariat',
  chair: 'Chair',
  delegate: 'Delegate',
  commenter: 'Commenter',
  observer: 'Observer',
};

export function roleLabel(role: Role): string {
  return ROLE_LABELS[role];
}

/** Who this browser is signed in as, in what role, and the way out. */
export function SessionBadge({ name, delegation, role }: { name: string; delegation: string; role: Role | null }) {
  const [open, setOpen] = useState(false);
  return (
    <div className="session-badge">
      <button
        type="button"
        className="identity-button"
        data-testid="identity-button"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
        title="Signed in"
      >
        <span className="color-dot" style={{ backgroundColor: identityColor({ name, delegation }) }} aria-hidden="true" />
        {identityLabel(name, delegation)}
        {role && (
          <span className="role-tag" data-testid="role-tag">
            {roleLabel(role)}
          </span>
        )}
      </button>
      {open && (
        <div className="session-badge__menu" role="menu">
          <button
            type="button"
            role="menuitem"
            className="button button--quiet button--small"
            data-testid="sign-out"
            onClick={async () => {
              await signOut().catch(() => undefined);
              navigate(listPath());
              location.reload();
            }}
          >
            Sign out
          </button>
        </div>
      )}
    </div>
  );
}
