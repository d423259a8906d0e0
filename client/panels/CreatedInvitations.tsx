import { useEffect, useRef } from 'react';
import type { CreatedInvitation } from '../../shared/schema/auth.js';
import { CopyButton } from '../components/CopyButton.js';
import { roleLabel } from '../components/SessionBadge.js';
import { invitationFor, invitationsAsText } from './invitation-text.js';

/**
 * The links just made, each with its copy button, and all of them as text
 * for an e-mail. They can be shown again from the list below while valid.
 */
export function CreatedInvitations({ created, onDismiss }: { created: CreatedInvitation[]; onDismiss: () => void }) {
  const section = useRef<HTMLElement>(null);
  // Made from the form above it: brought into view, in a dialog that may have scrolled.
  useEffect(() => {
    if (created.length > 0) section.current?.scrollIntoView({ block: 'nearest' });
  }, [created]);
  return (
    <section ref={section} className="invitation-created" role="status" aria-label="New invitation links" data-testid="invitations-created">
      <div className="invitation-created__head">
        <p>
          {created.length === 1 ? 'Send this link to the person it is for' : `${created.length} links: send each to its delegation`}. You can
          copy it again from the list below while it is valid.
        </p>
        {created.length > 1 && (
          <CopyButton
            text={() => invitationsAsText(created)}
            label="Copy all"
            copiedLabel="All copied"
            className="button button--small button--primary"
            title="Copies one line per link: delegation — role — link, to paste into an e-mail"
            testId="copy-all-invitations"
          />
        )}
        <button type="button" className="button button--quiet button--small" onClick={onDismiss}>
          Done
        </button>
      </div>
      <ul className="invitation-created__list">
        {created.map((inv) => (
          <li key={inv.id} className="invitation-created__item" data-testid="created-invitation">
            <span className="invitation-created__who">
              <strong>{invitationFor(inv)}</strong>
              <span className="invitation-created__what">
                {roleLabel(inv.role)}
                {inv.personBound && ' · for one person'}
              </span>
            </span>
            <input
              className="input input--small invitation-created__url"
              readOnly
              value={inv.url}
              aria-label={`Link for ${invitationFor(inv)}`}
              data-testid="invitation-url"
              onFocus={(e) => e.currentTarget.select()}
            />
            <CopyButton text={() => inv.url} label="Copy" aria-label={`Copy the link for ${invitationFor(inv)}`} testId="copy-invitation" />
          </li>
        ))}
      </ul>
    </section>
  );
}
