import * as Y from 'yjs';
import type { DocumentSummary } from '../../shared/schema/api.js';
import { DocumentUnreadableError } from '../errors.js';
import { asSqlDatabase, type SqlDatabase, type StoreDatabase } from './sql-database.js';
import { ReadingStore } from './reading-store.js';

type DocumentRow = {
  id: string;
  title: string;
  created_at: string;
  updated_at: string;
  paragraph_count: number;
};

function toSummary(row: DocumentRow): DocumentSummary {
  return {
    id: row.id,
    title: row.title,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    paragraphCount: row.paragraph_count,
  };
}

/** Who owns one Yjs client id of a document (see the client_ids table). */
export type ClientIdOwner = { principal: string; delegation: string; role: string };
export type ClientIdBinding = ClientIdOwner & { clientId: number };

/** What is stored of one document's content: the snapshot plus the updates logged after it. */
export type StoredState = { update: Uint8Array; logLength: number };

/**
 * Documents and their Yjs content, in SQLite or PostgreSQL (SqlDatabase).
 * Synchronous on purpose: a document is fully loaded before its first sync
 * message can be sent, and an update is stored before the call that appended
 * it returns.
 */
export class DocumentStore {
  private readonly q;
  /** The documents' readings (named revisions): rows of their own, deleted with their document. */
  readonly readings: ReadingStore;

  private readonly db: SqlDatabase;

  constructor(database: StoreDatabase) {
    const db = asSqlDatabase(database);
    this.db = db;
    this.readings = new ReadingStore(db);
    this.q = {
      list: db.prepare<[], DocumentRow>('SELECT * FROM documents ORDER BY updated_at DESC, rowid ASC'),
      get: db.prepare<[string], DocumentRow>('SELECT * FROM documents WHERE id = ?'),
      count: db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM documents'),
      insert: db.prepare(
        'INSERT INTO documents (id, title, created_at, updated_at, paragraph_count) VALUES (?, ?, ?, ?, ?)',
      ),
      rename: db.prepare('UPDATE documents SET title = ?, updated_at = ? WHERE id = ?'),
      touch: db.prepare('UPDATE documents SET updated_at = ?, paragraph_count = ? WHERE id = ?'),
      remove: db.prepare('DELETE FROM documents WHERE id = ?'),
      snapshot: db.prepare<[string], { state: Buffer }>('SELECT state FROM snapshots WHERE doc_id = ?'),
      log: db.prepare<[string], { seq: number; data: Buffer }>('SELECT seq, data FROM updates WHERE doc_id = ? ORDER BY seq'),
      append: db.prepare('INSERT INTO updates (doc_id, data) VALUES (?, ?)'),
      putSnapshot: db.prepare(
        `INSERT INTO snapshots (doc_id, state, created_at) VALUES (?, ?, ?)
         ON CONFLICT(doc_id) DO UPDATE SET state = excluded.state, created_at = excluded.created_at`,
      ),
      trimLog: db.prepare('DELETE FROM updates WHERE doc_id = ? AND seq <= ?'),
      clientIds: db.prepare<[string], ClientIdBinding>(
        'SELECT client_id AS clientId, principal, delegation, role FROM client_ids WHERE doc_id = ?',
      ),
      bindClientId: db.prepare(
        'INSERT OR IGNORE INTO client_ids (doc_id, client_id, principal, delegation, role, first_seen) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      clientIdOwner: db.prepare<[string, number], ClientIdOwner>('SELECT principal, delegation, role FROM client_ids WHERE doc_id = ? AND client_id = ?'),
      unbindClientId: db.prepare('DELETE FROM client_ids WHERE doc_id = ? AND client_id = ? AND principal = ?'),
    };
  }

  isEmpty(): boolean {
    return this.q.count.get()!.n === 0;
  }

  list(): DocumentSummary[] {
    return this.q.list.all().map(toSummary);
  }

  get(id: string): DocumentSummary | undefined {
    const row = this.q.get.get(id);
    return row ? toSummary(row) : undefined;
  }

  exists(id: string): boolean {
    return this.q.get.get(id) !== undefined;
  }

  /** Creates a document, optionally with initial content (a Yjs update), in one transaction. */
  create(doc: { id: string; title: string; content?: Uint8Array; paragraphCount?: number; at?: Date }): DocumentSummary {
    const at = (doc.at ?? new Date()).toISOString();
    this.db.transaction(() => {
      this.q.insert.run(doc.id, doc.title, at, at, doc.paragraphCount ?? 0);
      if (doc.content) this.q.putSnapshot.run(doc.id, Buffer.from(doc.content), at);
    });
    return this.get(doc.id)!;
  }

  rename(id: string, title: string): DocumentSummary | undefined {
    const changed = this.q.rename.run(title, new Date().toISOString(), id).changes;
    return changed ? this.get(id) : undefined;
  }

  /** Records that the content changed; called at most every few seconds per document. */
  touch(id: string, at: Date, paragraphCount: number): void {
    this.q.touch.run(at.toISOString(), paragraphCount, id);
  }

  delete(id: string): boolean {
    return this.q.remove.run(id).changes > 0;
  }

  /**
   * The whole stored content as one update (snapshot merged with the log).
   * Throws DocumentUnreadableError when a stored row does not decode, before
   * anything is applied anywhere: Rooms quarantines the document, an export
   * answers 503, the rest of the server is untouched. Merging decodes every
   * part; a lone snapshot is decoded to check it (about half the time applying
   * it takes, once per load).
   */
  load(id: string): StoredState {
    // The log before the snapshot: a compaction by another process in between (PostgreSQL) then gives a
    // newer snapshot, which holds every row it trimmed. Read the other way round, those rows could be missed.
    const log = this.q.log.all(id);
    const snapshot = this.q.snapshot.get(id);
    const parts: Uint8Array[] = [];
    if (snapshot) parts.push(snapshot.state);
    for (const row of log) parts.push(row.data);
    try {
      if (parts.length === 1) Y.decodeUpdate(parts[0]!);
      const update = parts.length === 0 ? emptyUpdate() : parts.length === 1 ? parts[0]! : Y.mergeUpdates(parts);
      return { update, logLength: log.length };
    } catch (err) {
      const damaged = this.damagedRows(id);
      throw new DocumentUnreadableError(id, damaged.length > 0 ? damaged.join('; ') : `the merged state: ${(err as Error).message}`);
    }
  }

  /** Which of a document's stored rows do not decode, one line each ("logged update seq 12 does not decode (…)"); [] when all do. */
  damagedRows(id: string): string[] {
    const damaged: string[] = [];
    const snapshot = this.q.snapshot.get(id);
    const problem = (data: Uint8Array) => {
      try {
        Y.decodeUpdate(data);
        return null;
      } catch (err) {
        return (err as Error).message;
      }
    };
    const inSnapshot = snapshot ? problem(snapshot.state) : null;
    if (inSnapshot) damaged.push(`the snapshot does not decode (${inSnapshot})`);
    for (const row of this.q.log.iterate(id)) {
      const inRow = problem(row.data);
      if (inRow) damaged.push(`logged update seq ${row.seq} does not decode (${inRow})`);
    }
    return damaged;
  }

  /** Durably appends one update to the document's log. */
  append(id: string, update: Uint8Array): void {
    this.q.append.run(id, Buffer.from(update.buffer, update.byteOffset, update.byteLength));
  }

  /** Every Yjs client id of a document with the principal that owns it. */
  clientIds(id: string): ClientIdBinding[] {
    return this.q.clientIds.all(id);
  }

  /**
   * Records who owns a client id and returns who does: the first owner stays
   * (a second bind of the same id, from this process or another, is ignored).
   */
  bindClientId(id: string, clientId: number, owner: ClientIdOwner): ClientIdOwner {
    if (this.q.bindClientId.run(id, clientId, owner.principal, owner.delegation, owner.role, new Date().toISOString()).changes === 1) return owner;
    return this.q.clientIdOwner.get(id, clientId) ?? owner;
  }

  /** Forgets a binding made for an update that was then not applied. */
  unbindClientId(id: string, clientId: number, principal: string): void {
    this.q.unbindClientId.run(id, clientId, principal);
  }

  /**
   * Replaces the snapshot with `state` merged with the log rows it replaces,
   * and drops those rows. Merged, not trusted: with several processes
   * (PostgreSQL) a row another process appended may not have reached this
   * one's document yet. The rows dropped are exactly the rows merged: if one
   * more arrived below the highest read (a transaction committed late), the
   * count differs and the compaction is tried again.
   */
  compact(id: string, state: Uint8Array): void {
    for (let attempt = 1; attempt <= 3; attempt++) {
      try {
        this.db.transaction(() => {
          const rows = this.q.log.all(id);
          if (rows.length === 0) return;
          const merged = Y.mergeUpdates([state, ...rows.map((row) => row.data)]);
          this.q.putSnapshot.run(id, Buffer.from(merged), new Date().toISOString());
          if (this.q.trimLog.run(id, rows[rows.length - 1]!.seq).changes !== rows.length) throw new LogMovedError();
        });
        break;
      } catch (err) {
        // Rolled back; three times in a row means a very busy document: the log stays until the next compaction.
        if (!(err instanceof LogMovedError)) throw err;
      }
    }
    this.db.checkpoint();
  }
}

/** Rows were appended below the highest one read while compacting: the transaction is rolled back and tried again. */
class LogMovedError extends Error {}

function emptyUpdate(): Uint8Array {
  return Y.encodeStateAsUpdate(new Y.Doc());
}
