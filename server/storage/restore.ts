import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { CARRIED_FILES, CARRIED_FILES_TABLE, flush, flushDirectory } from './backup.js';
import { checkData } from './check-data.js';
import { DataRefusedError } from './data-refused-error.js';
import { DATABASE_FILE, openDatabaseReadOnly, type Db } from './database.js';

export type RestoreResult = {
  database: string;
  /** Files of the data directory the backup carried and that were written back (the invitation key). */
  carried: string[];
  /** Files that were in DATA_DIR, renamed beside (with --force). */
  keptAside: string[];
  /** Documents or readings of the backup that do not decode: restored anyway, quarantined by the server. */
  damaged: string[];
};

/** What the database of a data directory is made of on disk, all moved together (SQLite finds its -wal by name). */
const DATABASE_FILES = [DATABASE_FILE, `${DATABASE_FILE}-wal`, `${DATABASE_FILE}-shm`];

/**
 * Restores a backup (or any database file of ours) as DATA_DIR's database.
 * Refuses a file that is not ours, is newer, or fails SQLite's integrity_check;
 * refuses a non-empty DATA_DIR unless `force`, and then only when no server has
 * its database open. With `force` the files replaced are renamed beside
 * (`*.replaced-<time>`), never deleted.
 */
export async function restoreBackup(file: string, dataDir: string, options: { force: boolean }): Promise<RestoreResult> {
  const source = openDatabaseReadOnly(file);
  try {
    const report = checkData(source);
    if (report.storage.length > 0) {
      throw new DataRefusedError(`${file} fails its integrity check (${report.storage[0]}); nothing was restored`);
    }
    const keptAside = clearDataDir(dataDir, options.force);
    const target = path.join(dataDir, DATABASE_FILE);
    const draft = `${target}.restoring-${process.pid}`;
    fs.rmSync(draft, { force: true });
    try {
      // Through SQLite rather than a file copy: a database whose -wal is beside it comes whole.
      await source.backup(draft);
      const carried = writeBackCarried(draft, dataDir);
      flush(draft);
      fs.renameSync(draft, target);
      flushDirectory(dataDir);
      return { database: target, carried, keptAside, damaged: report.content };
    } catch (err) {
      fs.rmSync(draft, { force: true });
      throw err;
    }
  } finally {
    source.close();
  }
}

/** Empty (or missing) DATA_DIR: nothing to do. Otherwise, with force, moves our files aside. */
function clearDataDir(dataDir: string, force: boolean): string[] {
  fs.mkdirSync(dataDir, { recursive: true });
  if (fs.readdirSync(dataDir).length === 0) return [];
  if (!force) {
    throw new DataRefusedError(
      `DATA_DIR ${dataDir} is not empty; restore into an empty directory, or add --force to replace its database (the files replaced are kept beside it, renamed *.replaced-<time>)`,
    );
  }
  refuseWhileOpen(path.join(dataDir, DATABASE_FILE));
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const aside: string[] = [];
  for (const name of [...DATABASE_FILES, ...CARRIED_FILES]) {
    const from = path.join(dataDir, name);
    if (!fs.existsSync(from)) continue;
    const to = `${from}.replaced-${stamp}`;
    fs.renameSync(from, to);
    aside.push(to);
  }
  return aside;
}

/**
 * Leaving WAL mode needs every other connection to the database closed, so it
 * tells whether a server (or `npm run admin`) has it open; it also folds the WAL
 * into the file that is then kept aside. A file SQLite cannot read at all is
 * moved aside as it is.
 */
function refuseWhileOpen(file: string): void {
  if (!fs.existsSync(file)) return;
  let db: Db | undefined;
  let mode: unknown;
  try {
    db = new Database(file, { timeout: 0 });
    mode = db.pragma('journal_mode = DELETE', { simple: true });
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    if (!code.startsWith('SQLITE_BUSY') && !code.startsWith('SQLITE_LOCKED')) return;
    mode = 'busy';
  } finally {
    db?.close();
  }
  if (mode !== 'delete') {
    throw new DataRefusedError(`${file} is open in another process (a running server?); stop it before restoring over it`);
  }
}

/** Writes the carried files back into DATA_DIR (readable by this user only) and drops their table from the restored copy. */
function writeBackCarried(copy: string, dataDir: string): string[] {
  const db = new Database(copy);
  try {
    const has = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(CARRIED_FILES_TABLE);
    if (!has) return [];
    const rows = db.prepare<[], { name: string; content: Buffer }>(`SELECT name, content FROM ${CARRIED_FILES_TABLE}`).all();
    const written: string[] = [];
    for (const row of rows) {
      if (!CARRIED_FILES.includes(row.name)) continue;
      const to = path.join(dataDir, row.name);
      const draft = `${to}.restoring-${process.pid}`;
      fs.writeFileSync(draft, row.content, { mode: 0o600 });
      flush(draft);
      fs.renameSync(draft, to);
      written.push(row.name);
    }
    db.exec(`DROP TABLE ${CARRIED_FILES_TABLE}`);
    return written;
  } finally {
    db.close();
  }
}
