import crypto from 'node:crypto';
import type { Actor } from '../../shared/schema/negotiation.js';
import type { Reading } from '../../shared/schema/readings.js';
import { isUniqueViolation, type SqlDatabase } from './sql-database.js';

type ReadingRow = {
  id: string;
  document_id: string;
  name: string;
  note: string;
  by_name: string;
  by_delegation: string;
  at: string;
  bytes: number;
};

function toReading(row: ReadingRow): Reading {
  return {
    id: row.id,
    documentId: row.document_id,
    name: row.name,
    note: row.note,
    by: { name: row.by_name, delegation: row.by_delegation },
    at: row.at,
    bytes: row.bytes,
  };
}

/** A name of the proposed series ("Rev.3"): the next one follows the highest. */
const SERIES = /^Rev\.(\d{1,9})$/;

/** The name the next reading is proposed: "Rev.<1 + the highest N among the names Rev.N>". */
export function nextReadingName(names: readonly string[]): string {
  let highest = 0;
  for (const name of names) {
    const n = SERIES.exec(name);
    if (n) highest = Math.max(highest, Number(n[1]));
  }
  return `Rev.${highest + 1}`;
}

/** As long as a name in an Actor may be (shared/schema/negotiation.ts): an invitation's label may be longer. */
const MAX_ACTOR_NAME = 80;
const fitted = (name: string) => (name.length <= MAX_ACTOR_NAME ? name : `${name.slice(0, MAX_ACTOR_NAME - 1)}…`);

export type NewReading = { documentId: string; name: string; note: string; by: Actor; state: Uint8Array; at?: Date };

/** Raised when a document already has a reading of that name (the UNIQUE constraint). */
export class ReadingNameTakenError extends Error {}

/**
 * Readings (SQLite or PostgreSQL): one row each, the full Yjs state beside who issued it.
 * Immutable: there is no update, only insert, read, and the cascade when the
 * document is deleted. Rows are read without their state unless asked for.
 */
export class ReadingStore {
  private readonly q;

  constructor(db: SqlDatabase) {
    const columns = 'id, document_id, name, note, by_name, by_delegation, at, length(state) AS bytes';
    this.q = {
      list: db.prepare<[string], ReadingRow>(`SELECT ${columns} FROM readings WHERE document_id = ? ORDER BY at, rowid`),
      get: db.prepare<[string, string], ReadingRow>(`SELECT ${columns} FROM readings WHERE document_id = ? AND id = ?`),
      state: db.prepare<[string, string], { state: Buffer }>('SELECT state FROM readings WHERE document_id = ? AND id = ?'),
      documentOf: db.prepare<[string], { document_id: string }>('SELECT document_id FROM readings WHERE id = ?'),
      names: db.prepare<[string], { name: string }>('SELECT name FROM readings WHERE document_id = ?'),
      insert: db.prepare(
        'INSERT INTO readings (id, document_id, name, note, by_name, by_delegation, at, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
    };
  }

  /** A document's readings, oldest first. */
  list(documentId: string): Reading[] {
    return this.q.list.all(documentId).map(toReading);
  }

  /** One reading, only if it belongs to that document (another document's reading is unknown here). */
  get(documentId: string, readingId: string): Reading | undefined {
    const row = this.q.get.get(documentId, readingId);
    return row ? toReading(row) : undefined;
  }

  /** The reading's full Yjs update, or undefined. */
  state(documentId: string, readingId: string): Uint8Array | undefined {
    return this.q.state.get(documentId, readingId)?.state;
  }

  /** The document a reading belongs to, whichever it is (to tell "another document's" from "unknown"). */
  documentOf(readingId: string): string | undefined {
    return this.q.documentOf.get(readingId)?.document_id;
  }

  nextName(documentId: string): string {
    return nextReadingName(this.q.names.all(documentId).map((r) => r.name));
  }

  /** Stores a reading; throws ReadingNameTakenError when the document has one of that name. */
  create(reading: NewReading): Reading {
    const id = crypto.randomUUID();
    const at = (reading.at ?? new Date()).toISOString();
    const { documentId, name, note, by, state } = reading;
    try {
      this.q.insert.run(id, documentId, name, note, fitted(by.name), fitted(by.delegation), at, Buffer.from(state));
    } catch (err) {
      if (isUniqueViolation(err)) throw new ReadingNameTakenError(`"${name}" is already a reading of this document`);
      throw err;
    }
    return this.get(documentId, id)!;
  }
}
