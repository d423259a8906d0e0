import type Database from 'better-sqlite3';
import { createLogger } from '../../server/log.js';
import { openPostgres } from '../../server/storage/postgres/open-postgres.js';
import { sqliteDatabase, type SqlDatabase } from '../../server/storage/sql-database.js';
import { storageEnv } from './server-process.js';

/**
 * The database a server on `dataDir` keeps its data in, opened by the test
 * itself: to move an expiry into the past, write what an older version
 * stored, or count rows. Without DATABASE_URL, what `sqlite()` opens (the
 * SQLite file in that directory, opened as the test always did); with it,
 * that directory's PostgreSQL schema (server-process.ts), through the same
 * SQL (server/storage/postgres translates it). So these tests hold for
 * either engine, instead of keeping SQLite when the suite runs on PostgreSQL.
 */
export function storedDataOf(dataDir: string, sqlite: () => Database.Database): SqlDatabase {
  const url = storageEnv(dataDir).DATABASE_URL;
  if (!url) return sqliteDatabase(sqlite());
  return openPostgres(url, dataDir, createLogger('silent'), 10_000);
}

/** Opens the stored data of `dataDir`, runs `work` on it and closes it. */
export function withStoredData<T>(dataDir: string, sqlite: () => Database.Database, work: (db: SqlDatabase) => T): T {
  const db = storedDataOf(dataDir, sqlite);
  try {
    return work(db);
  } finally {
    db.close();
  }
}
