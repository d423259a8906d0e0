import crypto from 'node:crypto';
import type { InvitationKind, InvitationSummary } from '../../shared/schema/auth.js';
import type { Role } from '../../shared/schema/roles.js';
import { asSqlDatabase, type StoreDatabase } from '../storage/sql-database.js';
import { hashSecret, newSecret, seal, sealingKey, unseal } from './secrets.js';

/**
 * An invitation as the server knows it: what the secretariat sees, plus who
 * made it and, for a person-bound one, the hash of the session that holds it.
 * Its token is kept as a hash (to look it up) and sealed (to show it again).
 */
export type Invitation = InvitationSummary & { createdBy: string; claimedSession: string | null };
export type Session = { name: string; accountId: string | null; expiresAt: string };
export type Account = { id: string; name: string };
export type AccountWithPassword = Account & { passwordHash: string };
export type NewInvitation = {
  documentId: string;
  role: Role;
  delegation: string;
  label: string;
  createdBy: string;
  expiresAt: Date | null;
  personBound?: boolean;
  kind?: InvitationKind;
};

/** The columns as SQLite names them: they stop here, and only camelCase leaves the store. */
type InvitationRow = {
  id: string;
  document_id: string;
  role: Role;
  kind: InvitationKind;
  delegation: string;
  label: string;
  created_by: string;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
  token_sealed: string | null;
  person_bound: 0 | 1;
  claimed_session: string | null;
  claimed_by: string | null;
  claimed_at: string | null;
  last_seen_at: string | null;
};
type SessionRow = { name: string; account_id: string | null; expires_at: string };
type AccountRow = { id: string; name: string; password_hash: string };
type JoinRow = { invitation_id: string; name: string; joined_at: string };

const SESSION_DAYS = 30;
/** An invitation's last use is written at most this often: a person typing all day costs one write a minute, not one per request. */
const SEEN_RESOLUTION_MS = 60_000;

function toInvitation(row: InvitationRow): Invitation {
  return {
    id: row.id,
    documentId: row.document_id,
    role: row.role,
    kind: row.kind,
    delegation: row.delegation,
    label: row.label,
    createdBy: row.created_by,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    personBound: row.person_bound === 1,
    claimedSession: row.claimed_session,
    claimedBy: row.claimed_by,
    claimedAt: row.claimed_at,
    lastSeenAt: row.last_seen_at,
    canShowLink: row.token_sealed !== null,
  };
}

/** What the API shows of an invitation: everything but who created it and which session holds it. */
export function invitationSummary(i: Invitation): InvitationSummary {
  return {
    id: i.id,
    documentId: i.documentId,
    role: i.role,
    kind: i.kind,
    delegation: i.delegation,
    label: i.label,
    createdAt: i.createdAt,
    expiresAt: i.expiresAt,
    revokedAt: i.revokedAt,
    personBound: i.personBound,
    claimedBy: i.claimedBy,
    claimedAt: i.claimedAt,
    lastSeenAt: i.lastSeenAt,
    canShowLink: i.canShowLink,
  };
}

/** Why an invitation no longer opens anything, or null while it is good. */
export function invitationProblem(invitation: Invitation, now = new Date()): string | null {
  if (invitation.revokedAt) return 'This invitation was revoked';
  if (invitation.expiresAt && new Date(invitation.expiresAt) <= now) return 'This invitation has expired';
  return null;
}

/**
 * Accounts, invitations and sessions (SQLite or PostgreSQL). Every secret is stored as a
 * hash; invitation tokens are also kept sealed with the data directory's key,
 * so the secretariat can be shown a link again. The statements are prepared
 * once: every request and websocket upgrade goes through here, and preparing
 * is most of the cost of a lookup.
 */
export class AuthStore {
  private readonly q;
  private readonly inTransaction: <T>(run: () => T) => T;
  /** Seals invitation tokens; by default the data directory's (server/auth/secrets.ts). */
  private readonly key: Buffer;

  constructor(database: StoreDatabase, key?: Buffer) {
    const db = asSqlDatabase(database);
    this.key = key ?? sealingKey(db.dataDir);
    this.inTransaction = (run) => db.transaction(run);
    this.q = {
      anyAccount: db.prepare<[], unknown>('SELECT 1 FROM accounts LIMIT 1'),
      insertSetupToken: db.prepare('INSERT INTO setup_tokens (token_hash, created_at) VALUES (?, ?)'),
      useSetupToken: db.prepare('UPDATE setup_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL'),
      insertAccount: db.prepare('INSERT INTO accounts (id, name, password_hash, created_at) VALUES (?, ?, ?, ?)'),
      accountByName: db.prepare<[string], AccountRow>('SELECT id, name, password_hash FROM accounts WHERE name = ?'),
      account: db.prepare<[string], Account>('SELECT id, name FROM accounts WHERE id = ?'),
      insertInvitation: db.prepare(
        `INSERT INTO invitations (id, token_hash, token_sealed, document_id, role, delegation, label, created_by, created_at, expires_at, person_bound, kind)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      // Ties (a pasted batch) in the order they were made: rowid in both engines (PostgreSQL's is a column: pg-schema.ts).
      invitations: db.prepare<[string], InvitationRow>('SELECT * FROM invitations WHERE document_id = ? ORDER BY created_at, rowid'),
      revoke: db.prepare('UPDATE invitations SET revoked_at = ? WHERE id = ? AND document_id = ? AND revoked_at IS NULL'),
      invitation: db.prepare<[string, string], InvitationRow>('SELECT * FROM invitations WHERE id = ? AND document_id = ?'),
      invitationByToken: db.prepare<[string], InvitationRow>('SELECT * FROM invitations WHERE token_hash = ?'),
      seen: db.prepare('UPDATE invitations SET last_seen_at = @at WHERE id = @id AND (last_seen_at IS NULL OR last_seen_at <= @before)'),
      claim: db.prepare(
        `UPDATE invitations SET claimed_session = @session, claimed_by = @name,
           claimed_at = CASE WHEN claimed_session IS NULL THEN @at ELSE claimed_at END
         WHERE id = @id AND person_bound = 1 AND (claimed_session IS NULL OR claimed_session = @session)`,
      ),
      release: db.prepare('UPDATE invitations SET claimed_session = NULL, claimed_by = NULL, claimed_at = NULL WHERE id = ? AND document_id = ?'),
      addJoin: db.prepare('INSERT OR IGNORE INTO invitation_joins (invitation_id, name, joined_at) VALUES (?, ?, ?)'),
      joins: db.prepare<[string], JoinRow>(
        `SELECT j.invitation_id, j.name, j.joined_at FROM invitation_joins j JOIN invitations i ON i.id = j.invitation_id
         WHERE i.document_id = ? ORDER BY j.joined_at, j.rowid`,
      ),
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

  createInvitation(input: NewInvitation): { invitation: Invitation; token: string } {
    const token = newSecret();
    const invitation: Invitation = {
      id: crypto.randomUUID(),
      documentId: input.documentId,
      role: input.role,
      kind: input.kind ?? 'person',
      delegation: input.delegation,
      label: input.label,
      createdBy: input.createdBy,
      createdAt: now(),
      expiresAt: input.expiresAt?.toISOString() ?? null,
      revokedAt: null,
      personBound: input.personBound ?? false,
      claimedSession: null,
      claimedBy: null,
      claimedAt: null,
      lastSeenAt: null,
      canShowLink: true,
    };
    const i = invitation;
    const sealed = seal(this.key, token, i.id);
    this.q.insertInvitation.run(
      i.id, hashSecret(token), sealed, i.documentId, i.role, i.delegation, i.label, i.createdBy, i.createdAt, i.expiresAt, i.personBound ? 1 : 0, i.kind,
    );
    return { invitation, token };
  }

  /** Several invitations, all or none (a pasted list of delegations). */
  createInvitations(inputs: readonly NewInvitation[]): Array<{ invitation: Invitation; token: string }> {
    return this.inTransaction(() => inputs.map((input) => this.createInvitation(input)));
  }

  listInvitations(documentId: string): Invitation[] {
    return this.q.invitations.all(documentId).map(toInvitation);
  }

  invitation(documentId: string, invitationId: string): Invitation | undefined {
    const row = this.q.invitation.get(invitationId, documentId);
    return row && toInvitation(row);
  }

  /** An invitation's token, unsealed; null when it was made before tokens were kept, or the key changed since. */
  invitationToken(documentId: string, invitationId: string): string | null {
    const sealed = this.q.invitation.get(invitationId, documentId)?.token_sealed;
    return sealed ? unseal(this.key, sealed, invitationId) : null;
  }

  revokeInvitation(documentId: string, invitationId: string): Invitation | undefined {
    this.q.revoke.run(now(), invitationId, documentId);
    return this.invitation(documentId, invitationId);
  }

  invitationByToken(token: string): Invitation | undefined {
    const row = this.q.invitationByToken.get(hashSecret(token));
    return row && toInvitation(row);
  }

  /** Records that an invitation was used now, unless that was recorded less than a minute ago. */
  noteSeen(invitation: Invitation, at = new Date()): void {
    if (invitation.lastSeenAt && at.getTime() - Date.parse(invitation.lastSeenAt) < SEEN_RESOLUTION_MS) return;
    // The condition again in SQL: another request may have written it since this row was read.
    this.q.seen.run({ id: invitation.id, at: at.toISOString(), before: new Date(at.getTime() - SEEN_RESOLUTION_MS).toISOString() });
  }

  /**
   * The session `secret` takes a person-bound invitation as `name`, if no other
   * session holds it (the same session taking it again renames its holder).
   * False when another holds it.
   */
  claimInvitation(invitationId: string, secret: string, name: string): boolean {
    return this.q.claim.run({ id: invitationId, session: hashSecret(secret), name, at: now() }).changes === 1;
  }

  /**
   * Frees a person-bound invitation for the next browser that opens it. The
   * one that held it keeps its grant, which opens nothing while another
   * session (or none) holds the claim: it is told that it was released.
   */
  releaseInvitation(documentId: string, invitationId: string): Invitation | undefined {
    this.q.release.run(invitationId, documentId);
    return this.invitation(documentId, invitationId);
  }

  /** Someone joined with an invitation under this name (kept once per name). */
  recordJoin(invitationId: string, name: string): void {
    this.q.addJoin.run(invitationId, name, now());
  }

  /** Who joined with each invitation of a document, first come first. */
  joinsOf(documentId: string): Map<string, Array<{ name: string; at: string }>> {
    const joins = new Map<string, Array<{ name: string; at: string }>>();
    for (const row of this.q.joins.all(documentId)) {
      const list = joins.get(row.invitation_id) ?? [];
      list.push({ name: row.name, at: row.joined_at });
      joins.set(row.invitation_id, list);
    }
    return joins;
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
