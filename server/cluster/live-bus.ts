import type { BusMessage } from './bus-message.js';

/** What /api/health says of the traffic between processes. */
export type BusStatus = { kind: 'none' } | { kind: 'redis'; connected: boolean; lastError: string | null };

/**
 * The live traffic between server processes serving the same documents, one
 * interface with two engines (as storage has two): `LocalBus` for a process
 * alone (no REDIS_URL: nothing leaves it), `RedisBus` (server/cluster/redis-bus.ts)
 * for several. Delivery is at least once and in order per sender; a process
 * never receives its own messages. What a process misses while it is cut off
 * it gets back from storage (a `resync`), never from the bus alone.
 */
export interface LiveBus {
  /** A short id of this process, unique among those on the bus. */
  readonly processId: string;
  /** Whether other processes may be writing the same documents (then storage can hold what this process has not received yet). */
  readonly shared: boolean;
  /** Sends to every other process; never throws (a failure is made good by a resync once the bus is back). */
  publish(message: BusMessage): void;
  /** The one handler of messages from the other processes (`from`: the sender's processId). */
  onMessage(handler: (message: BusMessage, from: string) => void): void;
  status(): BusStatus;
  close(): Promise<void>;
}

export class LocalBus implements LiveBus {
  readonly processId = `local-${process.pid}`;
  readonly shared = false;
  publish(): void {}
  onMessage(): void {}
  status(): BusStatus {
    return { kind: 'none' };
  }
  async close(): Promise<void> {}
}
