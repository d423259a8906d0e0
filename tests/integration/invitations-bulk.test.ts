import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBody } from '../../shared/schema/api.js';
import { CreatedInvitations, InvitationLink, InvitationList, type InvitationListEntry } from '../../shared/schema/auth.js';
import { jsonBody, signInSecretariat, type Admin } from '../support/admin.js';
import { openRaw } from '../support/raw-socket.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { storedDataOf } from '../support/stored-data.js';
import type { SqlDatabase } from '../../server/storage/sql-database.js';
import { waitFor } from '../support/wait.js';

/**
 * A secretariat setting up a conference: a pasted list of delegations makes
 * one link each, all or none; a link is shown again, the same one, while it
 * is valid, also after a restart, and never kept in the clear; the list says
 * who joined with each link and when it was last used; and every bad request
 * is a 4xx with a JSON body that says what is wrong.
 */
describe('invitations for a conference', () => {
  let server: ServerProcess;
  let admin: Admin;
  let documentId: string;
  const base = () => `/api/documents/${documentId}/invitations`;

  beforeAll(async () => {
    server = await startServerProcess();
    admin = await signInSecretariat(server);
    documentId = await admin.createDocument('Conference draft');
  });
  afterAll(async () => {
    await server.stop();
  });

  const batch = (body: unknown) => admin.api(`${base()}/batch`, jsonBody('POST', body));
  const list = async (): Promise<InvitationListEntry[]> => InvitationList.parse(await (await admin.api(base())).json()).invitations;
  const entry = async (id: string) => (await list()).find((i) => i.id === id)!;
  // The server's own stored data: its SQLite file, or its schema when the suite runs on PostgreSQL.
  const withDb = <T>(run: (db: SqlDatabase) => T): T => {
    const db = storedDataOf(server.dataDir, () => new Database(path.join(server.dataDir, 'drafts.sqlite3')));
    try {
      return run(db);
    } finally {
      db.close();
    }
  };
  /** A fresh browser opening a link: the session cookie it gets. */
  const join = async (token: string, name: string) => {
    const res = await fetch(`${server.url}/api/session/invitation`, jsonBody('POST', { token, name }));
    expect(res.status).toBe(200);
    return res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  };
  const accessWithToken = (token: string) => fetch(`${server.url}/api/documents/${documentId}/access`, { headers: { authorization: `Bearer ${token}` } });

  it('makes one link per pasted delegation, with the role and options given, in the order pasted', async () => {
    const res = await batch({ role: 'delegate', delegations: ['Kenya', ' Egypt ', 'Brazil'], expiresInHours: 48 });
    expect(res.status).toBe(201);
    const { invitations } = CreatedInvitations.parse(await res.json());
    expect(invitations.map((i) => [i.delegation, i.role, i.personBound])).toEqual([
      ['Kenya', 'delegate', false],
      ['Egypt', 'delegate', false],
      ['Brazil', 'delegate', false],
    ]);
    expect(new Set(invitations.map((i) => i.token)).size).toBe(3);
    for (const i of invitations) {
      expect(i.url).toBe(`${server.url}/join/${i.token}`);
      expect(new Date(i.expiresAt!).getTime()).toBeGreaterThan(Date.now() + 47 * 3_600_000);
      expect((await accessWithToken(i.token)).status).toBe(200);
    }
    const listed = await list();
    expect(listed.filter((i) => invitations.some((c) => c.id === i.id)).map((i) => i.delegation)).toEqual(['Kenya', 'Egypt', 'Brazil']);
    // The list never carries a token.
    expect(JSON.stringify(listed)).not.toContain(invitations[0]!.token);
  });

  it('names commenters of one list apart, and makes none of a list that has a line it refuses', async () => {
    const commenters = CreatedInvitations.parse(await (await batch({ role: 'commenter', delegations: ['Jane Doe', 'Jane Doe', 'Press'] })).json());
    expect(commenters.invitations.map((i) => i.delegation)).toEqual(['Commenter: Jane Doe', 'Commenter: Jane Doe (2)', 'Commenter: Press']);

    const before = (await list()).length;
    const refused = await batch({ role: 'delegate', delegations: ['Ghana', 'Commenter: Press', 'Peru'] });
    expect(refused.status).toBe(400);
    const body = ErrorBody.parse(await refused.json());
    expect(body.message).toMatch(/^Line 2 \(Commenter: Press\): .*commenter's invitation/);
    expect((await list()).length).toBe(before);
  });

  it('shows a valid link again, the same one, and keeps only its hash and a sealed copy', async () => {
    const made = await admin.invite(documentId, 'delegate', 'Senegal');
    const again = InvitationLink.parse(await (await admin.api(`${base()}/${made.id}/link`)).json());
    expect(again).toEqual({ token: made.token, url: made.url });
    expect((await accessWithToken(again.token)).status).toBe(200);
    expect((await entry(made.id)).canShowLink).toBe(true);

    const stored = withDb((db) => db.prepare('SELECT * FROM invitations WHERE id = ?').get(made.id)) as Record<string, unknown>;
    expect(JSON.stringify(stored)).not.toContain(made.token);
    expect(stored.token_sealed).toMatch(/^v1\./);
    const keyFile = path.join(server.dataDir, 'invitation-key');
    expect(fs.statSync(keyFile).mode & 0o077).toBe(0);
    for (const file of ['drafts.sqlite3', 'drafts.sqlite3-wal']) {
      const where = path.join(server.dataDir, file);
      if (fs.existsSync(where)) expect(fs.readFileSync(where).includes(Buffer.from(made.token)), file).toBe(false);
    }

    // A sealed token moved to another invitation's row does not open there.
    const other = await admin.invite(documentId, 'delegate', 'Mali');
    withDb((db) => db.prepare('UPDATE invitations SET token_sealed = ? WHERE id = ?').run(stored.token_sealed, other.id));
    const moved = await admin.api(`${base()}/${other.id}/link`);
    expect(moved.status).toBe(404);
    expect(ErrorBody.parse(await moved.json()).message).toMatch(/cannot be shown again/);

    // Revoked: its link is not shown any more.
    await admin.api(`${base()}/${made.id}`, { method: 'DELETE' });
    const revoked = await admin.api(`${base()}/${made.id}/link`);
    expect(revoked.status).toBe(404);
    expect(ErrorBody.parse(await revoked.json()).message).toMatch(/revoked/);
  });

  it('says who joined with each link, once per name', async () => {
    const [shared, single] = CreatedInvitations.parse(await (await batch({ role: 'delegate', delegations: ['Chile', 'Nepal'] })).json()).invitations;
    expect((await entry(shared!.id)).joined).toEqual([]);
    await join(shared!.token, 'Amal Hassan');
    await join(shared!.token, 'Omar Farouk');
    await join(shared!.token, 'Amal Hassan');
    await join(single!.token, 'Bishnu Sharma');
    expect((await entry(shared!.id)).joined.map((j) => j.name)).toEqual(['Amal Hassan', 'Omar Farouk']);
    expect((await entry(single!.id)).joined.map((j) => j.name)).toEqual(['Bishnu Sharma']);
    for (const j of (await entry(shared!.id)).joined) expect(Date.now() - Date.parse(j.at)).toBeLessThan(60_000);
  });

  it('records when a link was last used, at most once a minute, and who is in the document on it now', async () => {
    const made = await admin.invite(documentId, 'delegate', 'Fiji');
    expect((await entry(made.id)).lastSeenAt).toBeNull();
    expect((await accessWithToken(made.token)).status).toBe(200);
    const first = (await entry(made.id)).lastSeenAt;
    expect(first).not.toBeNull();
    expect(Date.now() - Date.parse(first!)).toBeLessThan(60_000);

    // Within the minute: not written again.
    expect((await accessWithToken(made.token)).status).toBe(200);
    expect((await entry(made.id)).lastSeenAt).toBe(first);

    // More than a minute ago: written again, by the websocket's sign-in as by a request.
    withDb((db) => db.prepare('UPDATE invitations SET last_seen_at = ? WHERE id = ?').run('2000-01-01T00:00:00.000Z', made.id));
    const { ws, closed } = await openRaw(server.wsUrl, documentId, made.token);
    await waitFor(async () => (await entry(made.id)).online === 1, 'the list to show the delegate in the document');
    const later = (await entry(made.id)).lastSeenAt!;
    expect(Date.now() - Date.parse(later)).toBeLessThan(60_000);
    ws.close();
    await closed;
    await waitFor(async () => (await entry(made.id)).online === 0, 'the list to show the delegate gone');
  });

  it('shows links again after a restart: the sealing key stays in the data directory', async () => {
    const made = await admin.invite(documentId, 'chair', undefined);
    await server.stop();
    // The same port: the secretariat's signed-in helper keeps its address (and its session, which is stored).
    server = await startServerProcess({ dataDir: server.dataDir, port: server.port });
    const again = InvitationLink.parse(await (await admin.api(`${base()}/${made.id}/link`)).json());
    expect(again.token).toBe(made.token);
  });

  it('answers every bad request with a 4xx and a JSON body that says what is wrong', async () => {
    const made = await admin.invite(documentId, 'delegate', 'Tonga');
    const delegate = { authorization: `Bearer ${made.token}` };
    const cases: Array<[string, Promise<Response>, number, RegExp]> = [
      ['no list', batch({ role: 'delegate' }), 400, /delegations/],
      ['an empty list', batch({ role: 'delegate', delegations: [] }), 400, /at least one delegation/],
      ['a blank line', batch({ role: 'delegate', delegations: ['Peru', '  '] }), 400, /delegations\.1/],
      ['a line too long', batch({ role: 'delegate', delegations: ['x'.repeat(81)] }), 400, /delegations\.0/],
      ['201 lines', batch({ role: 'delegate', delegations: Array.from({ length: 201 }, (_, i) => `D${i}`) }), 400, /at most 200/],
      ['an unknown role', batch({ role: 'king', delegations: ['Peru'] }), 400, /role/],
      ['an unknown field', batch({ role: 'delegate', delegations: ['Peru'], colour: 'red' }), 400, /colour/],
      ['personBound not a boolean', batch({ role: 'delegate', delegations: ['Peru'], personBound: 'yes' }), 400, /personBound/],
      ['expiry out of range', batch({ role: 'delegate', delegations: ['Peru'], expiresInHours: 0 }), 400, /expiresInHours/],
      ['not JSON', admin.api(`${base()}/batch`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'Peru' }), 415, /JSON/],
      ['broken JSON', admin.api(`${base()}/batch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"role":' }), 400, /not valid JSON/],
      ['a body too large', batch({ role: 'delegate', delegations: ['x'.repeat(40_000)] }), 413, /too large/],
      ['an unknown invitation\'s link', admin.api(`${base()}/nope/link`), 404, /No such invitation/],
      ['releasing an unknown invitation', admin.api(`${base()}/nope/release`, { method: 'POST' }), 404, /No such invitation/],
      ['releasing a link for anyone', admin.api(`${base()}/${made.id}/release`, { method: 'POST' }), 400, /only an invitation for one person/i],
      ['revoking an unknown invitation', admin.api(`${base()}/nope`, { method: 'DELETE' }), 404, /No such invitation/],
      ['a delegate listing', fetch(`${server.url}${base()}`, { headers: delegate }), 403, /cannot manage invitations/],
      ['a delegate inviting', fetch(`${server.url}${base()}/batch`, { ...jsonBody('POST', { role: 'delegate', delegations: ['Peru'] }), headers: { ...delegate, 'content-type': 'application/json' } }), 403, /cannot manage invitations/],
      ['a delegate asking for a link', fetch(`${server.url}${base()}/${made.id}/link`, { headers: delegate }), 403, /cannot manage invitations/],
      ['nobody signed in', fetch(`${server.url}${base()}/${made.id}/link`), 401, /Sign in/],
      ['another document\'s invitation', admin.api(`/api/documents/${await admin.createDocument('Other')}/invitations/${made.id}/link`), 404, /No such invitation/],
    ];
    for (const [what, pending, status, message] of cases) {
      const res = await pending;
      expect(res.status, what).toBe(status);
      expect(res.headers.get('content-type'), what).toMatch(/application\/json/);
      const body = ErrorBody.parse(await res.json());
      expect(body.message, what).toMatch(message);
    }
  });
});
