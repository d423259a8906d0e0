import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import type { WebsocketProvider } from 'y-websocket';
import { identityLabel } from '../../identity.js';

/** What each person publishes in awareness under `user`; remote copies are untrusted input. */
export type CaretUser = { name: string; color: string; delegation: string };

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** The caret of another delegate with a "Name (Delegation)" label. */
function renderCaret(user: Record<string, unknown>): HTMLElement {
  const color = text(user.color);
  const caret = document.createElement('span');
  caret.classList.add('collaboration-carets__caret');
  caret.style.borderColor = color;

  const label = document.createElement('div');
  label.classList.add('collaboration-carets__label');
  label.style.backgroundColor = color;
  // Names are typed by other people: text only, never markup.
  label.textContent = identityLabel(text(user.name) || 'Anonymous', text(user.delegation));

  caret.append(label);
  return caret;
}

export function collaborationCaret(provider: WebsocketProvider, user: CaretUser) {
  return CollaborationCaret.configure({ provider, user, render: renderCaret });
}
