import { DocumentDeletedError, DocumentUnreadableError, ForbiddenError, NotFoundError, isStorageError, type AppError } from '../errors.js';
import type { ResolvedAccess } from '../auth/authenticator.js';
import type { Logger } from '../log.js';
import type { DocumentStore } from '../storage/document-store.js';
import type { Connection } from './connection.js';
import { Room, type RoomOptions } from './room.js';
import type { BusMessage } from '../cluster/bus-message.js';
import { OnlineCounts } from '../cluster/online-counts.js';

export type RoomsOptions = RoomOptions & {
  unloadGraceMs: number;
  /**
   * Why a connection's access no longer holds (its invitation revoked or
   * expired since it connected), or null. Asked of every connection after
   * this process missed traffic from the others: a revocation lost with a
   * Redis restart is then made good from the database.
   */
  accessProblem?: (access: ResolvedAccess) => string | null;
};

/**
 * The documents loaded in memory. A document is loaded (synchronously, from
 * SQLite) when its first connection arrives, so no client is ever answered
 * before its content is there, and unloaded a grace period after its last
 * connection leaves, so memory follows the meetings under way.
 */
export class Rooms {
  private readonly rooms = new Map<string, Room>();
  private readonly unloadTimers = new Map<string, NodeJS.Timeout>();
  /** Documents whose stored content could not be decoded: refused until a restore (and restart), never retried per connection. */
  private readonly quarantine = new Set<string>();
  private readonly online: OnlineCounts;

  constructor(
    private readonly store: DocumentStore,
    private readonly log: Logger,
    private readonly options: RoomsOptions,
  ) {
    this.online = new OnlineCounts(options.bus, (id) => this.rooms.get(id)?.connections ?? []);
    options.bus.onMessage((message, from) => this.fromBus(message, from));
  }

  /** What another server process tells this one (server/cluster/bus-message.ts). */
  private fromBus(message: BusMessage, from: string): void {
    switch (message.kind) {
      case 'online':
        return this.online.fromBus(message, from);
      case 'update':
        return this.rooms.get(message.documentId)?.applyRemote(message.update);
      case 'presence':
        return this.rooms.get(message.documentId)?.presence.applyRemote(message.update);
      case 'disconnect':
        return this.closeWhere(message.documentId, (c) => c.access.invitationId === message.invitationId, message.closeCode, message.reason);
      case 'evict':
        return this.evictHere(message.documentId, message.closeCode, message.reason);
      case 'resync':
        if (message.documentIds === null) return this.afterMissedTraffic();
        for (const room of this.rooms.values()) if (message.documentIds.includes(room.id)) this.resyncRoom(room);
    }
  }

  /**
   * This process missed traffic of the others (the stream lost entries it had
   * not read): besides updates, a deletion or a revocation may be among them,
   * which storage alone makes good here: each loaded document is merged with
   * what is stored, or closed if it is gone, and each connection's access is
   * asked again.
   */
  private afterMissedTraffic(): void {
    for (const room of [...this.rooms.values()]) {
      if (!this.store.exists(room.id)) {
        const gone = new DocumentDeletedError('This document was deleted');
        this.evictHere(room.id, gone.closeCode, gone.message);
        continue;
      }
      this.resyncRoom(room);
      for (const connection of room.connections) {
        const problem = this.options.accessProblem?.(connection.access);
        if (problem) connection.close(new ForbiddenError(problem).closeCode, problem);
      }
    }
  }

  private resyncRoom(room: Room): void {
    try {
      room.resync();
    } catch (err) {
      this.log.error({ documentId: room.id, err: (err as Error).message }, 'resync from storage failed; the next one tries again');
    }
  }

  get loadedCount(): number {
    return this.rooms.size;
  }

  get connectionCount(): number {
    let n = 0;
    for (const room of this.rooms.values()) n += room.connections.size;
    return n;
  }

  /** Ids of the documents refused because their stored content cannot be decoded (GET /api/health lists them). */
  get quarantined(): readonly string[] {
    return [...this.quarantine];
  }

  /**
   * The loaded room of a document, loading it if needed; throws NotFoundError
   * for an unknown id, DocumentUnreadableError for a quarantined one.
   */
  acquire(id: string): Room {
    this.cancelUnload(id);
    // Every connection acquires its room before it joins and releases it when it leaves: both are when the counts may change.
    this.online.changed(id);
    const loaded = this.rooms.get(id);
    if (loaded) return loaded;
    if (this.quarantine.has(id)) throw new DocumentUnreadableError(id, 'quarantined earlier');
    if (!this.store.exists(id)) throw new NotFoundError(`No document with id "${id}"`);
    const started = performance.now();
    const room = this.load(id);
    this.rooms.set(id, room);
    this.log.info({ documentId: id, ms: Math.round(performance.now() - started) }, 'document loaded');
    return room;
  }

  /**
   * One document's content failing to decode must not take anyone else down:
   * whatever its stored rows make the load throw (short of SQLite itself failing,
   * which is the whole server's problem) quarantines that document alone.
   */
  private load(id: string): Room {
    try {
      return new Room(id, this.store, this.log, this.options);
    } catch (err) {
      if (isStorageError(err)) throw err;
      const damage = err instanceof DocumentUnreadableError ? err.damage : (err as Error).message;
      this.quarantine.add(id);
      this.log.error({ documentId: id, damage }, 'document cannot be read from storage; quarantined (restore it from a backup)');
      throw err instanceof DocumentUnreadableError ? err : new DocumentUnreadableError(id, damage);
    }
  }

  /** Called when a connection left: a room nobody is in is unloaded after the grace period. */
  release(room: Room): void {
    this.online.changed(room.id);
    if (room.connections.size > 0 || this.rooms.get(room.id) !== room) return;
    this.cancelUnload(room.id);
    const timer = setTimeout(() => this.unload(room.id), this.options.unloadGraceMs);
    timer.unref();
    this.unloadTimers.set(room.id, timer);
  }

  private cancelUnload(id: string): void {
    clearTimeout(this.unloadTimers.get(id));
    this.unloadTimers.delete(id);
  }

  private unload(id: string): void {
    this.cancelUnload(id);
    const room = this.rooms.get(id);
    if (!room || room.connections.size > 0) return;
    this.rooms.delete(id);
    room.unload();
    this.log.info({ documentId: id }, 'document unloaded');
  }

  /** Disconnects everyone from a document that is going away and frees it without storing, on every server process. */
  evict(id: string, why: AppError): void {
    this.options.bus.publish({ kind: 'evict', documentId: id, closeCode: why.closeCode, reason: why.message });
    this.evictHere(id, why.closeCode, why.message);
  }

  private evictHere(id: string, closeCode: number, reason: string): void {
    this.cancelUnload(id);
    const room = this.rooms.get(id);
    if (!room) return;
    this.rooms.delete(id);
    for (const connection of room.connections) connection.close(closeCode, reason);
    room.dispose();
  }

  /** Closes the connections of one document made with an invitation (revoked, released), on every server process. */
  disconnectInvitation(id: string, invitationId: string, why: AppError): void {
    this.options.bus.publish({ kind: 'disconnect', documentId: id, invitationId, closeCode: why.closeCode, reason: why.message });
    this.closeWhere(id, (c) => c.access.invitationId === invitationId, why.closeCode, why.message);
  }

  private closeWhere(id: string, which: (connection: Connection) => boolean, closeCode: number, reason: string): void {
    const room = this.rooms.get(id);
    if (!room) return;
    for (const connection of room.connections) if (which(connection)) connection.close(closeCode, reason);
  }

  /** Connections per invitation on a document, over every server process (the invitation list's "online"). */
  onlineByInvitation(id: string): Map<string, number> {
    return this.online.of(id);
  }

  /** Stores every loaded document and frees it: the last step of a clean shutdown. */
  unloadAll(): void {
    this.online.close();
    for (const id of [...this.rooms.keys()]) {
      const room = this.rooms.get(id)!;
      this.rooms.delete(id);
      this.cancelUnload(id);
      room.unload();
    }
  }

  /** The room of a document if it is loaded; never loads one (a reader that finds none uses what is stored). */
  get(id: string): Room | undefined {
    return this.rooms.get(id);
  }
}
