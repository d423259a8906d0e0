import type * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import { MalformedMessageError, isStorageError, WriteRefusedError } from '../errors.js';
import { AwarenessRelay } from './awareness-relay.js';
import { stampIdentity } from './awareness-identity.js';
import type { ClientIds } from './client-ids.js';
import type { Connection } from './connection.js';
import { REMOTE_ORIGIN, connectionOrigin, isTransactionOrigin } from './origin.js';
import { encodeAwarenessStates, readAwarenessStates } from '../../shared/protocol/messages.js';

type AwarenessChange = { added: number[]; updated: number[]; removed: number[] };

/**
 * Who is here and where their carets are (y-protocols awareness), for one
 * room. A state shows the name and delegation the server knows for its
 * connection (stampIdentity); a client id's presence belongs to the
 * connection showing it and to the principal owning that id (ClientIds), and
 * a fresh id shown here becomes that principal's.
 */
export class Presence {
  readonly awareness: awarenessProtocol.Awareness;
  private readonly relay: AwarenessRelay;
  /** Which connection announced each awareness client id: only it may change that presence. */
  private readonly owners = new Map<number, Connection>();
  /** Client ids shown through another server process: no connection of this one may show them. */
  private readonly remote = new Set<number>();
  /** Per connection, how far its presence clocks are moved past the ones the server had (see clockFor). */
  private readonly clockOffsets = new Map<Connection, Map<number, number>>();

  constructor(
    doc: Y.Doc,
    private readonly clientIds: ClientIds,
    /** Whether the document has structs under a client id (then presence alone does not make it anyone's). */
    private readonly hasStructs: (client: number) => boolean,
    connections: () => Iterable<Connection>,
    intervalMs: number,
    /** Tells the other server processes about a change of a connection of this one (stamped as it is here). */
    private readonly publish: (update: Uint8Array) => void = () => {},
  ) {
    this.awareness = new awarenessProtocol.Awareness(doc);
    this.awareness.setLocalState(null);
    this.relay = new AwarenessRelay(this.awareness, connections, (client) => this.owners.get(client), intervalMs);
    this.awareness.on('update', (change: AwarenessChange, origin: unknown) => this.changed(change, origin));
  }

  /** Everyone present, for a connection that just joined or asked (less its own presence). */
  snapshotMessage(connection?: Connection): Uint8Array | undefined {
    return this.relay.snapshotMessage(connection);
  }

  /** Applies a connection's awareness update, stamped with its identity; throws MalformedMessageError for garbage. */
  receive(connection: Connection, update: Uint8Array): void {
    // Reading the states can fail as much as applying them (lib0's "Integer out of Range" for a varint past 53 bits):
    // either is the sender's malformed frame (4400), never the server's error.
    let stamped: Uint8Array;
    try {
      stamped = stampPresenceFields(
        stampIdentity(
          update,
          connection.access,
          (client) => this.ownedByAnother(client, connection),
          (client, clock) => this.clockFor(connection, client, clock),
        ),
        connection.access.screen === true,
      );
    } catch (err) {
      throw new MalformedMessageError(`Malformed awareness update: ${(err as Error).message}`);
    }
    try {
      awarenessProtocol.applyAwarenessUpdate(this.awareness, stamped, connectionOrigin(connection));
    } catch (err) {
      throw new MalformedMessageError(`Malformed awareness update: ${(err as Error).message}`);
    }
    this.publish(stamped);
  }

  /** Presence from a connection of another server process, stamped there: shown here to everyone. */
  applyRemote(update: Uint8Array): void {
    let states: ReturnType<typeof readAwarenessStates>;
    try {
      states = readAwarenessStates(update);
      awarenessProtocol.applyAwarenessUpdate(this.awareness, update, REMOTE_ORIGIN);
    } catch {
      return;
    }
    for (const { clientId, state } of states) {
      if (state === null) this.remote.delete(clientId);
      else this.remote.add(clientId);
    }
  }

  leave(connection: Connection): void {
    this.clockOffsets.delete(connection);
    if (connection.awarenessClients.size > 0) {
      const gone = [...connection.awarenessClients];
      awarenessProtocol.removeAwarenessStates(this.awareness, gone, connectionOrigin(connection));
      this.publish(awarenessProtocol.encodeAwarenessUpdate(this.awareness, gone));
    }
  }

  flush(): void {
    this.relay.flush();
  }

  dispose(): void {
    this.relay.dispose();
    this.awareness.destroy();
  }

  /**
   * A client that reconnects announces its presence with the clock it had,
   * but the server bumped that clock when it removed the presence of the
   * closed connection, so the state would be ignored here and by everyone
   * until the person's next caret move. Its clocks are shifted past the
   * server's for as long as this connection lasts. (The relay never sends a
   * connection its own presence: a stock client adopts a state of its own
   * with a higher clock and sends it straight back, shifted again, and so on
   * every relay interval.)
   */
  private clockFor(connection: Connection, client: number, clock: number): number {
    const offsets = this.clockOffsets.get(connection) ?? new Map<number, number>();
    if (!offsets.has(client)) {
      const meta = this.awareness.meta.get(client);
      const removed = meta !== undefined && !this.awareness.getStates().has(client);
      offsets.set(client, removed && meta.clock >= clock ? meta.clock + 1 - clock : 0);
      this.clockOffsets.set(connection, offsets);
    }
    return clock + offsets.get(client)!;
  }

  private ownedByAnother(client: number, connection: Connection): boolean {
    const owner = this.owners.get(client);
    if (owner !== undefined && owner !== connection) return true;
    if (owner === undefined && this.remote.has(client)) return true;
    const principal = this.clientIds.ownerOf(client);
    return principal !== undefined && principal !== connection.access.principal;
  }

  /**
   * A bind is a write: on a full disk it fails, leaves the id unbound (the
   * owner above still guards it while this connection lasts) and is tried
   * again on the next update of this presence. Being seen needs no disk.
   */
  private bindShown(client: number, access: Connection['access']): void {
    try {
      this.clientIds.bind(client, access);
    } catch (err) {
      if (!(err instanceof WriteRefusedError) && !isStorageError(err)) throw err;
    }
  }

  private changed(change: AwarenessChange, origin: unknown): void {
    if (isTransactionOrigin(origin) && origin.source === 'connection') {
      const owned = origin.connection.awarenessClients;
      for (const client of [...change.added, ...change.updated]) {
        owned.add(client);
        this.owners.set(client, origin.connection);
        // A fresh id shown as presence is the principal's from now on (a stock client writes under the same id).
        if (!this.hasStructs(client)) this.bindShown(client, origin.connection.access);
      }
      for (const client of change.removed) owned.delete(client);
    }
    // Also when a state times out (a client gone silent): its id may be taken again.
    for (const client of change.removed) {
      this.owners.delete(client);
      this.remote.delete(client);
    }
    this.relay.changedClients([...change.added, ...change.updated, ...change.removed]);
  }
}

/**
 * The presence fields the server decides beside the identity (README, "Who
 * may do what"): `following` (whether this person's view follows the
 * paragraph under discussion) is kept only when it is a boolean, since
 * everyone's "12 following the chair" counts it; a screen invitation's state
 * says `user.screen: true`, so clients show "Plenary screen" and count no
 * person for it, and it never claims to follow. Nothing here can make a state
 * look like the chair's focus: that lives in the document's settings, which
 * only the chair and the secretariat may change.
 */
function stampPresenceFields(update: Uint8Array, screen: boolean): Uint8Array {
  return encodeAwarenessStates(
    readAwarenessStates(update).map(({ clientId, clock, state }) => {
      if (state === null || typeof state !== 'object' || Array.isArray(state)) return { clientId, clock, state };
      const { following, ...rest } = state as Record<string, unknown>;
      const user = { ...(rest.user as Record<string, unknown>), screen };
      return { clientId, clock, state: typeof following === 'boolean' && !screen ? { ...rest, user, following } : { ...rest, user } };
    }),
  );
}
