import { useState } from 'react';
import type * as Y from 'yjs';
import type { DocumentId } from '../../../shared/schema/api.js';
import type { DocumentAccess } from '../../../shared/schema/auth.js';
import type { ConnectionState } from '../../collab/useConnectionState.js';
import { ConnectionStatus } from '../../components/ConnectionStatus.js';
import { CopyLinkButton } from '../../components/CopyLinkButton.js';
import { Link } from '../../components/Link.js';
import { SessionBadge } from '../../components/SessionBadge.js';
import type { SummaryState } from '../../hooks/useDocumentSummary.js';
import { DraftingModeControl } from '../../panels/DraftingModeControl.js';
import { ExportDialog } from '../../panels/ExportDialog.js';
import { FollowChairControl } from '../../panels/FollowChairControl.js';
import { InvitationsDialog } from '../../panels/InvitationsDialog.js';
import { listPath } from '../../router.js';
import '../../components/app-header.css';

type EditorHeaderProps = {
  summary: SummaryState;
  connection: ConnectionState;
  access: DocumentAccess | null;
  documentId: DocumentId;
  /** The shared document, once connected: the header shows its drafting mode. */
  ydoc: Y.Doc | null;
};

function titleOf(summary: SummaryState): string {
  switch (summary.status) {
    case 'ready':
      return summary.summary.title;
    case 'loading':
      return 'Loading…';
    case 'not-found':
      return 'Document not found';
    case 'unavailable':
      return 'Title unavailable';
  }
}

export function EditorHeader({ summary, connection, access, documentId, ydoc }: EditorHeaderProps) {
  const [dialog, setDialog] = useState<'none' | 'invite' | 'export'>('none');
  const manages = access?.role === 'secretariat';
  return (
    <header className="app-header">
      <Link href={listPath()} className="app-header__back" aria-label="All documents" title="All documents">
        <span aria-hidden="true">←</span> <span className="app-header__back-text">Documents</span>
      </Link>
      <div className="app-header__middle">
        <h1 className="app-header__title" data-testid="document-title" title={titleOf(summary)}>
          {titleOf(summary)}
        </h1>
      </div>
      {ydoc && <FollowChairControl access={access} documentId={documentId} />}
      <DraftingModeControl ydoc={ydoc} access={access} synced={connection.synced} />
      <ConnectionStatus connection={connection} />
      <CopyLinkButton />
      {manages && (
        <>
          <button type="button" className="button button--small" data-testid="open-invitations" onClick={() => setDialog('invite')}>
            Invite
          </button>
          <button type="button" className="button button--small" data-testid="open-export" onClick={() => setDialog('export')}>
            Export
          </button>
        </>
      )}
      {access && <SessionBadge name={access.name} delegation={access.delegation} role={access.role} />}
      {dialog === 'invite' && <InvitationsDialog documentId={documentId} onClose={() => setDialog('none')} />}
      {dialog === 'export' && <ExportDialog documentId={documentId} onClose={() => setDialog('none')} />}
    </header>
  );
}
