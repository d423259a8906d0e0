import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

export type Db = Database.Database;

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
];

export function openDatabase(dataDir: string): Db {
  fs.mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, 'drafts.sqlite3'));
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
