import { useId, useState } from 'react';
import type { DocumentId } from '../../shared/schema/api.js';
import type { InvitationListEntry } from '../../shared/schema/auth.js';
import { invitationLink } from '../api.js';
import { CopyButton } from '../components/CopyButton.js';
import { RelativeTime } from '../components/RelativeTime.js';
import { roleLabel } from '../components/SessionBadge.js';
import { invitationFor, invitationState } from './invitation-text.js';

/** Above this many, a search field finds one delegation among 190. */
const SEARCH_FROM = 8;

type Pending = { id: string; action: 'revoke' | 'release' };

type InvitationTableProps = {
  documentId: DocumentId;
  invitations: InvitationListEntry[];
  onRevoke: (invitationId: string) => void;
  onRelease: (invitationId: string) => void;
  onError: (message: string) => void;
};

/**
 * Every invitation of the document: who joined with it (the names typed on
 * the join page) and when it was last used, its link copied again while
 * valid, a person-bound one released for another computer, and revocation.
 * Revoking and releasing disconnect people, so each asks first, in its row.
 */
export function InvitationTable({ documentId, invitations, onRevoke, onRelease, onError }: InvitationTableProps) {
  const [pending, setPending] = useState<Pending | null>(null);
  const [search, setSearch] = useState('');
  const id = useId();
  const needle = search.trim().toLowerCase();
  const shown = needle
    ? invitations.filter((i) => [i.delegation, i.label, ...i.joined.map((j) => j.name)].some((t) => t.toLowerCase().includes(needle)))
    : invitations;

  if (invitations.length === 0) return <p className="form__hint invitation-none">No invitations yet: nobody but the secretariat can open this document.</p>;

  return (
    <div className="invitation-list">
      {invitations.length > SEARCH_FROM && (
        <label className="invitation-list__search" htmlFor={`${id}-search`}>
          <span className="field__label">Find</span>
          <input
            id={`${id}-search`}
            className="input input--small"
            type="search"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            placeholder="Delegation or name"
            data-testid="invitation-search"
          />
          <span className="form__hint">
            {shown.length} of {invitations.length}
          </span>
        </label>
      )}
      <table className="invitation-table" data-testid="invitation-list">
        <thead>
          <tr>
            <th>For</th>
            <th>Role</th>
            <th>Joined</th>
            <th>Last seen</th>
            <th>Status</th>
            <th>
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {shown.map((inv) => {
            const state = invitationState(inv);
            const asking = pending?.id === inv.id ? pending.action : null;
            return (
              <tr key={inv.id} data-testid="invitation-row" data-state={state}>
                <td>
                  <span className="invitation-table__for">{invitationFor(inv)}</span>
                  <span className="invitation-table__kind">{inv.personBound ? 'For one person' : 'Anyone with the link'}</span>
                </td>
                <td>{roleLabel(inv.role)}</td>
                <td data-testid="invitation-joined">
                  {inv.personBound && inv.claimedBy ? (
                    <>
                      Claimed by <strong>{inv.claimedBy}</strong>
                      {inv.claimedAt && (
                        <span className="invitation-table__when">
                          {' '}
                          <RelativeTime iso={inv.claimedAt} />
                        </span>
                      )}
                    </>
                  ) : inv.joined.length > 0 ? (
                    inv.joined.map((j) => j.name).join(', ')
                  ) : (
                    <span className="invitation-table__none">Nobody yet</span>
                  )}
                </td>
                <td data-testid="invitation-last-seen">
                  {inv.online > 0 ? (
                    <span className="invitation-table__online">In the document now{inv.online > 1 ? ` (${inv.online})` : ''}</span>
                  ) : inv.lastSeenAt ? (
                    <RelativeTime iso={inv.lastSeenAt} />
                  ) : (
                    <span className="invitation-table__none">Never</span>
                  )}
                </td>
                <td data-testid="invitation-status">
                  {state === 'revoked' ? 'Revoked' : state === 'expired' ? 'Expired' : inv.expiresAt ? <>Until {new Date(inv.expiresAt).toLocaleDateString()}</> : 'Active'}
                </td>
                <td className="invitation-table__actions">
                  {asking ? (
                    <Confirm
                      what={asking}
                      invitation={inv}
                      onYes={() => {
                        setPending(null);
                        (asking === 'revoke' ? onRevoke : onRelease)(inv.id);
                      }}
                      onNo={() => setPending(null)}
                    />
                  ) : (
                    state === 'active' && (
                      <>
                        {inv.canShowLink && (
                          <CopyButton
                            text={async () => (await invitationLink(documentId, inv.id)).url}
                            label="Copy link"
                            aria-label={`Copy the link for ${invitationFor(inv)}`}
                            testId="copy-invitation-link"
                            onError={onError}
                          />
                        )}
                        {inv.personBound && inv.claimedBy && (
                          <button type="button" className="button button--small" data-testid="release-invitation" onClick={() => setPending({ id: inv.id, action: 'release' })}>
                            Release
                          </button>
                        )}
                        <button
                          type="button"
                          className="button button--small button--danger-text"
                          data-testid="revoke-invitation"
                          onClick={() => setPending({ id: inv.id, action: 'revoke' })}
                        >
                          Revoke
                        </button>
                      </>
                    )
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** The question a revocation or a release asks in its row, saying what it will do to whom. */
function Confirm({ what, invitation, onYes, onNo }: { what: Pending['action']; invitation: InvitationListEntry; onYes: () => void; onNo: () => void }) {
  const who = invitationFor(invitation);
  return (
    <span className="invitation-confirm">
      <span className="invitation-confirm__question">
        {what === 'revoke'
          ? `Revoke ${who}’s link? Everyone using it leaves the document at once, and it opens nothing any more.`
          : `Release it? ${invitation.claimedBy ?? 'Its holder'} loses access on that computer; the next browser to open the link keeps it.`}
      </span>
      <button
        type="button"
        className={what === 'revoke' ? 'button button--small button--danger' : 'button button--small button--primary'}
        data-testid={what === 'revoke' ? 'confirm-revoke' : 'confirm-release'}
        onClick={onYes}
      >
        {what === 'revoke' ? 'Revoke' : 'Release'}
      </button>
      <button type="button" className="button button--small" data-testid="cancel-confirm" onClick={onNo} autoFocus>
        Cancel
      </button>
    </span>
  );
}
