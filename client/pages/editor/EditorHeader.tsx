import type { ConnectionState } from '../../collab/useConnectionState.js';
import { ConnectionStatus } from '../../components/ConnectionStatus.js';
import { CopyLinkButton } from '../../components/CopyLinkButton.js';
import { IdentityButton } from '../../components/IdentityButton.js';
import { Link } from '../../components/Link.js';
import type { SummaryState } from '../../hooks/useDocumentSummary.js';
import { listPath } from '../../router.js';

type EditorHeaderProps = {
  summary: SummaryState;
  connection: ConnectionState;
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

export function EditorHeader({ summary, connection }: EditorHeaderProps) {
  return (
    <header className="app-header">
      <Link href={listPath()} className="app-header__back" aria-label="All documents" title="All documents">
        <span aria-hidden="true">←</span> Documents
      </Link>
      <div className="app-header__middle">
        <h1 className="app-header__title" data-testid="document-title" title={titleOf(summary)}>
          {titleOf(summary)}
        </h1>
      </div>
      <ConnectionStatus connection={connection} />
      <CopyLinkButton />
      <IdentityButton />
    </header>
  );
}
