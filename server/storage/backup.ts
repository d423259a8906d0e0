import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { SEALING_KEY_FILE } from '../auth/secrets.js';
import { DATABASE_FILE, openDatabaseReadOnly, refuseDamaged } from './database.js';

export type BackupResult = { file: string; bytes: number; ms: number };

/** Files of the data directory carried inside a backup, in this table of the copy (restore writes them back and drops it). */
export const CARRIED_FILES_TABLE = 'backup_carried_files';
/** Only these names are carried, and written back, so a crafted backup cannot write anywhere else. */
export const CARRIED_FILES: readonly string[] = [SEALING_KEY_FILE];

/**
 * As many pages as better-sqlite3 accepts in one step (it clamps to this): the
 * whole database. SQLite's online backup starts again whenever the source is
 * written through another connection between two steps, and the server writes
 * at every keystroke: small steps from a connection of our own could start
 * again for ever. One step is one read transaction: the copy is the database
 * as of that instant, and in WAL mode a reader never blocks the server's writes.
 */
const ALL_PAGES = 0x7fffffff;

/** Where a backup is written until it is complete: never mistaken for one, removed on failure. */
export function partialName(out: string): string {
  return `${out}.partial-${process.pid}`;
}

/**
 * Copies DATA_DIR's database to `out` through a connection of its own, with the
 * data directory's invitation key (without it a restored server cannot show
 * invitation links again). Refuses, like the server at start, a database that
 * is not ours, newer, or fails quick_check. Written under a temporary name and
 * renamed once complete and flushed, so a file of that name is always a whole
 * backup; the copy is one standalone file (rollback journal, no -wal beside it).
 * Blocks its thread for the whole copy: the server runs it in a worker
 * (backup-in-worker.ts), `npm run admin -- backup` in its own process.
 */
export async function backupDatabase(dataDir: string, out: string): Promise<BackupResult> {
  const started = performance.now();
  const file = path.join(dataDir, DATABASE_FILE);
  const partial = partialName(out);
  const db = openDatabaseReadOnly(file);
  try {
    refuseDamaged(db, file, 'quick_check');
    fs.rmSync(partial, { force: true });
    await db.backup(partial, { progress: () => ALL_PAGES });
    carryFiles(partial, dataDir);
    flush(partial);
    fs.renameSync(partial, out);
    flushDirectory(path.dirname(out));
  } catch (err) {
    fs.rmSync(partial, { force: true });
    throw err;
  } finally {
    db.close();
  }
  return { file: out, bytes: fs.statSync(out).size, ms: Math.round(performance.now() - started) };
}

/** Adds the carried files to the copy and makes it a rollback-journal database (one file, openable read-only anywhere). */
function carryFiles(copy: string, dataDir: string): void {
  const db = new Database(copy);
  try {
    db.pragma('journal_mode = DELETE');
    db.exec(`CREATE TABLE ${CARRIED_FILES_TABLE} (name TEXT PRIMARY KEY, content BLOB NOT NULL)`);
    const insert = db.prepare(`INSERT INTO ${CARRIED_FILES_TABLE} (name, content) VALUES (?, ?)`);
    for (const name of CARRIED_FILES) {
      const file = path.join(dataDir, name);
      if (fs.existsSync(file)) insert.run(name, fs.readFileSync(file));
    }
  } finally {
    db.close();
  }
}

export function flush(file: string): void {
  const fd = fs.openSync(file, 'r+');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Makes a rename in `dir` durable (where the platform allows opening a directory). */
export function flushDirectory(dir: string): void {
  let fd: number;
  try {
    fd = fs.openSync(dir, 'r');
  } catch {
    return;
  }
  try {
    fs.fsyncSync(fd);
  } catch {
    // Some file systems do not fsync directories; the rename itself is atomic.
  } finally {
    fs.closeSync(fd);
  }
}
