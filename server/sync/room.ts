import * as Y from 'yjs';
import { BODY_FRAGMENT } from '../../shared/schema/ydoc.js';
import { countParagraphs } from '../../shared/model/paragraphs.js';
import { damagedRecords } from '../../shared/model/damaged-records.js';
import { migrateDocument } from '../../shared/model/migrate-document.js';
import { MalformedMessageError, RejectedUpdateError } from '../errors.js';
import type { Logger } from '../log.js';
import type { DocumentStore } from '../storage/document-store.js';
import { applyChecked } from '../check/apply-checked.js';
import { checkSteps, checkUpdate, type CheckedUpdate } from '../check/check-update.js';
import type { ResolvedAccess } from '../auth/authenticator.js';
import { recordParagraphChanges } from './change-record.js';
import type { RestoreChange } from './restore-reading.js';
import { FrameQueue } from './frame-queue.js';
import { ClientIds } from './client-ids.js';
import { Presence } from './presence.js';
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
/** Updates at least this big are checked in steps, in turns of the event loop of their own (a 1,000-paragraph paste is about 190 KB). */
const STEPPED_UPDATE_BYTES = 128 * 1024;

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
  private disposed = false;
  private readonly frames = new FrameQueue((connection, frame) => this.handle(connection, frame));
  private readonly onUpdate = (update: Uint8Array, origin: unknown) => this.onDocUpdate(update, origin);
  readonly connections = new Set<Connection>();
  private readonly fanout: Fanout;
  private logLength: number;
  /** Full state for clients that have nothing yet (the reconnect storm after a restart): encoded once per change. */
  private fullState: Uint8Array | undefined;
  private touchTimer: NodeJS.Timeout | undefined;
  /** Big updates being checked in steps: a restore waits until none is (it would change the document under their check). */
  private stepping = 0;
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

    this.fanout = new Fanout(() => this.connections, options.fanoutWindowMs);
    const hasStructs = (client: number) => Y.getState(this.doc.store, client) > 0;
    this.presence = new Presence(this.doc, this.clientIds, hasStructs, () => this.connections, options.awarenessIntervalMs);
    // A document written by an older version is brought to the current format once, as a change of the server's: stored, then sent to whoever joins.
    const migrated = migrateDocument(this.live, { source: 'server', reason: 'migration' } satisfies TransactionOrigin);
    if (migrated.length > 0) log.info({ documentId: id, groups: migrated.length }, 'document migrated to the current format');
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
        const presence = this.presence.snapshotMessage();
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
    if (update.byteLength >= STEPPED_UPDATE_BYTES) {
      this.stepping++;
      return this.applyInSteps(connection, update).finally(() => this.stepping--);
    }
    // Read and judge the whole update before touching the document: one that
    // Yjs cannot read, or that breaks a rule, is refused whole, never half applied.
    const started = performance.now();
    let checked: CheckedUpdate;
    try {
      checked = checkUpdate(this.doc, update, connection.access, this.ownerOf);
    } catch (err) {
      throw new RejectedUpdateError(`Update rejected: ${(err as Error).message}`);
    }
    this.commit(connection, checked, update.byteLength, started);
  }

  private readonly ownerOf = (client: number) => this.clientIds.ownerOf(client);

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
    await nextTurn();
    if (this.disposed) return;
    if (this.live !== doc) return connection.refused('The document was reloaded while this change was checked: reload and send it again');
    this.commit(connection, checked, update.byteLength, started, longestStep);
  }

  /** Applies a checked update (or refuses it), records who made it, and logs one whose check and apply held the server long. */
  private commit(connection: Connection, checked: CheckedUpdate, bytes: number, started: number, longestCheckStep?: number): void {
    if (!checked.ok) return connection.refused(checked.reason);
    // Bound before the update is logged: a crash in between leaves a binding, never an update under nobody's id.
    for (const client of checked.newClients) this.clientIds.bind(client, connection.access);
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
      for (const client of checked.newClients) this.clientIds.unbind(client, connection.access);
      this.replaceDoc();
      return connection.refused(problem);
    }
    // Only now that the change is in: who made it, as the server knows this connection (not as the update
    // says), on each paragraph it changed. Participants cannot write this record, so it cannot be forged.
    // A big paste changes thousands of paragraphs: their record is written in a turn of its own, so the
    // server answers everyone else between the two.
    if (bytes < STEPPED_UPDATE_BYTES) return void recordParagraphChanges(this.doc, checked.paragraphs, connection.access);
    const doc = this.live;
    setImmediate(() => {
      if (!this.disposed && this.live === doc) recordParagraphChanges(doc, checked.paragraphs, connection.access);
    });
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
    this.clientIds.bind(change.clientId, access);
    Y.applyUpdate(this.doc, change.update, RESTORE_ORIGIN);
    recordParagraphChanges(this.doc, change.paragraphs, access);
    return true;
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
    this.presence.flush();
    if (this.touchTimer) this.touch();
    this.compact();
    this.dispose();
  }

  /** Frees the document without storing anything (it was deleted). */
  dispose(): void {
    this.disposed = true;
    this.frames.close();
    this.fanout.dispose();
    this.presence.dispose();
    clearTimeout(this.touchTimer);
    clearTimeout(this.compactTimer);
    this.doc.destroy();
    this.log.debug({ documentId: this.id }, 'room disposed');
  }
}
