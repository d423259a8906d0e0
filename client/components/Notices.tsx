import { useEffect, useRef, useState } from 'react';
import type { Notice, OfferedText } from '../hooks/useNotices.js';
import './notices.css';

const CONFIRMATION_MS = 2000;

/**
 * Messages at the bottom of the screen, read out politely by screen readers.
 * While one waits to be dismissed (a refused change, with the person's text
 * offered back), they all sit at the right, over the sidebar, not over the
 * text being read.
 */
export function Notices({ notices, onDismiss }: { notices: Notice[]; onDismiss: (id: number) => void }) {
  const aside = notices.some((n) => n.lasting);
  return (
    <div className={aside ? 'notices notices--aside' : 'notices'} aria-live="polite" aria-atomic="false">
      {notices.map((notice) => (
        <div
          key={notice.id}
          className={notice.lasting ? 'notice notice--lasting' : 'notice'}
          role={notice.lasting ? 'alert' : 'status'}
          data-testid="notice"
        >
          <div className="notice__body">
            <span className="notice__text">{notice.message}</span>
            {notice.offers.map((offer) => (
              <Offer key={`${offer.label}\n${offer.text}`} offer={offer} />
            ))}
          </div>
          <button type="button" className="notice__close" aria-label="Dismiss" onClick={() => onDismiss(notice.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}

/** The person's own text, shown whole and selectable, with one button to copy it. */
function Offer({ offer }: { offer: OfferedText }) {
  const quote = useRef<HTMLQuoteElement>(null);
  const [state, setState] = useState<'idle' | 'copied' | 'selected'>('idle');

  useEffect(() => {
    if (state !== 'copied') return;
    const timer = setTimeout(() => setState('idle'), CONFIRMATION_MS);
    return () => clearTimeout(timer);
  }, [state]);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(offer.text);
      setState('copied');
    } catch {
      // No clipboard API (plain http on a meeting LAN): select the text, so Ctrl+C copies it.
      const selection = getSelection();
      if (!quote.current || !selection) return;
      selection.selectAllChildren(quote.current);
      setState('selected');
    }
  };

  return (
    <figure className="notice__offer">
      <figcaption className="notice__offer-label">{offer.label}</figcaption>
      <blockquote ref={quote} className="notice__offer-text" data-testid="offered-text">
        {offer.text}
      </blockquote>
      <button type="button" className="button button--small notice__copy" data-testid="copy-my-text" onClick={copy}>
        {state === 'copied' ? 'Copied' : state === 'selected' ? 'Selected: press Ctrl+C to copy' : 'Copy my text'}
      </button>
    </figure>
  );
}
