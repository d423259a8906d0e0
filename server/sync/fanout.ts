import * as Y from 'yjs';
import type { Connection } from './connection.js';
import { encodeSyncUpdate } from './messages.js';

/**
 * Sends a room's document updates to its connections. Updates that arrive within
 * `windowMs` of each other are merged into one and encoded once, so a plenary
 * with hundreds of screens costs one message per socket per flush instead of
 * one per keystroke per socket.
 */
export class Fanout {
  private pending: Uint8Array[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly connections: () => Iterable<Connection>,
    private readonly windowMs: number,
  ) {}

  enqueue(update: Uint8Array): void {
    this.pending.push(update);
    this.timer ??= setTimeout(() => this.flush(), this.windowMs);
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const update = this.pending.length === 1 ? this.pending[0]! : Y.mergeUpdates(this.pending);
    this.pending = [];
    const message = encodeSyncUpdate(update);
    for (const connection of this.connections()) connection.sendUpdate(message, update);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = [];
  }
}
