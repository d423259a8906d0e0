import type { AccessEnd } from '../auth/authenticator.js';
import { UnauthenticatedError } from '../errors.js';
import type { Connection } from './connection.js';

/** setTimeout's longest delay (about 24.8 days); a session lasts 30, so a long wait is re-armed. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Closes each websocket when the invitation or session it was opened with
 * expires (4401 and the reason), not at its next reconnect: HTTP refuses an
 * expired invitation on every request, and a socket left open would go on
 * having its edits accepted and relayed. One timer per connection that can
 * expire, set when it joins; a message that arrives after the moment but
 * before the timer ran is refused too.
 */
export class AccessExpiry {
  private readonly ends = new Map<Connection, { end: AccessEnd; timer: NodeJS.Timeout }>();

  /** Starts watching a connection that joined; `end` null: its access never lapses by itself. */
  watch(connection: Connection, end: AccessEnd | null): void {
    this.forget(connection);
    if (end) this.arm(connection, end);
  }

  /** Throws (4401) when the connection's access has ended; called before each message is handled. */
  check(connection: Connection): void {
    const watched = this.ends.get(connection);
    if (watched && watched.end.at.getTime() <= Date.now()) throw new UnauthenticatedError(watched.end.reason);
  }

  /** The connection is gone: its timer with it. */
  forget(connection: Connection): void {
    clearTimeout(this.ends.get(connection)?.timer);
    this.ends.delete(connection);
  }

  private arm(connection: Connection, end: AccessEnd): void {
    const wait = end.at.getTime() - Date.now();
    const timer = setTimeout(
      () => (wait > MAX_TIMER_MS ? this.arm(connection, end) : this.expire(connection, end)),
      Math.min(Math.max(0, wait), MAX_TIMER_MS),
    );
    timer.unref();
    this.ends.set(connection, { end, timer });
  }

  private expire(connection: Connection, end: AccessEnd): void {
    this.ends.delete(connection);
    const why = new UnauthenticatedError(end.reason);
    connection.log.info({ closeCode: why.closeCode, reason: why.message }, 'access expired, closing connection');
    connection.close(why.closeCode, why.message);
  }
}
