import { useEffect, useState } from 'react';

const CONFIRMATION_MS = 2000;

/** The page URL, for people already invited: one click to paste it into the meeting chat. */
export function CopyLinkButton() {
  const [copied, setCopied] = useState(false);

  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), CONFIRMATION_MS);
    return () => clearTimeout(timer);
  }, [copied]);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(location.href);
      setCopied(true);
    } catch {
      // No clipboard permission (plain http on a meeting LAN): let the person copy it by hand.
      window.prompt('Copy this link:', location.href);
    }
  };

  return (
    <button type="button" className="button button--quiet button--small" onClick={copy} aria-live="polite">
      {copied ? 'Link copied' : 'Copy link'}
    </button>
  );
}
