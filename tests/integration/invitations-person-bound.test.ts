import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloseCode } from '../../shared/protocol/constants.js';
import { ErrorBody } from '../../shared/schema/api.js';
import { DocumentAccess, InvitationList, JoinInfo, JoinRefusedBody, SessionInfo } from '../../shared/schema/auth.js';
import { jsonBody, signInSecretariat, type Admin } from '../support/admin.js';
import { openRaw } from '../support/raw-socket.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { storedDataOf } from '../support/stored-data.js';

/** A browser, as the server sees it: the session cookie it was given, if any. */
type Browser = { cookie: string };

/**
 * A person-bound invitation belongs to the first browser that opens it:
 * another browser with the same link is refused with a message naming who
 * holds it, until the secretariat releases it (which also ends the first
 * browser's access, and its open websocket). The join page's endpoint names
 * the document, the delegation and the role of a good link, and for any other
 * only why it opens nothing: unknown, revoked, expired or claimed.
 */
describe('person-bound invitations and what a link says about itself', () => {
  let server: ServerProcess;
  let admin: Admin;
  let documentId: string;

  beforeAll(async () => {
    server = await startServerProcess();
    admin = await signInSecretariat(server);
    documentId = await admin.createDocument('Final report of the working group');
  });
  afterAll(async () => {
    await server.stop();
  });

  const post = (browser: Browser, url: string, body: unknown) =>
    fetch(`${server.url}${url}`, { ...jsonBody('POST', body), headers: { 'content-type': 'application/json', cookie: browser.cookie } });
  /** Opens a link in a browser, keeping the cookie it is given. */
  const join = async (browser: Browser, token: string, name: string) => {
    const res = await post(browser, '/api/session/invitation', { token, name });
    const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    if (cookie) browser.cookie = cookie;
    return res;
  };
  const info = (browser: Browser, token: string) => post(browser, '/api/session/invitation/info', { token });
  const access = (browser: Browser) => fetch(`${server.url}/api/documents/${documentId}/access`, { headers: { cookie: browser.cookie } });
  const listed = async (id: string) =>
    InvitationList.parse(await (await admin.api(`/api/documents/${documentId}/invitations`)).json()).invitations.find((i) => i.id === id)!;
  const refusal = async (res: Response, status: number) => {
    expect(res.status).toBe(status);
    return JoinRefusedBody.parse(await res.json());
  };

  it('names the document, the delegation and the role of a good link, and nothing else', async () => {
    const made = await admin.invite(documentId, 'delegate', 'Egypt', { label: 'Head of delegation', expiresInHours: 24 });
    const res = await info({ cookie: '' }, made.token);
    expect(res.status).toBe(200);
    const body = JoinInfo.parse(await res.json());
    expect(body).toEqual({ documentTitle: 'Final report of the working group', role: 'delegate', delegation: 'Egypt', personBound: false, expiresAt: made.expiresAt });
    expect(Object.keys(await (await info({ cookie: '' }, made.token)).json()).sort()).toEqual(['delegation', 'documentTitle', 'expiresAt', 'personBound', 'role']);
    // Asking signs nobody in.
    expect(res.headers.getSetCookie()).toEqual([]);
  });

  it('gives a person-bound link to the first browser only, until the secretariat releases it', async () => {
    const made = (await (await admin.api(`/api/documents/${documentId}/invitations`, jsonBody('POST', { role: 'delegate', delegation: 'Kenya', personBound: true }))).json()) as {
      id: string;
      token: string;
      personBound: boolean;
    };
    expect(made.personBound).toBe(true);
    const first: Browser = { cookie: '' };
    const second: Browser = { cookie: '' };

    expect(JoinInfo.parse(await (await info(first, made.token)).json()).personBound).toBe(true);
    expect((await join(first, made.token, 'Wanjiru Kamau')).status).toBe(200);
    expect(DocumentAccess.parse(await (await access(first)).json())).toMatchObject({ role: 'delegate', delegation: 'Kenya', name: 'Wanjiru Kamau' });
    expect(await listed(made.id)).toMatchObject({ claimedBy: 'Wanjiru Kamau', personBound: true });

    // Another browser: refused, already on the join page and when it tries, with who holds it.
    const expected = 'This invitation was already claimed by Wanjiru Kamau on another computer: ask the secretariat';
    expect(await refusal(await info(second, made.token), 403)).toMatchObject({ problem: 'claimed', message: expected });
    expect(await refusal(await join(second, made.token, 'Somebody Else'), 403)).toMatchObject({ problem: 'claimed', message: expected });
    expect(second.cookie).toBe('');
    // Nor does the token itself open the document, for a script or another tool.
    const bearer = await fetch(`${server.url}/api/documents/${documentId}/access`, { headers: { authorization: `Bearer ${made.token}` } });
    expect(bearer.status).toBe(403);
    expect(ErrorBody.parse(await bearer.json()).message).toMatch(/for one person/);

    // The first browser opens it again, as itself.
    expect((await info(first, made.token)).status).toBe(200);
    expect((await join(first, made.token, 'Wanjiru Kamau')).status).toBe(200);

    // Released: the first browser is disconnected and loses it; the next one to open the link keeps it.
    const { closed } = await openRaw(server.wsUrl, documentId, undefined, { cookie: first.cookie });
    const released = await admin.api(`/api/documents/${documentId}/invitations/${made.id}/release`, { method: 'POST' });
    expect(released.status).toBe(200);
    expect(await closed).toEqual({ code: CloseCode.Forbidden, reason: 'The secretariat released your invitation for use on another computer' });
    const lost = await access(first);
    expect(lost.status).toBe(403);
    expect(ErrorBody.parse(await lost.json()).message).toMatch(/released this invitation/);
    expect(SessionInfo.parse(await (await fetch(`${server.url}/api/session`, { headers: { cookie: first.cookie } })).json()).grants).toEqual([]);
    expect(await listed(made.id)).toMatchObject({ claimedBy: null, claimedAt: null });

    expect((await join(second, made.token, 'Otieno Odhiambo')).status).toBe(200);
    expect((await access(second)).status).toBe(200);
    expect(await listed(made.id)).toMatchObject({ claimedBy: 'Otieno Odhiambo' });
    expect((await listed(made.id)).joined.map((j) => j.name)).toEqual(['Wanjiru Kamau', 'Otieno Odhiambo']);
    expect(await refusal(await info(first, made.token), 403)).toMatchObject({ problem: 'claimed', message: expect.stringContaining('Otieno Odhiambo') });
  });

  it('explains a revoked, an expired and an unknown link, on the join page and when opened', async () => {
    const revoked = await admin.invite(documentId, 'delegate', 'Peru');
    await admin.api(`/api/documents/${documentId}/invitations/${revoked.id}`, { method: 'DELETE' });
    const expired = await admin.invite(documentId, 'observer', undefined, { expiresInHours: 1 });
    const db = storedDataOf(server.dataDir, () => new Database(path.join(server.dataDir, 'drafts.sqlite3')));
    db.prepare('UPDATE invitations SET expires_at = ? WHERE id = ?').run(new Date(Date.now() - 1000).toISOString(), expired.id);
    db.close();
    const unknown = 'A'.repeat(43);
    const nobody: Browser = { cookie: '' };

    const cases: Array<[string, string, RegExp]> = [
      [revoked.token, 'revoked', /revoked by the secretariat: ask them for a new link/],
      [expired.token, 'expired', /has expired: ask the secretariat for a new link/],
      [unknown, 'unknown', /not valid: check that the whole link was copied/],
    ];
    for (const [token, problem, message] of cases) {
      for (const res of [await info(nobody, token), await join(nobody, token, 'Ana Silva')]) {
        const body = await refusal(res, 401);
        expect(body.problem).toBe(problem);
        expect(body.message).toMatch(message);
        // Nothing of the document beyond why.
        expect(JSON.stringify(body)).not.toMatch(/Final report|Peru|Observer/);
      }
    }
    expect(nobody.cookie).toBe('');
  });

  it('answers a bad request to the join endpoint with a 4xx and a JSON body', async () => {
    const nobody: Browser = { cookie: '' };
    const cases: Array<[string, Promise<Response>, number, RegExp]> = [
      ['no token', info(nobody, undefined as unknown as string), 400, /token/],
      ['not a token', info(nobody, 'short'), 400, /not an invitation token/],
      ['an extra field', post(nobody, '/api/session/invitation/info', { token: 'A'.repeat(43), name: 'x' }), 400, /name/],
      ['not JSON', fetch(`${server.url}/api/session/invitation/info`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' }), 415, /JSON/],
      ['GET', fetch(`${server.url}/api/session/invitation/info`), 404, /No API route/],
    ];
    for (const [what, pending, status, message] of cases) {
      const res = await pending;
      expect(res.status, what).toBe(status);
      expect(ErrorBody.parse(await res.json()).message, what).toMatch(message);
    }
  });
});
