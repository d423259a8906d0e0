import type { Connection } from './connection.js';

type Frame = { connection: Connection; frame: Uint8Array };

/**
 * The frames of one room, handled in the order they arrived. Most are handled
 * at once; a handler that returns a promise (a big update, checked in steps,
 * each in its own turn of the event loop so that the server answers other
 * rooms and HTTP requests in between) holds the room's later frames here
 * until it is done: they may build on it, and they must see the document
 * it leaves.
 */
export class FrameQueue {
  private readonly waiting: Frame[] = [];
  private busy = false;
  private closed = false;

  constructor(private readonly handle: (connection: Connection, frame: Uint8Array) => Promise<void> | void) {}

  /** Handles a frame now, or after the ones before it; an error of a frame handled now is thrown to the caller. */
  push(connection: Connection, frame: Uint8Array): void {
    if (this.busy) this.waiting.push({ connection, frame });
    else this.run(connection, frame);
  }

  private run(connection: Connection, frame: Uint8Array): void {
    const pending = this.handle(connection, frame);
    if (!pending) return;
    this.busy = true;
    pending
      .catch((err: unknown) => connection.fail(err))
      .finally(() => {
        this.busy = false;
        this.drain();
      });
  }

  private drain(): void {
    while (!this.busy && !this.closed) {
      const next = this.waiting.shift();
      if (!next) return;
      // A connection closed meanwhile (revoked, refused too often, gone) gets nothing more in.
      if (!next.connection.isOpen) continue;
      try {
        this.run(next.connection, next.frame);
      } catch (err) {
        next.connection.fail(err);
      }
    }
  }

  /** Drops what is waiting: the room is going away. */
  close(): void {
    this.closed = true;
    this.waiting.length = 0;
  }
}
