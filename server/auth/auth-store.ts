import crypto from 'node:crypto';
import type { InvitationSummary } from '../../shared/schema/auth.js';
import type { Role } from '../../shared/schema/roles.js';
import type { Db } from '../storage/database.js';
import { hashSecret, newSecret } from './secrets.js';

/** An invitation as the server knows it: what the secretariat sees, plus who made it. Its token is kept as a hash only. */
export type Invitation = InvitationSummary & { createdBy: string };
export type Session = { name: string; accountId: string | null; expiresAt: string };
export type Account = { id: string; name: string };
export type AccountWithPassword = Account & { passwordHash: string };

/** The columns as SQLite names them: they stop here, and only camelCase leaves the store. */
type InvitationRow = {
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
type SessionRow = { name: string; account_id: string | null; expires_at: string };
type AccountRow = { id: string; name: string; password_hash: string };

const SESSION_DAYS = 30;

function toInvitation(row: InvitationRow): Invitation {
  return {
    id: row.id,
    documentId: row.document_id,
    role: row.role,
    delegation: row.delegation,
    label: row.label,
    createdBy: row.created_by,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
  };
}

/** What the API shows of an invitation: everything but who created it. */
export function invitationSummary(i: Invitation): InvitationSummary {
  return {
    id: i.id,
    documentId: i.documentId,
    role: i.role,
    delegation: i.delegation,
    label: i.label,
    createdAt: i.createdAt,
    expiresAt: i.expiresAt,
    revokedAt: i.revokedAt,
  };
}

/** Why an invitation no longer opens anything, or null while it is good. */
export function invitationProblem(invitation: Invitation, now = new Date()): string | null {
  if (invitation.revokedAt) return 'This invitation was revoked';
  if (invitation.expiresAt && new Date(invitation.expiresAt) <= now) return 'This invitation has expired';
  return null;
}

/**
 * Accounts, invitations and sessions in SQLite. Every secret is stored as a
 * hash only. The statements are prepared once: every request and websocket
 * upgrade goes through here, and preparing is most of the cost of a lookup.
 */
export class AuthStore {
  private readonly q;

  constructor(db: Db) {
    this.q = {
      anyAccount: db.prepare<[], unknown>('SELECT 1 FROM accounts LIMIT 1'),
      insertSetupToken: db.prepare('INSERT INTO setup_tokens (token_hash, created_at) VALUES (?, ?)'),
      useSetupToken: db.prepare('UPDATE setup_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL'),
      insertAccount: db.prepare('INSERT INTO accounts (id, name, password_hash, created_at) VALUES (?, ?, ?, ?)'),
      accountByName: db.prepare<[string], AccountRow>('SELECT id, name, password_hash FROM accounts WHERE name = ?'),
      account: db.prepare<[string], Account>('SELECT id, name FROM accounts WHERE id = ?'),
      insertInvitation: db.prepare(
        `INSERT INTO invitations (id, token_hash, document_id, role, delegation, label, created_by, created_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      invitations: db.prepare<[string], InvitationRow>('SELECT * FROM invitations WHERE document_id = ? ORDER BY created_at'),
      revoke: db.prepare('UPDATE invitations SET revoked_at = ? WHERE id = ? AND document_id = ? AND revoked_at IS NULL'),
      invitation: db.prepare<[string, string], InvitationRow>('SELECT * FROM invitations WHERE id = ? AND document_id = ?'),
      invitationByToken: db.prepare<[string], InvitationRow>('SELECT * FROM invitations WHERE token_hash = ?'),
      insertSession: db.prepare('INSERT INTO sessions (id_hash, name, account_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)'),
      session: db.prepare<[string], SessionRow>('SELECT name, account_id, expires_at FROM sessions WHERE id_hash = ?'),
      renameSession: db.prepare('UPDATE sessions SET name = ? WHERE id_hash = ?'),
      addGrant: db.prepare('INSERT OR IGNORE INTO session_grants (session_hash, invitation_id) VALUES (?, ?)'),
      sessionInvitations: db.prepare<[string], InvitationRow>(
        'SELECT i.* FROM invitations i JOIN session_grants g ON g.invitation_id = i.id WHERE g.session_hash = ?',
      ),
      deleteSession: db.prepare('DELETE FROM sessions WHERE id_hash = ?'),
    };
  }

  hasAccounts(): boolean {
    return this.q.anyAccount.get() !== undefined;
  }

  /** A one-time secret for creating the first secretariat account. */
  createSetupToken(): string {
    const token = newSecret();
    this.q.insertSetupToken.run(hashSecret(token), now());
    return token;
  }

  /** Uses up a setup token; false if it is unknown or was used. */
  consumeSetupToken(token: string): boolean {
    return this.q.useSetupToken.run(now(), hashSecret(token)).changes === 1;
  }

  createAccount(name: string, passwordHash: string): Account {
    const id = crypto.randomUUID();
    this.q.insertAccount.run(id, name, passwordHash, now());
    return { id, name };
  }

  accountByName(name: string): AccountWithPassword | undefined {
    const row = this.q.accountByName.get(name);
    return row && { id: row.id, name: row.name, passwordHash: row.password_hash };
  }

  account(id: string): Account | undefined {
    return this.q.account.get(id);
  }

  createInvitation(input: {
    documentId: string;
    role: Role;
    delegation: string;
    label: string;
    createdBy: string;
    expiresAt: Date | null;
  }): { invitation: Invitation; token: string } {
    const token = newSecret();
    const invitation: Invitation = {
      id: crypto.randomUUID(),
      documentId: input.documentId,
      role: input.role,
      delegation: input.delegation,
      label: input.label,
      createdBy: input.createdBy,
      createdAt: now(),
      expiresAt: input.expiresAt?.toISOString() ?? null,
      revokedAt: null,
    };
    const i = invitation;
    this.q.insertInvitation.run(i.id, hashSecret(token), i.documentId, i.role, i.delegation, i.label, i.createdBy, i.createdAt, i.expiresAt);
    return { invitation, token };
  }

  listInvitations(documentId: string): Invitation[] {
    return this.q.invitations.all(documentId).map(toInvitation);
  }

  revokeInvitation(documentId: string, invitationId: string): Invitation | undefined {
    this.q.revoke.run(now(), invitationId, documentId);
    const row = this.q.invitation.get(invitationId, documentId);
    return row && toInvitation(row);
  }

  invitationByToken(token: string): Invitation | undefined {
    const row = this.q.invitationByToken.get(hashSecret(token));
    return row && toInvitation(row);
  }

  createSession(input: { name: string; accountId: string | null }): string {
    const secret = newSecret();
    const expires = new Date(Date.now() + SESSION_DAYS * 86_400_000).toISOString();
    this.q.insertSession.run(hashSecret(secret), input.name, input.accountId, now(), expires);
    return secret;
  }

  /** The session behind a cookie's secret, while it has not expired. */
  session(secret: string): Session | undefined {
    const row = this.q.session.get(hashSecret(secret));
    if (!row || new Date(row.expires_at) <= new Date()) return undefined;
    return { name: row.name, accountId: row.account_id, expiresAt: row.expires_at };
  }

  renameSession(secret: string, name: string): void {
    this.q.renameSession.run(name, hashSecret(secret));
  }

  addGrant(secret: string, invitationId: string): void {
    this.q.addGrant.run(hashSecret(secret), invitationId);
  }

  /** The invitations a session opened, good or not (the caller filters with invitationProblem). */
  sessionInvitations(secret: string): Invitation[] {
    return this.q.sessionInvitations.all(hashSecret(secret)).map(toInvitation);
  }

  deleteSession(secret: string): void {
    this.q.deleteSession.run(hashSecret(secret));
  }
}

function now(): string {
  return new Date().toISOString();
}
