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
