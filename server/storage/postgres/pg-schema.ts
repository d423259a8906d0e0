/**
 * The same tables as the SQLite migrations (server/storage/database.ts) in
 * PostgreSQL's words, versioned the same way: each entry runs once, in order,
 * and `schema_version` records how many ran. Append new ones, never edit one
 * that shipped. Differences, and why:
 * - BLOB is BYTEA; `updates.seq` an identity column (SQLite's AUTOINCREMENT).
 * - Yjs client ids reach 2^32 - 1: BIGINT, where SQLite's INTEGER is 64-bit anyway.
 * - `documents`, `readings`, `invitations` and `invitation_joins` have a `rowid` column: the stores order ties by
 *   it, as SQLite's hidden rowid gives them insertion order.
 * - Names compared without case (COLLATE NOCASE in SQLite) use an ICU
 *   collation at strength 2, created in the schema itself.
 * - No application_id: the `schema_version` table tells a database of ours.
 */
export const PG_MIGRATIONS: readonly string[] = [
  `CREATE COLLATION IF NOT EXISTS nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
   CREATE TABLE documents (
     id TEXT PRIMARY KEY,
     rowid BIGINT GENERATED ALWAYS AS IDENTITY,
     title TEXT NOT NULL,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     paragraph_count INTEGER NOT NULL DEFAULT 0
   );
   CREATE TABLE snapshots (
     doc_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
     state BYTEA NOT NULL,
     created_at TEXT NOT NULL
   );
   CREATE TABLE updates (
     seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
     data BYTEA NOT NULL
   );
   CREATE INDEX updates_by_doc ON updates(doc_id, seq);
   CREATE TABLE accounts (
     id TEXT PRIMARY KEY,
     name TEXT COLLATE nocase NOT NULL UNIQUE,
     password_hash TEXT NOT NULL,
     created_at TEXT NOT NULL
   );
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
     revoked_at TEXT,
     token_sealed TEXT,
     person_bound INTEGER NOT NULL DEFAULT 0,
     claimed_session TEXT,
     claimed_by TEXT,
     claimed_at TEXT,
     last_seen_at TEXT,
     kind TEXT NOT NULL DEFAULT 'person' CHECK (kind IN ('person', 'screen'))
   );
   CREATE INDEX invitations_by_document ON invitations(document_id);
   CREATE TABLE sessions (
     id_hash TEXT PRIMARY KEY,
     name TEXT NOT NULL,
     account_id TEXT REFERENCES accounts(id) ON DELETE CASCADE,
     created_at TEXT NOT NULL,
     expires_at TEXT NOT NULL
   );
   CREATE TABLE session_grants (
     session_hash TEXT NOT NULL REFERENCES sessions(id_hash) ON DELETE CASCADE,
     invitation_id TEXT NOT NULL REFERENCES invitations(id) ON DELETE CASCADE,
     PRIMARY KEY (session_hash, invitation_id)
   );
   CREATE TABLE client_ids (
     doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
     client_id BIGINT NOT NULL,
     principal TEXT NOT NULL,
     delegation TEXT NOT NULL,
     role TEXT NOT NULL,
     first_seen TEXT NOT NULL,
     PRIMARY KEY (doc_id, client_id)
   );
   CREATE TABLE invitation_joins (
     invitation_id TEXT NOT NULL REFERENCES invitations(id) ON DELETE CASCADE,
     name TEXT COLLATE nocase NOT NULL,
     joined_at TEXT NOT NULL,
     PRIMARY KEY (invitation_id, name)
   );
   CREATE TABLE readings (
     id TEXT PRIMARY KEY,
     rowid BIGINT GENERATED ALWAYS AS IDENTITY,
     document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
     name TEXT NOT NULL,
     note TEXT NOT NULL,
     by_name TEXT NOT NULL,
     by_delegation TEXT NOT NULL,
     at TEXT NOT NULL,
     state BYTEA NOT NULL,
     UNIQUE (document_id, name)
   );`,
  // Invitations and joins ordered by when they were made, ties in the order of insertion (SQLite's rowid):
  // without it PostgreSQL returns rows of a pasted batch in whatever order updates left them.
  `ALTER TABLE invitations ADD COLUMN rowid BIGINT GENERATED ALWAYS AS IDENTITY;
   ALTER TABLE invitation_joins ADD COLUMN rowid BIGINT GENERATED ALWAYS AS IDENTITY;`,
];
