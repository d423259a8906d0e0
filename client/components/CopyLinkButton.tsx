import { CopyButton } from './CopyButton.js';
import './copy-link-button.css';

/**
 * The document's address, for the meeting chat. It opens the document only in
 * a browser that has joined it with an invitation, so the button says so: a
 * person not yet invited needs an invitation link from the secretariat
 * ("Invite"), not this.
 */
export function CopyLinkButton() {
  return (
    <CopyButton
      text={() => `${location.origin}${location.pathname}`}
      className="button button--quiet button--small copy-address"
      aria-label="Copy document address (for people already invited)"
      title="This address opens the document for people who already joined it with their invitation. To let someone new in, use Invite."
      testId="copy-document-address"
      copiedLabel="Address copied"
      label={
        <>
          <span>Copy document address</span>
          <span className="copy-address__for">(for people already invited)</span>
        </>
      }
    />
  );
}
