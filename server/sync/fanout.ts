import * as Y from 'yjs';
import { metrics } from '../metrics/metrics.js';
import type { Connection } from './connection.js';
import { encodeSyncUpdate } from './messages.js';

/**
 * Sends a room's document updates to its connections. When the room has been
 * quiet for `windowMs`, an update goes out at once (next turn of the event
 * loop, so updates read from the sockets in the same turn travel together);
 * updates arriving sooner after a send are merged into one and go out when
 * the window closes. A plenary with hundreds of screens thus costs one message
 * per socket per window instead of one per keystroke per socket, and a quiet
 * room pays no delay.
 */
export class Fanout {
  private pending: Uint8Array[] = [];
  private scheduled: NodeJS.Timeout | NodeJS.Immediate | undefined;
  private lastSentAt = 0;

  constructor(
    private readonly connections: () => Iterable<Connection>,
    private readonly windowMs: number,
  ) {}

  enqueue(update: Uint8Array): void {
    this.pending.push(update);
    if (this.scheduled) return;
    const wait = this.lastSentAt + this.windowMs - performance.now();
    this.scheduled = wait <= 0 ? setImmediate(() => this.flush()) : setTimeout(() => this.flush(), wait);
  }

  flush(): void {
    this.cancel();
    if (this.pending.length === 0) return;
    const update = this.pending.length === 1 ? this.pending[0]! : Y.mergeUpdates(this.pending);
    this.pending = [];
    this.lastSentAt = performance.now();
    const message = encodeSyncUpdate(update);
    let sent = 0;
    for (const connection of this.connections()) if (connection.sendUpdate(message, update)) sent++;
    // What left now; a slow socket's share is counted by its Connection when it leaves, merged.
    metrics.fanoutFrames.inc(sent);
    metrics.fanoutBytes.inc(sent * message.byteLength);
  }

  dispose(): void {
    this.cancel();
    this.pending = [];
  }

  private cancel(): void {
    clearTimeout(this.scheduled as NodeJS.Timeout);
    clearImmediate(this.scheduled as NodeJS.Immediate);
    this.scheduled = undefined;
  }
}
