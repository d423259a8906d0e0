import { useCallback, useEffect, useState } from 'react';
import type { DocumentId } from '../../shared/schema/api.js';
import type { CreatedInvitation, InvitationListEntry } from '../../shared/schema/auth.js';
import { listInvitations, releaseInvitation, revokeInvitation } from '../api.js';
import { Modal } from '../components/Modal.js';
import { CreatedInvitations } from './CreatedInvitations.js';
import { InvitationForm } from './InvitationForm.js';
import { InvitationTable } from './InvitationTable.js';
import './invitations.css';

/** How often the list is read again while open: who joined, and who is in the document now. */
const REFRESH_MS = 20_000;

/**
 * The secretariat invites people to this document: one link per person or
 * delegation, or one per line of a pasted list, with a role, an optional
 * expiry, for anyone it is sent to or for one person; then sees who joined
 * with each and when, copies a link again, releases and revokes (which also
 * disconnects whoever is in the room on that link). A commenter's or
 * observer's link speaks for itself alone: the server names it (shown in the
 * list), so one commenter never edits another's comments.
 */
export function InvitationsDialog({ documentId, onClose }: { documentId: DocumentId; onClose: () => void }) {
  const [invitations, setInvitations] = useState<InvitationListEntry[] | null>(null);
  const [created, setCreated] = useState<CreatedInvitation[]>([]);
  const [error, setError] = useState<string | null>(null);

  const fail = useCallback((err: unknown) => setError(err instanceof Error ? err.message : String(err)), []);
  const reload = useCallback(() => {
    listInvitations(documentId).then(setInvitations, fail);
  }, [documentId, fail]);
  useEffect(() => {
    reload();
    const timer = setInterval(reload, REFRESH_MS);
    return () => clearInterval(timer);
  }, [reload]);

  const act = (action: (id: DocumentId, invitationId: string) => Promise<unknown>) => (invitationId: string) => {
    setError(null);
    action(documentId, invitationId).then(reload, fail);
  };

  return (
    <Modal title="Invitations to this document" onClose={onClose} wide>
      <InvitationForm
        documentId={documentId}
        onCreated={(made) => {
          setCreated(made);
          reload();
        }}
      />
      {created.length > 0 && <CreatedInvitations created={created} onDismiss={() => setCreated([])} />}
      <h3 className="invitation-list__title">
        All invitations{invitations && invitations.length > 0 ? ` (${invitations.length})` : ''}
      </h3>
      {error && (
        <p className="form__error" role="alert" data-testid="invitations-error">
          {error}
        </p>
      )}
      {invitations === null ? (
        !error && <p className="form__hint">Loading…</p>
      ) : (
        <InvitationTable
          documentId={documentId}
          invitations={invitations}
          onRevoke={act(revokeInvitation)}
          onRelease={act(releaseInvitation)}
          onError={setError}
        />
      )}
    </Modal>
  );
}
