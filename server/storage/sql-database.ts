import path from 'node:path';
import type Database from 'better-sqlite3';

/** Bound parameters: positional (`?`), or one object for named ones (`@name`). */
type Bound = unknown[];

/** A prepared statement: better-sqlite3's shape, which the PostgreSQL bridge gives too. */
export interface SqlStatement<P extends Bound = Bound, R = unknown> {
  get(...params: P): R | undefined;
  all(...params: P): R[];
  run(...params: P): { changes: number };
  iterate(...params: P): IterableIterator<R>;
}

/**
 * The one interface the stores (documents, readings, accounts, invitations,
 * sessions) are written against, so that each is written once: SQLite
 * (embedded, the default) and PostgreSQL (DATABASE_URL, for several
 * processes) implement it. Synchronous on purpose, as better-sqlite3 is: a
 * document is fully loaded before its first sync message is sent and an
 * update is stored before the call that appended it returns, so "stored
 * before relayed" is one line of the room, whichever engine is below
 * (server/storage/postgres/pg-database.ts says what that costs there).
 * The SQL is SQLite's; the PostgreSQL side translates the few differences.
 */
export interface SqlDatabase {
  readonly kind: 'sqlite' | 'postgres';
  /** The data directory (it holds the invitation sealing key), or null for an in-memory database. */
  readonly dataDir: string | null;
  prepare<P extends Bound = Bound, R = unknown>(sql: string): SqlStatement<P, R>;
  /** Runs `work` in one transaction (a nested call is a savepoint) and returns what it returned. */
  transaction<T>(work: () => T): T;
  /** After a compaction: SQLite folds its write-ahead log into the file; PostgreSQL has nothing to do. */
  checkpoint(): void;
  close(): void;
}

/** better-sqlite3 as a SqlDatabase: its statements already have this shape, so nothing is wrapped per call. */
export function sqliteDatabase(db: Database.Database): SqlDatabase {
  return {
    kind: 'sqlite',
    dataDir: db.memory ? null : path.dirname(db.name),
    prepare: <P extends Bound, R>(sql: string) => db.prepare(sql) as unknown as SqlStatement<P, R>,
    transaction: <T>(work: () => T) => db.transaction(work)(),
    // A passive checkpoint moves what it can of the WAL into the database without waiting on readers.
    checkpoint: () => void db.pragma('wal_checkpoint(PASSIVE)'),
    close: () => db.close(),
  };
}

/** Whether a write failed on a UNIQUE constraint, in either engine's words. */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505';
}

/** A store's database: a SqlDatabase, or a better-sqlite3 handle (the admin tools and tests open SQLite files directly). */
export type StoreDatabase = SqlDatabase | Database.Database;

export function asSqlDatabase(db: StoreDatabase): SqlDatabase {
  return 'kind' in db ? db : sqliteDatabase(db);
}
