import { useCallback, useEffect, useId, useRef, useState, type RefObject } from 'react';
import type { Role } from '../../shared/schema/roles.js';
import { signOut } from '../api.js';
import { forgetAllLocalCopies } from '../collab/session.js';
import { identityColor } from '../identity.js';
import { listPath, navigate } from '../router.js';
import { badgeParts, roleLabel, roleSummary } from './session-identity.js';
import './session-badge.css';

export { roleLabel } from './session-identity.js';

type SessionBadgeProps = { name: string; delegation: string; role: Role | null };

/** Closes the menu on Escape (the focus goes back to the badge) and on a press anywhere outside it. */
function useDismiss(open: boolean, close: () => void, root: RefObject<HTMLDivElement | null>, button: RefObject<HTMLButtonElement | null>) {
  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) close();
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      close();
      button.current?.focus();
    };
    document.addEventListener('pointerdown', onPointer);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      document.removeEventListener('keydown', onKey);
    };
  }, [open, close, root, button]);
}

/**
 * Who this browser is signed in as, in what role, and the way out. The badge
 * stays whole (the header's title gives way, not it): on one line where the
 * header has room, on two below; its menu says it all in full.
 */
export function SessionBadge({ name, delegation, role }: SessionBadgeProps) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const menuId = useId();
  const parts = badgeParts(name, delegation, role);
  const close = useCallback(() => setOpen(false), []);
  useDismiss(open, close, root, button);
  const full = [name, delegation, role && roleLabel(role)].filter(Boolean).join(', ');

  return (
    <div className="session-badge" ref={root}>
      <button
        ref={button}
        type="button"
        className="identity-button"
        data-testid="identity-button"
        aria-expanded={open}
        aria-controls={menuId}
        onClick={() => setOpen((o) => !o)}
        title={`Signed in as ${full}`}
      >
        <span className="color-dot" style={{ backgroundColor: identityColor({ name, delegation }) }} aria-hidden="true" />
        <span className="identity-button__text" data-testid="identity-text">
          <span className="identity-button__name">{parts.name}</span>
          {(parts.delegation || parts.role) && (
            <span className="identity-button__detail">
              {parts.delegation && (
                <span className="identity-button__delegation">
                  {/* One line reads "Name (Delegation)"; on two the delegation stands under the name, bare. */}
                  <span className="identity-button__paren"> (</span>
                  {parts.delegation}
                  <span className="identity-button__paren">)</span>
                </span>
              )}
              {parts.role && (
                <span className="role-tag" data-testid="role-tag">
                  {parts.role}
                </span>
              )}
            </span>
          )}
        </span>
        <span className="identity-button__chevron" aria-hidden="true">
          ▾
        </span>
      </button>
      {open && (
        <div className="session-badge__menu" id={menuId} data-testid="identity-menu">
          <dl className="session-badge__identity">
            <dt>Name</dt>
            <dd data-testid="identity-menu-name">{name}</dd>
            {delegation && (
              <>
                <dt>Speaks for</dt>
                <dd data-testid="identity-menu-delegation">{delegation}</dd>
              </>
            )}
            {role && (
              <>
                <dt>Role</dt>
                <dd data-testid="identity-menu-role">
                  {roleLabel(role)}
                  <span className="session-badge__summary">{roleSummary(role)}</span>
                </dd>
              </>
            )}
          </dl>
          <button
            type="button"
            className="button button--small session-badge__sign-out"
            data-testid="sign-out"
            onClick={async () => {
              await signOut().catch(() => undefined);
              await forgetAllLocalCopies().catch(() => undefined);
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
