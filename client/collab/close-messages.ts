import { CloseCode } from '../../shared/protocol/constants.js';

/** What to tell a delegate when the server ended the connection for good. */
export function finalCloseMessage(code: number): string {
  switch (code) {
    case CloseCode.UnknownDocument:
      return 'This document does not exist on the server. The link may be wrong, or the document was deleted.';
    case CloseCode.DocumentDeleted:
      return 'This document has been deleted. Changes made here can no longer be saved.';
    case CloseCode.Unauthenticated:
      return 'The server did not recognise you. Reload the page to join again.';
    case CloseCode.Forbidden:
      return 'You do not have access to this document.';
    default:
      return `The server closed the connection (code ${code}). Reload the page to try again.`;
  }
}
