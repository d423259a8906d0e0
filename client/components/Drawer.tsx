import { useSyncExternalStore, type KeyboardEvent, type ReactNode } from 'react';
import './drawer.css';

/**
 * Below this width the panels beside the text (the comments, the negotiation
 * sidebar) do not fit next to a readable page: they become drawers, opened
 * from buttons under the header. 82rem keeps them docked on a 1366-pixel
 * laptop and makes drawers of them at 1280 and 1024.
 */
const DRAWERS_MEDIA = '(max-width: 82rem)';

function subscribe(onChange: () => void): () => void {
  const query = window.matchMedia(DRAWERS_MEDIA);
  query.addEventListener('change', onChange);
  return () => query.removeEventListener('change', onChange);
}

/** Whether the panels are drawers on this screen right now (for callbacks; components use the hook). */
export function panelsAreDrawers(): boolean {
  return window.matchMedia(DRAWERS_MEDIA).matches;
}

/** Whether the panels are drawers on this screen; follows a window resize. */
export function usePanelsAsDrawers(): boolean {
  return useSyncExternalStore(subscribe, panelsAreDrawers);
}

type DrawerProps = {
  id: string;
  /** What a screen reader calls it ("Comments"). */
  label: string;
  open: boolean;
  onClose: () => void;
  testId: string;
  children: ReactNode;
};

/**
 * A panel over the right of the text, below the header and the toolbar,
 * reaching the bottom of the window and scrolling on its own: opening it
 * neither moves the page nor takes the keyboard from the text. Closed, it
 * stays mounted (hidden), so its filters and scroll survive. Escape inside
 * it closes it, unless something inside used the key first.
 */
export function Drawer({ id, label, open, onClose, testId, children }: DrawerProps) {
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && !event.defaultPrevented) {
      event.preventDefault();
      onClose();
    }
  };
  return (
    <section id={id} className="drawer" aria-label={label} hidden={!open} data-testid={testId} onKeyDown={onKeyDown}>
      {children}
    </section>
  );
}

/** The close button of a drawer, for the header of what it holds. */
export function DrawerClose({ label, onClose }: { label: string; onClose: () => void }) {
  return (
    <button type="button" className="drawer__close" aria-label={`Close ${label}`} title="Close (Esc)" data-testid="drawer-close" onClick={onClose}>
      ×
    </button>
  );
}

type DrawerToggleProps = {
  controls: string;
  open: boolean;
  onToggle: () => void;
  testId: string;
  title: string;
  children: ReactNode;
};

/** The button that opens or closes a drawer; pressing it leaves the caret and the keyboard in the text. */
export function DrawerToggle({ controls, open, onToggle, testId, title, children }: DrawerToggleProps) {
  return (
    <button
      type="button"
      className="drawer-toggle"
      aria-expanded={open}
      aria-controls={controls}
      data-testid={testId}
      title={title}
      onMouseDown={(event) => event.preventDefault()}
      onClick={onToggle}
    >
      {children}
    </button>
  );
}
