import * as awarenessProtocol from 'y-protocols/awareness';
import { joinAwarenessEntries } from '../../shared/protocol/messages.js';
import type { Connection } from './connection.js';
import { encodeAwareness } from './messages.js';

/**
 * Presence (carets, names) is N x N traffic: every caret move of every client
 * goes to every screen. The relay collects which clients changed and sends one
 * awareness message per socket at most every `intervalMs`, stretched in a big
 * room: 1 ms per 2 connections, up to half a second (a plenary of 1,000
 * screens gets the carets twice a second). The room is counted whole: with
 * several server processes (README, "Several processes") this one's own
 * connections are a share of it, but every screen here still gets the carets
 * of everyone, wherever they are connected, so the presence states the room
 * holds count when there are more of them than local connections.
 *
 * Under the L load presence was 90% of the bytes sent and the kernel's
 * copying of them (writev) 58% of the server's time; a caret state is about 180 bytes, and with an interval
 * shorter than the 200 ms between a typist's keystrokes every move still goes
 * out to every screen. Text is not delayed by this: document updates have
 * their own fan-out (fanout.ts).
 *
 * A connection is never sent its own presence. It has it already, and a stock
 * y-websocket client adopts a state of its own that comes with a higher clock
 * (the server moves a reconnected client's clocks past the ones it had) and
 * sends it straight back: the two would trade it every interval for as long
 * as the connection lasts. Each changed state is encoded once; the message
 * for a connection with presence of its own among them is joined from the
 * others' entries.
 */
/** How much a big room stretches the presence interval, and how far at most. */
const MS_PER_CONNECTION = 0.5;
const MAX_STRETCHED_MS = 500;

export class AwarenessRelay {
  private changed = new Set<number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly awareness: awarenessProtocol.Awareness,
    private readonly connections: () => Iterable<Connection>,
    /** The connection showing a client id's presence, if one does. */
    private readonly ownerOf: (client: number) => Connection | undefined,
    private readonly intervalMs: number,
  ) {}

  changedClients(clients: Iterable<number>): void {
    for (const client of clients) this.changed.add(client);
    this.timer ??= setTimeout(() => this.flush(), this.interval());
  }

  /** The interval for the room as it is now (see above). */
  private interval(): number {
    let connections = 0;
    for (const _ of this.connections()) connections++;
    const room = Math.max(connections, this.awareness.getStates().size);
    return Math.max(this.intervalMs, Math.min(MAX_STRETCHED_MS, room * MS_PER_CONNECTION));
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.changed.size === 0) return;
    const changed = [...this.changed];
    this.changed.clear();
    const { everyone, except } = this.messages(changed);
    for (const connection of this.connections()) {
      const message = except.has(connection) ? except.get(connection) : everyone;
      if (message) connection.send(message);
    }
  }

  /** The whole presence of the room, for a client that just joined or asked (less its own). */
  snapshotMessage(connection?: Connection): Uint8Array | undefined {
    const clients = [...this.awareness.getStates().keys()];
    const { everyone, except } = this.messages(clients);
    return connection && except.has(connection) ? except.get(connection) : everyone;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.changed.clear();
  }

  /**
   * The message with every one of `clients` (undefined when there are none),
   * and per connection showing some of them, the message without those
   * (undefined when nothing else is left for it).
   */
  private messages(clients: readonly number[]): { everyone: Uint8Array | undefined; except: Map<Connection, Uint8Array | undefined> } {
    const except = new Map<Connection, Uint8Array | undefined>();
    if (clients.length === 0) return { everyone: undefined, except };
    const entries = clients.map((client) => ({ client, entry: entryOf(this.awareness, client) }));
    const everyone = encodeAwareness(joinAwarenessEntries(entries.map((e) => e.entry)));
    const owners = new Set<Connection>();
    for (const client of clients) {
      const owner = this.ownerOf(client);
      if (owner) owners.add(owner);
    }
    for (const owner of owners) {
      const others = entries.filter(({ client }) => this.ownerOf(client) !== owner).map((e) => e.entry);
      except.set(owner, others.length > 0 ? encodeAwareness(joinAwarenessEntries(others)) : undefined);
    }
    return { everyone, except };
  }
}

/**
 * One client's entry of an awareness update (id, clock, state), encoded once:
 * y-protocols writes the count first, and a count of 1 is the one byte 0x01.
 */
function entryOf(awareness: awarenessProtocol.Awareness, client: number): Uint8Array {
  return awarenessProtocol.encodeAwarenessUpdate(awareness, [client]).subarray(1);
}
