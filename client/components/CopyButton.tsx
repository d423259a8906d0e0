import { useEffect, useRef, useState, type ReactNode } from 'react';
import { copyText } from './copy-text.js';
import './copy-button.css';

const CONFIRMATION_MS = 2000;

type CopyButtonProps = {
  /** What to copy; may be fetched (a link shown again), within the click that asked for it. */
  text: () => string | Promise<string>;
  label: ReactNode;
  /** Said for a moment once copied. */
  copiedLabel?: string;
  className?: string;
  title?: string;
  'aria-label'?: string;
  testId?: string;
  /** The text could not be had (a link that opens nothing any more): the caller says why. */
  onError?: (message: string) => void;
};

/**
 * One click puts text on the clipboard and says so. Where the browser allows
 * no copying, the text is shown selected, to copy by hand.
 */
export function CopyButton({ text, label, copiedLabel = 'Copied', className, title, testId, onError, ...aria }: CopyButtonProps) {
  const [copied, setCopied] = useState(false);
  const [manual, setManual] = useState<string | null>(null);
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), CONFIRMATION_MS);
    return () => clearTimeout(timer);
  }, [copied]);

  const copy = async () => {
    let value: string;
    try {
      value = await text();
    } catch (err) {
      onError?.(err instanceof Error ? err.message : String(err));
      return;
    }
    if (button.current && (await copyText(value, button.current))) {
      setManual(null);
      setCopied(true);
    } else {
      setManual(value);
    }
  };

  return (
    <span className="copy-button">
      <button
        ref={button}
        type="button"
        className={className ?? 'button button--small'}
        onClick={() => void copy()}
        title={title}
        aria-label={aria['aria-label']}
        data-testid={testId}
        data-copied={copied}
      >
        {/* Both labels hold the same cell, one hidden: the button keeps its width when it says "Copied". */}
        <span className="copy-button__labels">
          <span className={copied ? 'copy-button__label copy-button__label--hidden' : 'copy-button__label'}>{label}</span>
          <span className={copied ? 'copy-button__label' : 'copy-button__label copy-button__label--hidden'} aria-hidden={!copied}>
            {copiedLabel}
          </span>
        </span>
      </button>
      <span className="visually-hidden" aria-live="polite">
        {copied ? copiedLabel : ''}
      </span>
      {manual !== null && (
        <span className="copy-button__manual">
          <span className="copy-button__hint">This browser does not let the page copy: press Ctrl+C (⌘C).</span>
          <textarea
            className="input input--small copy-button__text"
            readOnly
            value={manual}
            rows={Math.min(6, manual.split('\n').length)}
            autoFocus
            onFocus={(e) => e.currentTarget.select()}
            onBlur={() => setManual(null)}
          />
        </span>
      )}
    </span>
  );
}
