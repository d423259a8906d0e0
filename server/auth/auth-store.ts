import crypto from 'node:crypto';
import type { InvitationSummary } from '../../shared/schema/auth.js';
import type { Role } from '../../shared/schema/roles.js';
import type { Db } from '../storage/database.js';
import { hashSecret, newSecret } from './secrets.js';

export type InvitationRow = {
  id: string;
  document_id: string;
  role: Role;
  delegation: string;
  label: string;
  created_by: string;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
};

export type SessionRow = { name: string; account_id: string | null; expires_at: string };
export type AccountRow = { id: string; name: string; password_hash: string };

const SESSION_DAYS = 30;

export function invitationSummary(row: InvitationRow): InvitationSummary {
  return {
    id: row.id,
    documentId: row.document_id,
    role: row.role,
    delegation: row.delegation,
    label: row.label,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
  };
}

/** Why an invitation no longer opens anything, or null while it is good. */
export function invitationProblem(row: InvitationRow, now = new Date()): string | null {
  if (row.revoked_at) return 'This invitation was revoked';
  if (row.expires_at && new Date(row.expires_at) <= now) return 'This invitation has expired';
  return null;
}

/** Accounts, invitations and sessions in SQLite. Every secret is stored as a hash only. */
export class AuthStore {
  constructor(private readonly db: Db) {}

  hasAccounts(): boolean {
    return this.db.prepare('SELECT 1 FROM accounts LIMIT 1').get() !== undefined;
  }

  /** A one-time secret for creating the first secretariat account. */
  createSetupToken(): string {
    const token = newSecret();
    this.db.prepare('INSERT INTO setup_tokens (token_hash, created_at) VALUES (?, ?)').run(hashSecret(token), now());
    return token;
  }

  /** Uses up a setup token; false if it is unknown or was used. */
  consumeSetupToken(token: string): boolean {
    const result = this.db
      .prepare('UPDATE setup_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL')
      .run(now(), hashSecret(token));
    return result.changes === 1;
  }

  createAccount(name: string, passwordHash: string): { id: string; name: string } {
    const id = crypto.randomUUID();
    this.db.prepare('INSERT INTO accounts (id, name, password_hash, created_at) VALUES (?, ?, ?, ?)').run(id, name, passwordHash, now());
    return { id, name };
  }

  accountByName(name: string): AccountRow | undefined {
    return this.db.prepare<[string], AccountRow>('SELECT id, name, password_hash FROM accounts WHERE name = ?').get(name);
  }

  account(id: string): { id: string; name: string } | undefined {
    return this.db.prepare<[string], { id: string; name: string }>('SELECT id, name FROM accounts WHERE id = ?').get(id);
  }

  createInvitation(input: {
    documentId: string;
    role: Role;
    delegation: string;
    label: string;
    createdBy: string;
    expiresAt: Date | null;
  }): { invitation: InvitationRow; token: string } {
    const token = newSecret();
    const row: InvitationRow = {
      id: crypto.randomUUID(),
      document_id: input.documentId,
      role: input.role,
      delegation: input.delegation,
      label: input.label,
      created_by: input.createdBy,
      created_at: now(),
      expires_at: input.expiresAt?.toISOString() ?? null,
      revoked_at: null,
    };
    this.db
      .prepare(
        `INSERT INTO invitations (id, token_hash, document_id, role, delegation, label, created_by, created_at, expires_at)
         VALUES (@id, @token_hash, @document_id, @role, @delegation, @label, @created_by, @created_at, @expires_at)`,
      )
      .run({ ...row, token_hash: hashSecret(token) });
    return { invitation: row, token };
  }

  listInvitations(documentId: string): InvitationRow[] {
    return this.db
      .prepare<[string], InvitationRow>('SELECT * FROM invitations WHERE document_id = ? ORDER BY created_at')
      .all(documentId);
  }

  revokeInvitation(documentId: string, invitationId: string): InvitationRow | undefined {
    this.db
      .prepare('UPDATE invitations SET revoked_at = ? WHERE id = ? AND document_id = ? AND revoked_at IS NULL')
      .run(now(), invitationId, documentId);
    return this.db
      .prepare<[string, string], InvitationRow>('SELECT * FROM invitations WHERE id = ? AND document_id = ?')
      .get(invitationId, documentId);
  }

  invitationByToken(token: string): InvitationRow | undefined {
    return this.db.prepare<[string], InvitationRow>('SELECT * FROM invitations WHERE token_hash = ?').get(hashSecret(token));
  }

  createSession(input: { name: string; accountId: string | null }): string {
    const secret = newSecret();
    const expires = new Date(Date.now() + SESSION_DAYS * 86_400_000).toISOString();
    this.db
      .prepare('INSERT INTO sessions (id_hash, name, account_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)')
      .run(hashSecret(secret), input.name, input.accountId, now(), expires);
    return secret;
  }

  session(secret: string): SessionRow | undefined {
    const row = this.db
      .prepare<[string], SessionRow>('SELECT name, account_id, expires_at FROM sessions WHERE id_hash = ?')
      .get(hashSecret(secret));
    return row && new Date(row.expires_at) > new Date() ? row : undefined;
  }

  renameSession(secret: string, name: string): void {
    this.db.prepare('UPDATE sessions SET name = ? WHERE id_hash = ?').run(name, hashSecret(secret));
  }

  addGrant(secret: string, invitationId: string): void {
    this.db
      .prepare('INSERT OR IGNORE INTO session_grants (session_hash, invitation_id) VALUES (?, ?)')
      .run(hashSecret(secret), invitationId);
  }

  /** The invitations a session opened, good or not (the caller filters with invitationProblem). */
  sessionInvitations(secret: string): InvitationRow[] {
    return this.db
      .prepare<[string], InvitationRow>(
        `SELECT i.* FROM invitations i JOIN session_grants g ON g.invitation_id = i.id WHERE g.session_hash = ?`,
      )
      .all(hashSecret(secret));
  }

  deleteSession(secret: string): void {
    this.db.prepare('DELETE FROM sessions WHERE id_hash = ?').run(hashSecret(secret));
  }
}

function now(): string {
  return new Date().toISOString();
}
