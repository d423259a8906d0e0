import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AuthStore, invitationProblem, invitationSummary } from '../../server/auth/auth-store.js';
import { openDatabase, type Db } from '../../server/storage/database.js';
import { DocumentStore } from '../../server/storage/document-store.js';

/** Every key of a value the store hands out, nested ones included: none may be a column's snake_case name. */
function keysOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keysOf);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]) => [key, ...keysOf(inner)]);
}

describe('AuthStore on a real SQLite file', () => {
  let dir: string;
  let db: Db;
  let auth: AuthStore;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'auth-store-'));
    db = openDatabase(dir);
    new DocumentStore(db).create({ id: 'doc', title: 'Doc' });
    auth = new AuthStore(db);
  });
  afterEach(() => db.close());

  const invite = (extra: { expiresAt?: Date | null; role?: 'delegate' | 'observer' } = {}) =>
    auth.createInvitation({
      documentId: 'doc',
      role: extra.role ?? 'delegate',
      delegation: 'Egypt',
      label: 'Head of delegation',
      createdBy: 'Secretariat',
      expiresAt: extra.expiresAt ?? null,
    });

  it('creates accounts, finds them by name whatever the case, and uses a setup token once', () => {
    expect(auth.hasAccounts()).toBe(false);
    const token = auth.createSetupToken();
    expect(auth.consumeSetupToken(token)).toBe(true);
    expect(auth.consumeSetupToken(token)).toBe(false);
    expect(auth.consumeSetupToken('unknown')).toBe(false);

    const account = auth.createAccount('Secretariat', 'scrypt$salt$key');
    expect(auth.hasAccounts()).toBe(true);
    expect(auth.account(account.id)).toEqual(account);
    expect(auth.accountByName('SECRETARIAT')).toEqual({ ...account, passwordHash: 'scrypt$salt$key' });
    expect(auth.accountByName('Nobody')).toBeUndefined();
  });

  it('hands out invitations in camelCase, finds them by token, and keeps only a hash of it', () => {
    const expiresAt = new Date(Date.now() + 3_600_000);
    const { invitation, token } = invite({ expiresAt });
    expect(invitation).toMatchObject({
      documentId: 'doc',
      role: 'delegate',
      delegation: 'Egypt',
      label: 'Head of delegation',
      createdBy: 'Secretariat',
      expiresAt: expiresAt.toISOString(),
      revokedAt: null,
    });
    expect(auth.invitationByToken(token)).toEqual(invitation);
    expect(auth.listInvitations('doc')).toEqual([invitation]);
    expect(auth.invitationByToken('not a token')).toBeUndefined();
    expect(JSON.stringify(db.prepare('SELECT * FROM invitations').all())).not.toContain(token);
    expect(invitationSummary(invitation)).not.toHaveProperty('createdBy');
    expect(keysOf([invitation, auth.listInvitations('doc'), auth.invitationByToken(token)]).filter((k) => k.includes('_'))).toEqual([]);
  });

  it('says why an invitation stopped working: revoked, or expired', () => {
    const { invitation } = invite({ expiresAt: new Date(Date.now() + 3_600_000) });
    expect(invitationProblem(invitation)).toBeNull();
    expect(invitationProblem(invitation, new Date(Date.now() + 7_200_000))).toBe('This invitation has expired');

    const revoked = auth.revokeInvitation('doc', invitation.id)!;
    expect(revoked.revokedAt).not.toBeNull();
    expect(invitationProblem(revoked)).toBe('This invitation was revoked');
    // Revoking again keeps the first moment; another document's id finds nothing.
    expect(auth.revokeInvitation('doc', invitation.id)?.revokedAt).toBe(revoked.revokedAt);
    expect(auth.revokeInvitation('other', invitation.id)).toBeUndefined();
  });

  it('keeps sessions with the invitations they opened, until they expire or are deleted', () => {
    const account = auth.createAccount('Secretariat', 'hash');
    const a = invite();
    const b = invite({ role: 'observer' });
    const secret = auth.createSession({ name: 'Amal', accountId: null });
    const session = auth.session(secret)!;
    expect(session).toMatchObject({ name: 'Amal', accountId: null });
    expect(new Date(session.expiresAt).getTime()).toBeGreaterThan(Date.now());
    expect(Object.keys(session).sort()).toEqual(['accountId', 'expiresAt', 'name']);

    auth.renameSession(secret, 'Amal Hassan');
    auth.addGrant(secret, a.invitation.id);
    auth.addGrant(secret, a.invitation.id);
    auth.addGrant(secret, b.invitation.id);
    expect(auth.session(secret)?.name).toBe('Amal Hassan');
    expect(auth.sessionInvitations(secret).map((i) => i.id).sort()).toEqual([a.invitation.id, b.invitation.id].sort());
    expect(keysOf(auth.sessionInvitations(secret)).filter((k) => k.includes('_'))).toEqual([]);

    const signedIn = auth.createSession({ name: 'Secretariat', accountId: account.id });
    expect(auth.session(signedIn)?.accountId).toBe(account.id);

    db.prepare('UPDATE sessions SET expires_at = ?').run('2000-01-01T00:00:00.000Z');
    expect(auth.session(secret)).toBeUndefined();
    auth.deleteSession(signedIn);
    expect(db.prepare('SELECT COUNT(*) AS n FROM sessions').get()).toEqual({ n: 1 });
    expect(auth.session('unknown')).toBeUndefined();
  });

  it('prepares its statements once, not on every call', () => {
    const prepare = vi.spyOn(db, 'prepare');
    const store = new AuthStore(db);
    const prepared = prepare.mock.calls.length;
    expect(prepared).toBeGreaterThan(0);

    const token = store.createSetupToken();
    store.consumeSetupToken(token);
    const account = store.createAccount('Secretariat', 'hash');
    store.hasAccounts();
    store.account(account.id);
    store.accountByName('Secretariat');
    const { invitation, token: invitationToken } = store.createInvitation({
      documentId: 'doc',
      role: 'chair',
      delegation: 'Chair',
      label: 'Chair',
      createdBy: 'Secretariat',
      expiresAt: null,
    });
    store.listInvitations('doc');
    store.invitationByToken(invitationToken);
    const secret = store.createSession({ name: 'Chair', accountId: null });
    store.session(secret);
    store.renameSession(secret, 'The Chair');
    store.addGrant(secret, invitation.id);
    store.sessionInvitations(secret);
    store.revokeInvitation('doc', invitation.id);
    store.deleteSession(secret);
    expect(prepare.mock.calls.length).toBe(prepared);
  });
});
