import * as awarenessProtocol from 'y-protocols/awareness';
import type { Connection } from './connection.js';
import { encodeAwareness } from './messages.js';

/**
 * Presence (carets, names) is N x N traffic: every caret move of every client
 * goes to every screen. The relay collects which clients changed and sends one
 * awareness message per socket at most every `intervalMs`.
 */
export class AwarenessRelay {
  private changed = new Set<number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly awareness: awarenessProtocol.Awareness,
    private readonly connections: () => Iterable<Connection>,
    private readonly intervalMs: number,
  ) {}

  changedClients(clients: Iterable<number>): void {
    for (const client of clients) this.changed.add(client);
    this.timer ??= setTimeout(() => this.flush(), this.intervalMs);
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.changed.size === 0) return;
    const message = encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...this.changed]));
    this.changed.clear();
    for (const connection of this.connections()) connection.send(message);
  }

  /** The whole presence of the room, for a client that just joined or asked. */
  snapshotMessage(): Uint8Array | undefined {
    const clients = [...this.awareness.getStates().keys()];
    if (clients.length === 0) return undefined;
    return encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, clients));
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.changed.clear();
  }
}
