import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DocumentAccess } from '../../shared/schema/auth.js';
import { DocumentList } from '../../shared/schema/api.js';
import type { Role } from '../../shared/schema/roles.js';
import { jsonBody, signInSecretariat, type Admin } from '../support/admin.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';

type Who = Role | 'nobody' | 'other-document' | 'account';

describe('every HTTP endpoint checks the caller against the document', () => {
  let server: ServerProcess;
  let admin: Admin;
  let documentId: string;
  const tokens = new Map<Who, string>();

  /** A request as `who`: an invitation token as Bearer, the secretariat account's cookie, or nothing. */
  const as = (who: Who) => (path: string, init: RequestInit = {}) => {
    if (who === 'account') return admin.api(path, init);
    const headers: Record<string, string> = { ...(init.headers as Record<string, string>) };
    if (who !== 'nobody') headers.authorization = `Bearer ${tokens.get(who)}`;
    return fetch(`${server.url}${path}`, { ...init, headers });
  };

  beforeAll(async () => {
    server = await startServerProcess();
    admin = await signInSecretariat(server);
    documentId = await admin.createDocument('HTTP permissions');
    const other = await admin.createDocument('Another meeting');
    for (const role of ['secretariat', 'chair', 'delegate', 'commenter', 'observer'] as const) {
      tokens.set(role, (await admin.invite(documentId, role, role === 'delegate' ? 'Egypt' : undefined)).token);
    }
    tokens.set('other-document', (await admin.invite(other, 'secretariat')).token);
  });
  afterAll(async () => {
    await server.stop();
  });

  const everyone: Who[] = ['account', 'secretariat', 'chair', 'delegate', 'commenter', 'observer', 'other-document', 'nobody'];
  const expected = (allowed: Who[], ok: number) => (who: Who) =>
    allowed.includes(who) ? ok : who === 'nobody' ? 401 : 403;

  const operations: Array<{ name: string; call: (who: Who) => Promise<Response>; status: (who: Who) => number }> = [
    { name: 'read the document', call: (w) => as(w)(`/api/documents/${documentId}`), status: expected(['account', 'secretariat', 'chair', 'delegate', 'commenter', 'observer'], 200) },
    { name: 'see their own access', call: (w) => as(w)(`/api/documents/${documentId}/access`), status: expected(['account', 'secretariat', 'chair', 'delegate', 'commenter', 'observer'], 200) },
    { name: 'rename', call: (w) => as(w)(`/api/documents/${documentId}`, jsonBody('PATCH', { title: 'Renamed' })), status: expected(['account', 'secretariat'], 200) },
    { name: 'list invitations', call: (w) => as(w)(`/api/documents/${documentId}/invitations`), status: expected(['account', 'secretariat'], 200) },
    { name: 'invite', call: (w) => as(w)(`/api/documents/${documentId}/invitations`, jsonBody('POST', { role: 'observer' })), status: expected(['account', 'secretariat'], 201) },
    { name: 'create a document', call: (w) => as(w)('/api/documents', jsonBody('POST', { title: 'New' })), status: expected(['account'], 201) },
    { name: 'export', call: (w) => as(w)(`/api/documents/${documentId}/export?format=txt&version=bracketed`), status: expected(['account', 'secretariat'], 200) },
    {
      name: 'import a file',
      call: (w) => {
        const form = new FormData();
        form.append('file', new Blob(['1\tImported paragraph\n'], { type: 'text/plain' }), 'draft.txt');
        return as(w)('/api/documents/import', { method: 'POST', body: form });
      },
      status: expected(['account'], 201),
    },
  ];

  for (const op of operations) {
    it(`${op.name}: ${everyone.map((w) => `${w} → ${op.status(w)}`).join(', ')}`, async () => {
      for (const who of everyone) {
        const res = await op.call(who);
        expect({ who, status: res.status }).toEqual({ who, status: op.status(who) });
        if (res.status >= 400) expect(((await res.json()) as { error: string }).error).toMatch(/unauthenticated|forbidden/);
      }
    });
  }

  it('deletes only for the secretariat', async () => {
    for (const who of ['chair', 'delegate', 'commenter', 'observer', 'other-document', 'nobody'] as Who[]) {
      expect((await as(who)(`/api/documents/${documentId}`, { method: 'DELETE' })).status).toBe(who === 'nobody' ? 401 : 403);
    }
    const doomed = await admin.createDocument('Doomed');
    const token = (await admin.invite(doomed, 'secretariat')).token;
    expect((await fetch(`${server.url}/api/documents/${doomed}`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } })).status).toBe(204);
  });

  it('tells each person their role and delegation, and lists only their documents', async () => {
    const access = DocumentAccess.parse(await (await as('delegate')(`/api/documents/${documentId}/access`)).json());
    expect(access).toMatchObject({ role: 'delegate', delegation: 'Egypt' });
    const list = DocumentList.parse(await (await as('delegate')('/api/documents')).json());
    expect(list.documents.map((d) => d.id)).toEqual([documentId]);
    const all = DocumentList.parse(await (await as('account')('/api/documents')).json());
    expect(all.documents.length).toBeGreaterThan(5);
    expect((await as('nobody')('/api/documents')).status).toBe(401);
  });

  it('signs a person in with an invitation link (HttpOnly cookie) and keeps their name', async () => {
    const invitation = await admin.invite(documentId, 'delegate', 'Kenya');
    const res = await fetch(`${server.url}/api/session/invitation`, jsonBody('POST', { token: invitation.token, name: 'Wanjiru Kamau' }));
    expect(res.status).toBe(200);
    const cookie = res.headers.getSetCookie()[0]!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const session = cookie.split(';')[0]!;
    const access = DocumentAccess.parse(await (await fetch(`${server.url}/api/documents/${documentId}/access`, { headers: { cookie: session } })).json());
    expect(access).toMatchObject({ role: 'delegate', delegation: 'Kenya', name: 'Wanjiru Kamau' });
  });

  it('refuses a wrong password, a bad token and a reused setup link, and rate-limits sign-in attempts', async () => {
    expect((await fetch(`${server.url}/api/session/password`, jsonBody('POST', { name: 'Test Secretariat', password: 'wrong password!' }))).status).toBe(401);
    expect((await fetch(`${server.url}/api/session/invitation`, jsonBody('POST', { token: 'x'.repeat(43), name: 'Eve' }))).status).toBe(401);
    const statuses: number[] = [];
    for (let i = 0; i < 15; i++) {
      statuses.push((await fetch(`${server.url}/api/session/invitation`, jsonBody('POST', { token: 'y'.repeat(43), name: 'Eve' }))).status);
    }
    expect(statuses).toContain(429);
  });

  it('sends security headers', async () => {
    const res = await fetch(`${server.url}/api/health`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
  });
});
