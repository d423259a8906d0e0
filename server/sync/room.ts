import * as Y from 'yjs';
import { damagedRecords } from '../../shared/model/damaged-records.js';
import { migrateDocument } from '../../shared/model/migrate-document.js';
import { MalformedMessageError, RejectedUpdateError, WriteRefusedError } from '../errors.js';
import type { Logger } from '../log.js';
import { metrics, type ResyncKind } from '../metrics/metrics.js';
import type { DocumentStore } from '../storage/document-store.js';
import type { WriteGate } from '../storage/write-gate.js';
import { applyChecked } from '../check/apply-checked.js';
import { checkSteps, checkUpdate, type CheckedUpdate } from '../check/check-update.js';
import type { ResolvedAccess } from '../auth/authenticator.js';
import { recordParagraphChanges } from './change-record.js';
import type { RestoreChange } from './restore-reading.js';
import { FrameQueue } from './frame-queue.js';
import { ClientIds } from './client-ids.js';
import { RoomUpkeep } from './room-upkeep.js';
import { Presence } from './presence.js';
import type { Connection } from './connection.js';
import { Fanout } from './fanout.js';
import { decodeIncoming, encodeSyncStep1, encodeSyncStep2 } from './messages.js';
import type { LiveBus } from '../cluster/live-bus.js';
import { REMOTE_ORIGIN, STORAGE_ORIGIN, connectionOrigin, isTransactionOrigin, type TransactionOrigin } from './origin.js';

export type RoomOptions = {
  fanoutWindowMs: number;
  awarenessIntervalMs: number;
  compactAfterUpdates: number;
  /** Whether the database can be written (the disk is not full): one for the process. */
  writeGate: WriteGate;
  /** The other server processes serving the same documents (a LocalBus when this one is alone). */
  bus: LiveBus;
};

/** An update whose check and apply hold the event loop longer than this is logged (a huge paste, or an attack). */
const SLOW_UPDATE_MS = 100;
/** Updates at least this big are checked in steps, in turns of the event loop of their own (a 1,000-paragraph paste is about 190 KB). */
const STEPPED_UPDATE_BYTES = 128 * 1024;
/** At most one merge from storage a second per document for updates that failed the check (see mayResyncForRefusal). */
const REFUSAL_RESYNC_EVERY_MS = 1_000;

const RESTORE_ORIGIN: TransactionOrigin = Object.freeze({ source: 'server', reason: 'restore' });

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * One loaded document and the people editing it. Every update follows one path:
 * decoded → checked → applied and verified → appended to the log → fanned out;
 * then who made it is recorded on the paragraphs it changed, a server change
 * that follows the same log and fan-out.
 */
export class Room {
  private live: Y.Doc;
  readonly presence: Presence;
  private readonly clientIds: ClientIds;
  /** Set while an update Yjs applied differently from its check is being thrown away: nothing of it is stored or sent. */
  private discarding = false;
  /**
   * Set when a change Yjs applied to the live document could not be stored
   * (disk full): nothing of it, nor of anything after it, is relayed, and the
   * document goes back to what is stored (takeUnstored) before it is used again.
   */
  private unstored: { error: unknown } | null = null;
  private disposed = false;
  private readonly frames = new FrameQueue((connection, frame) => this.handle(connection, frame));
  private readonly onUpdate = (update: Uint8Array, origin: unknown) => this.onDocUpdate(update, origin);
  readonly connections = new Set<Connection>();
  private readonly fanout: Fanout;
  /** "Last edited" and compaction, from timers after the typing. */
  private readonly upkeep: RoomUpkeep;
  /** Full state for clients that have nothing yet (the reconnect storm after a restart): encoded once per change. */
  private fullState: Uint8Array | undefined;
  /** Big updates being checked in steps: a restore waits until none is (it would change the document under their check). */
  private stepping = 0;
  /** When an update that failed the check last made this room merge what is stored. */
  private lastRefusalResync = -Infinity;
  /** Updates from other processes that arrived while a big update was being checked in steps: applied after it. */
  private remoteWaiting: Uint8Array[] = [];

  constructor(
    readonly id: string,
    private readonly store: DocumentStore,
    private readonly log: Logger,
    private readonly options: RoomOptions,
  ) {
    const stored = store.load(id);
    this.live = this.docFrom(stored.update);
    this.upkeep = new RoomUpkeep(id, store, options.writeGate, () => this.live, options.compactAfterUpdates, stored.logLength);
    this.clientIds = new ClientIds(id, store, options.writeGate);
    // Stored before the check refused such records (or written by an old version): readers skip them; say so once per load.
    const damaged = damagedRecords(this.live);
    if (damaged.length > 0) log.warn({ documentId: id, count: damaged.length, damaged: damaged.slice(0, 20) }, 'document holds damaged records');

    this.fanout = new Fanout(() => this.connections, options.fanoutWindowMs);
    const hasStructs = (client: number) => Y.getState(this.doc.store, client) > 0;
    this.presence = new Presence(this.doc, this.clientIds, hasStructs, () => this.connections, options.awarenessIntervalMs, (update) =>
      options.bus.publish({ kind: 'presence', documentId: id, update }),
    );
    // A document written by an older version is brought to the current format once, as a change of the server's: stored, then sent to whoever joins.
    const migrated = migrateDocument(this.live, { source: 'server', reason: 'migration' } satisfies TransactionOrigin);
    if (migrated.length > 0) log.info({ documentId: id, groups: migrated.length }, 'document migrated to the current format');
    if (this.unstored) {
      // Not served in the old format, which this version does not read: it opens once its migration can be stored.
      const { error } = this.unstored;
      this.dispose();
      throw error;
    }
  }

  private get gate(): WriteGate {
    return this.options.writeGate;
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
    connection.send(encodeSyncStep1(this.doc));
    const presence = this.presence.snapshotMessage();
    if (presence) connection.send(presence);
  }

  leave(connection: Connection): void {
    if (!this.connections.delete(connection)) return;
    this.presence.leave(connection);
  }

  /** Takes one frame from a connection, in arrival order; throws an AppError when a frame handled at once must close it. */
  receive(connection: Connection, frame: Uint8Array): void {
    this.frames.push(connection, frame);
  }

  private handle(connection: Connection, frame: Uint8Array): Promise<void> | void {
    const message = decodeIncoming(frame);
    switch (message.kind) {
      case 'sync-step1':
        connection.send(encodeSyncStep2(this.stateMissingFrom(message.stateVector)));
        return;
      case 'sync-step2':
      case 'sync-update':
        return this.applyFromClient(connection, message.update);
      case 'awareness':
        return this.presence.receive(connection, message.update);
      case 'query-awareness': {
        const presence = this.presence.snapshotMessage(connection);
        if (presence) connection.send(presence);
        return;
      }
      case 'auth':
        return;
    }
  }

  private stateMissingFrom(stateVector: Uint8Array): Uint8Array {
    try {
      if (stateVector.byteLength <= 1) {
        this.fullState ??= Y.encodeStateAsUpdate(this.doc);
        return this.fullState;
      }
      return Y.encodeStateAsUpdate(this.doc, stateVector);
    } catch (err) {
      throw new MalformedMessageError(`Malformed state vector: ${(err as Error).message}`);
    }
  }

  private applyFromClient(connection: Connection, update: Uint8Array): Promise<void> | void {
    // While the disk is full, an update that would change the document is refused before its check: cheap, and
    // nothing is applied. One that brings nothing new (a reader's answer to the server's state vector) goes on.
    if (!this.gate.isOpen && !this.holds(update)) {
      metrics.updatesRefused.inc({ reason: 'storage' });
      throw this.gate.refusal();
    }
    if (update.byteLength >= STEPPED_UPDATE_BYTES) {
      this.stepping++;
      return this.applyInSteps(connection, update).finally(() => {
        this.stepping--;
        if (this.stepping === 0) for (const waiting of this.remoteWaiting.splice(0)) this.applyRemote(waiting);
      });
    }
    // Read and judge the whole update before touching the document: one that
    // Yjs cannot read, or that breaks a rule, is refused whole, never half applied.
    const started = performance.now();
    let checked: CheckedUpdate;
    try {
      checked = checkUpdate(this.doc, update, connection.access, this.ownerOf);
      // Another process may have stored changes and died before relaying them: a client that saw them
      // (a reconnect sends what the server lacks) builds on them. What is stored is merged in and the check run once more.
      if (!checked.ok && this.options.bus.shared && this.mayResyncForRefusal() && this.resyncBroughtSomething()) {
        checked = checkUpdate(this.doc, update, connection.access, this.ownerOf);
      }
    } catch (err) {
      throw new RejectedUpdateError(`Update rejected: ${(err as Error).message}`);
    }
    metrics.checkSeconds.observe((performance.now() - started) / 1000);
    this.commit(connection, checked, update.byteLength, started);
  }

  private readonly ownerOf = (client: number) => this.clientIds.ownerOf(client);

  /** Whether the document already holds all an update brings (one Yjs cannot read brings something: it is refused like the rest). */
  private holds(update: Uint8Array): boolean {
    try {
      return Y.snapshotContainsUpdate(Y.snapshot(this.doc), update);
    } catch {
      return false;
    }
  }

  /**
   * A big update (a paste of thousands of paragraphs) is checked in steps,
   * each in a turn of the event loop of its own, then applied in one more:
   * the server answers everyone else in between. The room's later frames
   * wait for it (see FrameQueue), so the document does not change meanwhile.
   */
  private async applyInSteps(connection: Connection, update: Uint8Array): Promise<void> {
    const doc = this.live;
    const started = performance.now();
    const steps = checkSteps(doc, update, connection.access, this.ownerOf);
    let checked: CheckedUpdate;
    let longestStep = 0;
    for (;;) {
      await nextTurn();
      if (this.disposed) return;
      let step: IteratorResult<void, CheckedUpdate>;
      const stepStarted = performance.now();
      try {
        step = steps.next();
      } catch (err) {
        throw new RejectedUpdateError(`Update rejected: ${(err as Error).message}`);
      }
      longestStep = Math.max(longestStep, performance.now() - stepStarted);
      if (step.done) {
        checked = step.value;
        break;
      }
    }
    metrics.checkSeconds.observe((performance.now() - started) / 1000);
    await nextTurn();
    if (this.disposed) return;
    // The disk filled while it was checked: refused as any update is meanwhile (the sender keeps it and sends it again).
    if (!this.gate.isOpen) {
      metrics.updatesRefused.inc({ reason: 'storage' });
      throw this.gate.refusal();
    }
    if (this.live !== doc) {
      metrics.updatesRefused.inc({ reason: 'reloaded' });
      return connection.refused('The document was reloaded while this change was checked: reload and send it again');
    }
    this.commit(connection, checked, update.byteLength, started, longestStep);
  }

  /** Applies a checked update (or refuses it), records who made it, and logs one whose check and apply held the server long. */
  private commit(connection: Connection, checked: CheckedUpdate, bytes: number, started: number, longestCheckStep?: number): void {
    if (!checked.ok) {
      metrics.updatesRefused.inc({ reason: 'rule' });
      return connection.refused(checked.reason);
    }
    // Bound before the update is logged: a crash in between leaves a binding, never an update under nobody's id.
    try {
      this.clientIds.bindAll(checked.newClients, connection.access);
    } catch (err) {
      if (err instanceof WriteRefusedError) metrics.updatesRefused.inc({ reason: 'storage' });
      throw err;
    }
    const checkedAt = performance.now();
    const problem = applyChecked(this.doc, checked, connectionOrigin(connection), {
      onProblem: () => {
        this.discarding = true;
      },
    });
    const applyMs = performance.now() - checkedAt;
    if (checkedAt - started + applyMs > SLOW_UPDATE_MS) {
      const checkMs = Math.round(checkedAt - started);
      const longestCheckStepMs = longestCheckStep === undefined ? undefined : Math.round(longestCheckStep);
      this.log.warn({ documentId: this.id, bytes, checkMs, applyMs: Math.round(applyMs), longestCheckStepMs }, 'slow update');
    }
    if (problem) {
      // Yjs did something the check did not judge: the document in memory is no
      // longer one anybody has. Nothing of it was stored or sent; start again from storage.
      this.clientIds.unbindAll(checked.newClients, connection.access);
      this.replaceDoc();
      metrics.updatesRefused.inc({ reason: 'rule' });
      return connection.refused(problem);
    }
    const unstored = this.takeUnstored();
    if (unstored) {
      // Applied but not stored (disk full): nothing of it was relayed, and the document is back to what is stored.
      // The sender's connection closes (4507) and its client sends the change again when it reconnects.
      this.clientIds.unbindAll(checked.newClients, connection.access);
      metrics.updatesRefused.inc({ reason: 'storage' });
      throw unstored.error;
    }
    // Only now that the change is in: who made it, as the server knows this connection (not as the update
    // says), on each paragraph it changed. Participants cannot write this record, so it cannot be forged.
    // A big paste changes thousands of paragraphs: their record is written in a turn of its own, so the
    // server answers everyone else between the two.
    // The change is stored and sent either way; a record that could not be stored is not sent, and the document goes back to what is stored.
    if (bytes < STEPPED_UPDATE_BYTES) {
      recordParagraphChanges(this.doc, checked.paragraphs, connection.access);
      const unrecorded = this.takeUnstored();
      if (unrecorded) throw unrecorded.error;
      return;
    }
    const doc = this.live;
    setImmediate(() => {
      if (this.disposed || this.live !== doc) return;
      recordParagraphChanges(doc, checked.paragraphs, connection.access);
      this.takeUnstored();
    });
  }

  /**
   * After a transaction: when a change it made could not be stored, the
   * document goes back to what is stored (nothing of the change was relayed)
   * and the failure is returned, for the caller to tell whoever sent it.
   */
  private takeUnstored(): { error: unknown } | null {
    const unstored = this.unstored;
    if (unstored) this.replaceDoc('a change could not be stored');
    return unstored;
  }

  /**
   * Applies a restore (server/sync/restore-reading.ts) as one forward change:
   * its client id bound to whoever asked first, like a connection's, then the
   * update in one server transaction (stored, sent to everyone), then the line
   * in the change record. False, with nothing changed, while a big update is
   * being checked in steps (or, once in billions, when its random client id is
   * already somebody's: asking again picks another).
   */
  applyRestore(change: RestoreChange, access: ResolvedAccess): boolean {
    if (this.stepping > 0 || this.disposed || this.clientIds.owner(change.clientId)) return false;
    // On a full disk (507) nothing changes: the secretariat restores again once space is freed.
    const asked = () => this.gate.refusal('request');
    if (!this.gate.isOpen) throw asked();
    try {
      this.clientIds.bindAll([change.clientId], access);
    } catch (err) {
      throw err instanceof WriteRefusedError ? asked() : err;
    }
    Y.applyUpdate(this.doc, change.update, RESTORE_ORIGIN);
    const unstored = this.takeUnstored();
    if (unstored) {
      this.clientIds.unbindAll([change.clientId], access);
      throw unstored.error instanceof WriteRefusedError ? asked() : unstored.error;
    }
    recordParagraphChanges(this.doc, change.paragraphs, access);
    // The restore is stored and sent; a record that could not be is dropped with the document's copy in memory.
    this.takeUnstored();
    return true;
  }

  /**
   * An update another process checked and stored (or, from resync, what is
   * stored): applied as it is, then sent to this process's clients. Yjs keeps
   * only what the document lacks, so an update seen twice changes nothing and
   * the document never goes backwards. Client ids it brings that this process
   * has not seen are looked up in storage first (whoever owns them was bound there).
   */
  applyRemote(update: Uint8Array, fromStorage = false): void {
    if (this.disposed) return;
    if (this.stepping > 0) {
      this.remoteWaiting.push(update);
      return;
    }
    try {
      this.clientIds.learnFrom(update);
      Y.applyUpdate(this.live, update, REMOTE_ORIGIN);
    } catch (err) {
      this.log.warn({ documentId: this.id, err: (err as Error).message }, 'an update from another process could not be applied');
    }
    // It builds on something this process never received (a process died between storing and relaying it,
    // an entry lost with Redis): whatever it lacks is in storage, stored before it was relayed.
    const store = this.live.store;
    if (!fromStorage && (store.pendingStructs !== null || store.pendingDs !== null)) this.resync('pending');
  }

  /**
   * A refused update may have been refused for what this process has not
   * received yet, but the merge costs a document load: a client sending
   * update after refused update (until the refusal limit closes it) gets at
   * most one a second per document.
   */
  private mayResyncForRefusal(): boolean {
    const now = performance.now();
    if (now - this.lastRefusalResync < REFUSAL_RESYNC_EVERY_MS) return false;
    this.lastRefusalResync = now;
    return true;
  }

  private resyncBroughtSomething(): boolean {
    const before = Y.encodeStateVector(this.live);
    this.resync('refused');
    const after = Y.encodeStateVector(this.live);
    return before.byteLength !== after.byteLength || before.some((byte, i) => byte !== after[i]);
  }

  /** Merges what is stored into the live document: after this process missed traffic from the others. */
  resync(why: ResyncKind = 'bus'): void {
    if (this.disposed) return;
    metrics.resyncs.inc({ why });
    this.applyRemote(this.store.load(this.id).update, true);
  }

  private replaceDoc(why = 'an update could not be applied as checked'): void {
    this.live.off('update', this.onUpdate);
    this.live = this.docFrom(this.store.load(this.id).update);
    this.fullState = undefined;
    this.discarding = false;
    this.unstored = null;
    this.log.warn({ documentId: this.id }, `document reloaded from storage after ${why}`);
  }

  private onDocUpdate(update: Uint8Array, origin: unknown): void {
    const from: TransactionOrigin | undefined = isTransactionOrigin(origin) ? origin : undefined;
    if (from?.source === 'storage' || this.discarding) return;
    this.fullState = undefined;
    if (from?.source === 'remote') {
      // Stored by the process that accepted it, which also keeps "last edited" and compacts what it appended:
      // counted here too, every process would compact the same busy document. Only this process's clients are left to tell.
      this.fanout.enqueue(update);
      return;
    }
    // After a change that could not be stored, nothing is: the document is about to go back to what is stored.
    if (this.unstored) return;
    const appendStarted = performance.now();
    try {
      // Durable before anyone else sees it: a SIGKILL after this line loses nothing.
      this.gate.write(() => this.store.append(this.id, update));
    } catch (error) {
      // Kept for the caller (takeUnstored), not thrown: out of Yjs's update observer it would leave the document's transactions half cleaned up.
      this.unstored = { error };
      return;
    }
    metrics.appendSeconds.observe((performance.now() - appendStarted) / 1000);
    this.fanout.enqueue(update);
    this.options.bus.publish({ kind: 'update', documentId: this.id, update });
    metrics.updatesAccepted.inc();
    this.upkeep.stored();
  }


  /** Sends what is waiting, stores the final state and frees the document. */
  unload(): void {
    this.fanout.flush();
    this.presence.flush();
    this.upkeep.flush();
    this.dispose();
  }

  /** Frees the document without storing anything (it was deleted). */
  dispose(): void {
    this.disposed = true;
    this.frames.close();
    this.fanout.dispose();
    this.presence.dispose();
    this.upkeep.dispose();
    this.doc.destroy();
    this.log.debug({ documentId: this.id }, 'room disposed');
  }
}
