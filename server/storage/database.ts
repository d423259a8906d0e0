import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { DataRefusedError } from './data-refused-error.js';

export type Db = Database.Database;

/** The database file in DATA_DIR. */
export const DATABASE_FILE = 'drafts.sqlite3';
/**
 * Written in the SQLite header of every database of ours (migration 7): "DRFT".
 * `file drafts.sqlite3` and the start-up check tell ours from any other SQLite file by it.
 */
const APPLICATION_ID = 0x44524654;

/**
 * Schema migrations, applied in order; `user_version` records how many ran.
 * Append new ones at the end, never edit a shipped one.
 */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE documents (
     id TEXT PRIMARY KEY,
     title TEXT NOT NULL,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     paragraph_count INTEGER NOT NULL DEFAULT 0
   );
   -- The compacted state of a document: one Yjs update holding everything up to snapshot_seq.
   CREATE TABLE snapshots (
     doc_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
     state BLOB NOT NULL,
     created_at TEXT NOT NULL
   );
   -- Every update the server received since the snapshot, in arrival order.
   CREATE TABLE updates (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
     data BLOB NOT NULL
   );
   CREATE INDEX updates_by_doc ON updates(doc_id, seq);`,
  // Identity: secretariat accounts (password), invitations per document, browser sessions.
  `CREATE TABLE accounts (
     id TEXT PRIMARY KEY,
     name TEXT NOT NULL UNIQUE COLLATE NOCASE,
     password_hash TEXT NOT NULL,
     created_at TEXT NOT NULL
   );
   -- One-time link printed on first start to create the first secretariat account.
   CREATE TABLE setup_tokens (
     token_hash TEXT PRIMARY KEY,
     created_at TEXT NOT NULL,
     used_at TEXT
   );
   CREATE TABLE invitations (
     id TEXT PRIMARY KEY,
     token_hash TEXT NOT NULL UNIQUE,
     document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
     role TEXT NOT NULL,
     delegation TEXT NOT NULL,
     label TEXT NOT NULL,
     created_by TEXT NOT NULL,
     created_at TEXT NOT NULL,
     expires_at TEXT,
     revoked_at TEXT
   );
   CREATE INDEX invitations_by_document ON invitations(document_id);
   CREATE TABLE sessions (
     id_hash TEXT PRIMARY KEY,
     name TEXT NOT NULL,
     account_id TEXT REFERENCES accounts(id) ON DELETE CASCADE,
     created_at TEXT NOT NULL,
     expires_at TEXT NOT NULL
   );
   -- The invitations a browser session has opened: one session can hold several documents.
   CREATE TABLE session_grants (
     session_hash TEXT NOT NULL REFERENCES sessions(id_hash) ON DELETE CASCADE,
     invitation_id TEXT NOT NULL REFERENCES invitations(id) ON DELETE CASCADE,
     PRIMARY KEY (session_hash, invitation_id)
   );`,
  // Who first wrote under each Yjs client id of a document: only that principal
  // (an invitation or an account) may write under it again. Also the server's
  // record of which delegation made which change.
  `CREATE TABLE client_ids (
     doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
     client_id INTEGER NOT NULL,
     principal TEXT NOT NULL,
     delegation TEXT NOT NULL,
     role TEXT NOT NULL,
     first_seen TEXT NOT NULL,
     PRIMARY KEY (doc_id, client_id)
   );`,
  // Invitations a secretariat runs for a conference: the link shown again while
  // it is valid (its token sealed with the data directory's key, never in the
  // clear: server/auth/secrets.ts), person-bound links and who holds one (the
  // hash of the claiming browser's session), when a link was last used, and the
  // names of everyone who joined with it.
  `ALTER TABLE invitations ADD COLUMN token_sealed TEXT;
   ALTER TABLE invitations ADD COLUMN person_bound INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE invitations ADD COLUMN claimed_session TEXT;
   ALTER TABLE invitations ADD COLUMN claimed_by TEXT;
   ALTER TABLE invitations ADD COLUMN claimed_at TEXT;
   ALTER TABLE invitations ADD COLUMN last_seen_at TEXT;
   CREATE TABLE invitation_joins (
     invitation_id TEXT NOT NULL REFERENCES invitations(id) ON DELETE CASCADE,
     name TEXT NOT NULL COLLATE NOCASE,
     joined_at TEXT NOT NULL,
     PRIMARY KEY (invitation_id, name)
   );`,
  // Readings: named, immutable revisions of a document ("Rev.1"), each the
  // full Yjs state as it stood. A table of their own, so compaction, unload
  // and restarts never touch them; deleting the document deletes them.
  `CREATE TABLE readings (
     id TEXT PRIMARY KEY,
     document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
     name TEXT NOT NULL,
     note TEXT NOT NULL,
     by_name TEXT NOT NULL,
     by_delegation TEXT NOT NULL,
     at TEXT NOT NULL,
     state BLOB NOT NULL,
     UNIQUE (document_id, name)
   );`,
  // Invitation kinds: 'screen' is the projector's observer link, shown in
  // presence as "Plenary screen" rather than as a person.
  `ALTER TABLE invitations ADD COLUMN kind TEXT NOT NULL DEFAULT 'person' CHECK (kind IN ('person', 'screen'));`,
  // Marks the file as ours in the SQLite header (a database from before this
  // migration is recognised by its tables: see identify()).
  `PRAGMA application_id = ${APPLICATION_ID};`,
];

/** How many migrations this version knows: a file whose user_version is higher was made by a newer one. */
const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * The data directory's database, checked, then migrated. Refuses (DataRefusedError)
 * what it must not touch, before changing a byte of it: a file that is not a
 * SQLite database or not ours, one made by a newer version, one failing SQLite's
 * quick_check. Nothing is ever "repaired" here: that is a restore from a backup.
 */
export function openDatabase(dataDir: string): Db {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, DATABASE_FILE);
  const db = openChecked(file, {}, { mayBeNew: true });
  try {
    refuseDamaged(db, file, 'quick_check');
    // WAL + NORMAL: a committed row survives the process being killed (SIGKILL);
    // only a power cut can lose the last transactions, and it costs no fsync per keystroke.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    // SQLite's automatic checkpoint (every 1000 pages) would copy the log into
    // the database, with an fsync, in the middle of whichever keystroke crossed
    // the line. Checkpoints happen instead when a document is compacted, which
    // waits for a pause in the typing.
    db.pragma('wal_autocheckpoint = 0');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/**
 * A database file of ours opened read-only (`npm run admin -- check`, a backup
 * about to be restored): refused like at start when it is not ours or is newer,
 * but neither checked nor migrated, so the caller can report what is wrong.
 */
export function openDatabaseReadOnly(file: string): Db {
  if (!fs.existsSync(file)) throw new DataRefusedError(`${file} does not exist`);
  return openChecked(file, { readonly: true, fileMustExist: true }, { mayBeNew: false });
}

const DAMAGED_ADVICE = 'nothing was changed. See "npm run admin -- check", and restore the last good backup with "npm run admin -- restore FILE"';

/** Runs SQLite's quick_check (start: about a tenth of a millisecond on the seeded drafts) or integrity_check; refuses on any problem. */
export function refuseDamaged(db: Db, file: string, check: 'quick_check' | 'integrity_check'): void {
  const problems = integrityProblems(db, check);
  if (problems.length === 0) return;
  throw new DataRefusedError(
    `${file} fails SQLite's ${check} (${problems[0]}${problems.length > 1 ? `, and ${problems.length - 1} more` : ''}); ${DAMAGED_ADVICE}`,
  );
}

/** What SQLite's integrity_check or quick_check reports, [] when the file is sound. */
export function integrityProblems(db: Db, check: 'quick_check' | 'integrity_check'): string[] {
  try {
    const rows = db.pragma(check) as Array<Record<string, string>>;
    const lines = rows.map((row) => String(Object.values(row)[0]));
    return lines.length === 1 && lines[0] === 'ok' ? [] : lines;
  } catch (err) {
    return [(err as Error).message];
  }
}

function openChecked(file: string, options: Database.Options, expect: { mayBeNew: boolean }): Db {
  refuseNonSqlite(file);
  let db: Db;
  try {
    db = new Database(file, options);
  } catch (err) {
    throw new DataRefusedError(`${file} cannot be opened as a SQLite database: ${(err as Error).message}`);
  }
  try {
    identify(db, file, expect);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/** An existing, non-empty file must start with SQLite's header (an empty or missing one becomes a new database). */
function refuseNonSqlite(file: string): void {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  try {
    const head = Buffer.alloc(SQLITE_HEADER.length);
    const read = fs.readSync(fd, head, 0, head.length, 0);
    if (read === 0) return;
    if (read < head.length || !head.equals(SQLITE_HEADER)) {
      throw new DataRefusedError(`${file} is not a SQLite database (it does not start with the SQLite header); it was left as it is`);
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** Tables every database of ours has had since the first version (how one from before migration 7 is recognised). */
const FIRST_TABLES = ['documents', 'snapshots', 'updates'];

/** Refuses a database that is not ours or is newer than this version; an empty one is a new database of ours. */
function identify(db: Db, file: string, expect: { mayBeNew: boolean }): void {
  let appId: number;
  let version: number;
  let tables: string[];
  try {
    appId = db.pragma('application_id', { simple: true }) as number;
    version = db.pragma('user_version', { simple: true }) as number;
    tables = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'").all().map((t) => t.name);
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    if (code.startsWith('SQLITE_CORRUPT')) throw new DataRefusedError(`${file} is damaged (SQLite: ${(err as Error).message}); ${DAMAGED_ADVICE}`);
    throw new DataRefusedError(`${file} cannot be read as a SQLite database: ${(err as Error).message}; it was left as it is`);
  }
  const empty = version === 0 && tables.length === 0;
  if (empty && !expect.mayBeNew) throw new DataRefusedError(`${file} holds no database (no tables at all)`);
  const ours = appId === APPLICATION_ID || (appId === 0 && version > 0 && FIRST_TABLES.every((t) => tables.includes(t)));
  if (!empty && !ours) {
    const what = appId !== 0 ? `application_id 0x${(appId >>> 0).toString(16)}` : `tables: ${tables.slice(0, 5).join(', ') || 'none'}`;
    throw new DataRefusedError(`${file} is a SQLite database of another application (${what}), not of the drafting editor; it was left as it is`);
  }
  if (version > SCHEMA_VERSION) {
    throw new DataRefusedError(
      `${file} was made by a newer version of the drafting editor: this version knows ${SCHEMA_VERSION} schema migrations, the file is at ${version}. Run the newer version, or restore a backup made by this one`,
    );
  }
}

function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (let version = current; version < MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version]!);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
