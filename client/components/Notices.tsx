import type { Notice } from '../hooks/useNotices.js';
import './notices.css';

/** Brief messages at the bottom of the screen, read out politely by screen readers. */
export function Notices({ notices, onDismiss }: { notices: Notice[]; onDismiss: (id: number) => void }) {
  return (
    <div className="notices" aria-live="polite" aria-atomic="false">
      {notices.map((notice) => (
        <div key={notice.id} className="notice" role="status" data-testid="notice">
          <span className="notice__text">{notice.message}</span>
          <button type="button" className="notice__close" aria-label="Dismiss" onClick={() => onDismiss(notice.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
