import { CloseCode } from '../../shared/protocol/constants.js';

/** What to tell a delegate when the server ended the connection for good. */
export function finalCloseMessage(code: number): string {
  switch (code) {
    case CloseCode.UnknownDocument:
      return 'This document does not exist on the server. The link may be wrong, or the document was deleted. Its text has been removed from this screen and from this computer.';
    case CloseCode.DocumentDeleted:
      return 'This document has been deleted. Its text has been removed from this screen and from this computer.';
    case CloseCode.Unauthenticated:
      return 'Your invitation or session has expired. Its text has been removed from this computer: open your invitation link again, or ask the secretariat.';
    case CloseCode.Forbidden:
      return 'Your access to this document has ended (the secretariat revoked or released your invitation). Its text has been removed from this screen and from this computer.';
    default:
      return `The server closed the connection (code ${code}). Reload the page to try again.`;
  }
}

/**
 * What to tell a delegate while the server cannot store changes (its disk is
 * full): it closes the connection with 4507, which is not final. Nothing typed
 * is lost: this computer keeps it and sends it on the next connection.
 */
export const STORAGE_FULL_NOTICE =
  'The server cannot save changes: disk full. Keep working: your edits are kept on this computer and sent as soon as the server can save them.';

/** What to tell a delegate while the server cannot reach its database (PostgreSQL down or restarting, 4504). */
export const STORAGE_UNAVAILABLE_NOTICE =
  'The server cannot reach its database for the moment. Keep working: your edits are kept on this computer and sent as soon as it can store them.';

/** What to tell a delegate while the document cannot be read from the server's storage (quarantined, 4503). */
export const DOCUMENT_UNREADABLE_NOTICE =
  'The server cannot read this document from its storage (it is damaged) and has set it aside; the secretariat can restore it from a backup. What you have on this computer is kept.';

/** A close after which the server cannot take changes for now, but may later: the edits wait on this computer. */
export type ServerPause = { code: number; label: string; notice: string };

/** The pause a close code means (disk full, database unreachable, a quarantined document), or null for any other close. */
export function serverPause(code: number): ServerPause | null {
  switch (code) {
    case CloseCode.StorageFull:
      return { code, label: 'Server disk full — edits kept on this computer', notice: STORAGE_FULL_NOTICE };
    case CloseCode.DocumentUnreadable:
      return { code, label: 'Document unavailable — edits kept on this computer', notice: DOCUMENT_UNREADABLE_NOTICE };
    case CloseCode.StorageUnavailable:
      return { code, label: 'Server database unreachable — edits kept on this computer', notice: STORAGE_UNAVAILABLE_NOTICE };
    default:
      return null;
  }
}
