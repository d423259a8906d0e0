import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import { BODY_FRAGMENT } from '../../shared/schema/ydoc.js';
import { countParagraphs } from '../../shared/model/paragraphs.js';
import { damagedRecords } from '../../shared/model/damaged-records.js';
import { MalformedMessageError, RejectedUpdateError } from '../errors.js';
import type { Logger } from '../log.js';
import type { DocumentStore } from '../storage/document-store.js';
import { applyChecked } from '../check/apply-checked.js';
import { checkUpdate } from '../check/check-update.js';
import { ClientIds } from './client-ids.js';
import { AwarenessRelay } from './awareness-relay.js';
import { stampIdentity } from './awareness-identity.js';
import type { Connection } from './connection.js';
import { Fanout } from './fanout.js';
import { decodeIncoming, encodeSyncStep1, encodeSyncStep2 } from './messages.js';
import { STORAGE_ORIGIN, connectionOrigin, isTransactionOrigin, type TransactionOrigin } from './origin.js';

export type RoomOptions = {
  fanoutWindowMs: number;
  awarenessIntervalMs: number;
  compactAfterUpdates: number;
};

/** How long after the last change the document list's "last edited" is written. */
const TOUCH_DELAY_MS = 2_000;
/**
 * Compaction encodes the whole document: a few milliseconds that would land
 * on somebody's keystroke. It waits for a pause in the typing, unless the log
 * grows to this many times the threshold.
 */
const QUIET_BEFORE_COMPACT_MS = 1_000;
const FORCE_COMPACT_FACTOR = 10;
/** An update whose check and apply hold the event loop longer than this is logged (a huge paste, or an attack). */
const SLOW_UPDATE_MS = 100;

/**
 * One loaded document and the people editing it. Every update follows one path:
 * decoded → checked → applied and verified → appended to the log → fanned out.
 */
export class Room {
  private live: Y.Doc;
  readonly awareness: awarenessProtocol.Awareness;
  private readonly clientIds: ClientIds;
  /** Set while an update Yjs applied differently from its check is being thrown away: nothing of it is stored or sent. */
  private discarding = false;
  private readonly onUpdate = (update: Uint8Array, origin: unknown) => this.onDocUpdate(update, origin);
  readonly connections = new Set<Connection>();
  private readonly fanout: Fanout;
  private readonly relay: AwarenessRelay;
  private logLength: number;
  /** Full state for clients that have nothing yet (the reconnect storm after a restart): encoded once per change. */
  private fullState: Uint8Array | undefined;
  /** Which connection announced each awareness client id: only it may change that presence. */
  private readonly awarenessOwners = new Map<number, Connection>();
  /** Per connection, how far its presence clocks are moved past the ones the server had (see presenceClock). */
  private readonly clockOffsets = new Map<Connection, Map<number, number>>();
  private touchTimer: NodeJS.Timeout | undefined;
  private compactTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly id: string,
    private readonly store: DocumentStore,
    private readonly log: Logger,
    private readonly options: RoomOptions,
  ) {
    const stored = store.load(id);
    this.live = this.docFrom(stored.update);
    this.logLength = stored.logLength;
    this.clientIds = new ClientIds(id, store);
    // Stored before the check refused such records (or written by an old version): readers skip them; say so once per load.
    const damaged = damagedRecords(this.live);
    if (damaged.length > 0) log.warn({ documentId: id, count: damaged.length, damaged: damaged.slice(0, 20) }, 'document holds damaged records');

    this.awareness = new awarenessProtocol.Awareness(this.doc);
    this.awareness.setLocalState(null);
    this.fanout = new Fanout(() => this.connections, options.fanoutWindowMs);
    this.relay = new AwarenessRelay(this.awareness, () => this.connections, options.awarenessIntervalMs);
    this.awareness.on('update', (change: AwarenessChange, origin: unknown) => this.onAwarenessUpdate(change, origin));
  }

  /** The document as it stands (replaced whole when a bad update has to be thrown away). */
  get doc(): Y.Doc {
    return this.live;
  }

  private docFrom(update: Uint8Array): Y.Doc {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, update, STORAGE_ORIGIN);
    doc.on('update', this.onUpdate);
    return doc;
  }

  /** A new connection is told the server's state vector and who is here; it answers with what it has. */
  join(connection: Connection): void {
    this.connections.add(connection);
    connection.send(encodeSyncStep1(Y.encodeStateVector(this.doc)));
    const presence = this.relay.snapshotMessage();
    if (presence) connection.send(presence);
  }

  leave(connection: Connection): void {
    if (!this.connections.delete(connection)) return;
    this.clockOffsets.delete(connection);
    if (connection.awarenessClients.size > 0) {
      awarenessProtocol.removeAwarenessStates(this.awareness, [...connection.awarenessClients], connectionOrigin(connection));
    }
  }

  /** Handles one frame from a connection; throws an AppError when the frame must close it. */
  receive(connection: Connection, frame: Uint8Array): void {
    const message = decodeIncoming(frame);
    switch (message.kind) {
      case 'sync-step1':
        connection.send(encodeSyncStep2(this.stateMissingFrom(message.stateVector)));
        return;
      case 'sync-step2':
      case 'sync-update':
        this.applyFromClient(connection, message.update);
        return;
      case 'awareness': {
        const stamped = stampIdentity(
          message.update,
          connection.access,
          (client) => this.ownedByAnother(client, connection),
          (client, clock) => this.presenceClock(connection, client, clock),
        );
        try {
          awarenessProtocol.applyAwarenessUpdate(this.awareness, stamped, connectionOrigin(connection));
        } catch (err) {
          throw new MalformedMessageError(`Malformed awareness update: ${(err as Error).message}`);
        }
        return;
      }
      case 'query-awareness': {
        const presence = this.relay.snapshotMessage();
        if (presence) connection.send(presence);
        return;
      }
      case 'auth':
        return;
    }
  }

  /**
   * A client that reconnects announces its presence with the clock it had,
   * but the server bumped that clock when it removed the presence of the
   * closed connection, so the state would be ignored here and by everyone
   * until the person's next caret move. Its clocks are shifted past the
   * server's for as long as this connection lasts.
   */
  private presenceClock(connection: Connection, client: number, clock: number): number {
    const offsets = (this.clockOffsets.get(connection) ?? new Map<number, number>());
    if (!offsets.has(client)) {
      const meta = this.awareness.meta.get(client);
      const removed = meta !== undefined && !this.awareness.getStates().has(client);
      offsets.set(client, removed && meta.clock >= clock ? meta.clock + 1 - clock : 0);
      this.clockOffsets.set(connection, offsets);
    }
    return clock + offsets.get(client)!;
  }

  /** Presence under a client id belongs to the connection showing it, and to the principal that owns the id. */
  private ownedByAnother(client: number, connection: Connection): boolean {
    const owner = this.awarenessOwners.get(client);
    if (owner !== undefined && owner !== connection) return true;
    const principal = this.clientIds.ownerOf(client);
    return principal !== undefined && principal !== connection.access.principal;
  }

  private stateMissingFrom(stateVector: Uint8Array): Uint8Array {
    try {
      if (stateVector.byteLength <= 1) return (this.fullState ??= Y.encodeStateAsUpdate(this.doc));
      return Y.encodeStateAsUpdate(this.doc, stateVector);
    } catch (err) {
      throw new MalformedMessageError(`Malformed state vector: ${(err as Error).message}`);
    }
  }

  private applyFromClient(connection: Connection, update: Uint8Array): void {
    // Read and judge the whole update before touching the document: one that
    // Yjs cannot read, or that breaks a rule, is refused whole, never half applied.
    let checked;
    const started = performance.now();
    try {
      checked = checkUpdate(this.doc, update, connection.access, (client) => this.clientIds.ownerOf(client));
    } catch (err) {
      throw new RejectedUpdateError(`Update rejected: ${(err as Error).message}`);
    }
    if (!checked.ok) {
      connection.refused(checked.reason);
      return;
    }
    // Bound before the update is logged: a crash in between leaves a binding, never an update under nobody's id.
    for (const client of checked.newClients) this.clientIds.bind(client, connection.access);
    const checkedAt = performance.now();
    const problem = applyChecked(this.doc, checked, connectionOrigin(connection), {
      onProblem: () => {
        this.discarding = true;
      },
    });
    const checkMs = checkedAt - started;
    const applyMs = performance.now() - checkedAt;
    if (checkMs + applyMs > SLOW_UPDATE_MS) {
      this.log.warn({ documentId: this.id, bytes: update.byteLength, checkMs: Math.round(checkMs), applyMs: Math.round(applyMs) }, 'slow update');
    }
    if (!problem) return;
    // Yjs did something the check did not judge: the document in memory is no
    // longer one anybody has. Nothing of it was stored or sent; start again from storage.
    for (const client of checked.newClients) this.clientIds.unbind(client, connection.access);
    this.replaceDoc();
    connection.refused(problem);
  }

  private replaceDoc(): void {
    this.live.off('update', this.onUpdate);
    this.live = this.docFrom(this.store.load(this.id).update);
    this.fullState = undefined;
    this.discarding = false;
    this.log.warn({ documentId: this.id }, 'document reloaded from storage after an update that could not be applied as checked');
  }

  private onDocUpdate(update: Uint8Array, origin: unknown): void {
    const from: TransactionOrigin | undefined = isTransactionOrigin(origin) ? origin : undefined;
    if (from?.source === 'storage' || this.discarding) return;
    this.fullState = undefined;
    // Durable before anyone else sees it: a SIGKILL after this line loses nothing.
    this.store.append(this.id, update);
    this.logLength++;
    this.fanout.enqueue(update);
    this.scheduleTouch();
    this.scheduleCompaction();
  }

  private onAwarenessUpdate(change: AwarenessChange, origin: unknown): void {
    const changed = [...change.added, ...change.updated, ...change.removed];
    if (isTransactionOrigin(origin) && origin.source === 'connection') {
      const owned = origin.connection.awarenessClients;
      for (const client of [...change.added, ...change.updated]) {
        owned.add(client);
        this.awarenessOwners.set(client, origin.connection);
        // A fresh id shown as presence is the principal's from now on (a stock client writes under the same id).
        if (Y.getState(this.doc.store, client) === 0) this.clientIds.bind(client, origin.connection.access);
      }
      for (const client of change.removed) owned.delete(client);
    }
    // Also when a state times out (a client gone silent): its id may be taken again.
    for (const client of change.removed) this.awarenessOwners.delete(client);
    this.relay.changedClients(changed);
  }

  private scheduleTouch(): void {
    this.touchTimer ??= setTimeout(() => this.touch(), TOUCH_DELAY_MS);
  }

  private touch(): void {
    clearTimeout(this.touchTimer);
    this.touchTimer = undefined;
    this.store.touch(this.id, new Date(), countParagraphs(this.doc.getXmlFragment(BODY_FRAGMENT)));
  }

  private scheduleCompaction(): void {
    const threshold = this.options.compactAfterUpdates;
    if (this.logLength >= threshold * FORCE_COMPACT_FACTOR) return this.compact();
    if (this.logLength < threshold) return;
    clearTimeout(this.compactTimer);
    this.compactTimer = setTimeout(() => this.compact(), QUIET_BEFORE_COMPACT_MS);
  }

  /** Folds the update log into one snapshot. */
  compact(): void {
    clearTimeout(this.compactTimer);
    this.compactTimer = undefined;
    if (this.logLength === 0) return;
    this.store.compact(this.id, Y.encodeStateAsUpdate(this.doc));
    this.logLength = 0;
  }

  /** Sends what is waiting, stores the final state and frees the document. */
  unload(): void {
    this.fanout.flush();
    this.relay.flush();
    if (this.touchTimer) this.touch();
    this.compact();
    this.dispose();
  }

  /** Frees the document without storing anything (it was deleted). */
  dispose(): void {
    this.fanout.dispose();
    this.relay.dispose();
    clearTimeout(this.touchTimer);
    clearTimeout(this.compactTimer);
    this.awareness.destroy();
    this.doc.destroy();
    this.log.debug({ documentId: this.id }, 'room disposed');
  }
}

type AwarenessChange = { added: number[]; updated: number[]; removed: number[] };
