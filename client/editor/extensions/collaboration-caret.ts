import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import type { Awareness } from 'y-protocols/awareness';
import type { WebsocketProvider } from 'y-websocket';
import { identityLabel } from '../../identity.js';
import '../collaboration-caret.css';

/** What each person publishes in awareness under `user`; remote copies are untrusted input. */
export type CaretUser = { name: string; color: string; delegation: string };

/** How long a caret's name shows after its owner moved it; then it shows on hover only. */
const LABEL_MS = 2000;
const RECENT = 'collaboration-carets__caret--recent';

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** One person as the carets know them: the server stamps name and delegation on every awareness state. */
const keyOf = (user: unknown): string => {
  const fields = (user ?? {}) as Record<string, unknown>;
  return `${text(fields.name)}\u0000${text(fields.delegation)}`;
};

type AwarenessChange = { added: number[]; updated: number[]; removed: number[] };

/**
 * Names over the text hide the line above: a caret's label shows for a moment
 * when its owner moves it (or arrives), then only while the pointer is on the
 * caret. ProseMirror redraws a caret widget whenever it likes (a new element,
 * or the same one moved with the text), so "moved" is read from awareness, per
 * person, and applies to every element drawn for them.
 */
class CaretLabels {
  private readonly carets = new Map<string, Set<HTMLElement>>();
  private readonly movedAt = new Map<string, number>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly cursors = new Map<number, string>();

  /** A caret element was drawn for this person: it shows its label if they moved a moment ago. */
  drawn(key: string, caret: HTMLElement): void {
    const drawn = [...(this.carets.get(key) ?? [])].filter((el) => el.isConnected);
    this.carets.set(key, new Set([...drawn, caret]));
    if (Date.now() - (this.movedAt.get(key) ?? -Infinity) < LABEL_MS) caret.classList.add(RECENT);
  }

  /** Awareness changed: whoever's caret moved (or appeared) shows their name for a moment. */
  changed(awareness: Awareness, { added, updated, removed }: AwarenessChange): void {
    for (const clientId of removed) this.cursors.delete(clientId);
    for (const clientId of [...added, ...updated]) {
      if (clientId === awareness.clientID) continue;
      const state = awareness.getStates().get(clientId);
      const cursor = state?.cursor ? JSON.stringify(state.cursor) : null;
      // A caret that went away (its owner left the text) shows its name again when it comes back.
      if (cursor === null) this.cursors.delete(clientId);
      if (cursor === null || cursor === this.cursors.get(clientId)) continue;
      this.cursors.set(clientId, cursor);
      this.moved(keyOf(state?.user));
    }
  }

  private moved(key: string): void {
    this.movedAt.set(key, Date.now());
    for (const caret of this.carets.get(key) ?? []) caret.classList.add(RECENT);
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        for (const caret of this.carets.get(key) ?? []) caret.classList.remove(RECENT);
      }, LABEL_MS),
    );
  }

  destroy(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.carets.clear();
  }
}

/** The caret of another delegate, with a "Name (Delegation)" label shown on hover or just after a move. */
function renderCaret(labels: CaretLabels, user: Record<string, unknown>): HTMLElement {
  const color = text(user.color);
  const name = identityLabel(text(user.name) || 'Anonymous', text(user.delegation));
  const caret = document.createElement('span');
  caret.classList.add('collaboration-carets__caret');
  caret.style.borderColor = color;

  const label = document.createElement('div');
  label.classList.add('collaboration-carets__label');
  label.style.backgroundColor = color;
  // Names are typed by other people: text only, never markup.
  label.textContent = name;

  caret.append(label);
  labels.drawn(keyOf(user), caret);
  return caret;
}

export function collaborationCaret(provider: WebsocketProvider, user: CaretUser) {
  const labels = new CaretLabels();
  return CollaborationCaret.extend({
    addProseMirrorPlugins() {
      const awareness = provider.awareness;
      const watch = new Plugin({
        key: new PluginKey('caretLabels'),
        view: () => {
          const onChange = (change: AwarenessChange) => labels.changed(awareness, change);
          awareness.on('change', onChange);
          return {
            destroy: () => {
              awareness.off('change', onChange);
              labels.destroy();
            },
          };
        },
      });
      return [...(this.parent?.() ?? []), watch];
    },
  }).configure({ provider, user, render: (remote) => renderCaret(labels, remote) });
}
