import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloseCode } from '../../shared/protocol/constants.js';
import { DocumentList, DocumentSummary, ErrorBody } from '../../shared/schema/api.js';
import { SECRETARIAT, signInSecretariat, jsonBody, type Admin } from '../support/admin.js';
import { openRaw } from '../support/raw-socket.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';

const ALLOWED = 'http://drafting-client.example:3000';

/**
 * A page of another origin must not make the server act with a person's
 * session cookie: writes it sends are refused (403, JSON), before anything is
 * read or changed. Reads, same-origin pages, invitation tokens and scripts
 * that send no browser headers keep working; ALLOWED_ORIGINS counts for HTTP
 * as for the websocket.
 */
describe('cookie-authenticated writes from another origin are refused', () => {
  let server: ServerProcess;
  let admin: Admin;
  let documentId: string;
  let otherPort: string;

  beforeAll(async () => {
    server = await startServerProcess({ env: { ALLOWED_ORIGINS: ALLOWED } });
    admin = await signInSecretariat(server);
    documentId = await admin.createDocument('Origins');
    otherPort = `http://127.0.0.1:${server.port === 65535 ? 65534 : server.port + 1}`;
  });

  afterAll(async () => {
    await server.stop();
  });

  const withHeaders = (init: RequestInit, headers: Record<string, string>): RequestInit => ({
    ...init,
    headers: { ...(init.headers as Record<string, string>), ...headers },
  });
  const title = async () => DocumentSummary.parse(await (await admin.api(`/api/documents/${documentId}`)).json()).title;
  const documentCount = async () => DocumentList.parse(await (await admin.api('/api/documents')).json()).documents.length;
  const expectRefused = async (res: Response) => {
    expect(res.status).toBe(403);
    const body = ErrorBody.parse(await res.json());
    expect(body.error).toBe('forbidden');
    expect(body.message).toMatch(/came from .* and was refused/);
    return body;
  };
  const rename = (to: string, headers: Record<string, string>) =>
    admin.api(`/api/documents/${documentId}`, withHeaders(jsonBody('PATCH', { title: to }), headers));

  it('accepts writes from the server\'s own pages, from ALLOWED_ORIGINS and from scripts without browser headers', async () => {
    expect((await rename('Same origin', { origin: server.url })).status).toBe(200);
    expect((await rename('Allowed origin', { origin: ALLOWED })).status).toBe(200);
    expect((await rename('Sec-Fetch-Site same-origin', { 'sec-fetch-site': 'same-origin' })).status).toBe(200);
    expect((await rename('Same-origin Referer', { referer: `${server.url}/d/${documentId}` })).status).toBe(200);
    expect((await rename('No browser headers', {})).status).toBe(200);
    expect(await title()).toBe('No browser headers');
  });

  it('refuses a write from another port of the same machine, from another site, or from an opaque origin', async () => {
    const attacks: Array<Record<string, string>> = [
      { origin: otherPort },
      { origin: 'http://evil.example' },
      { origin: 'null' },
      { origin: server.url.replace('127.0.0.1', 'localhost') },
      { 'sec-fetch-site': 'same-site' },
      { 'sec-fetch-site': 'cross-site' },
      { referer: `${otherPort}/attack.html` },
      // An Origin decides even when the page also claims same-origin elsewhere.
      { origin: 'http://evil.example', 'sec-fetch-site': 'same-origin', referer: `${server.url}/` },
    ];
    for (const headers of attacks) {
      const body = await expectRefused(await rename('Hijacked', headers));
      expect(body.message).not.toMatch(/Hijacked/);
    }
    expect(await title()).toBe('No browser headers');
  });

  it('guards every kind of write: create, rename, delete, invite, revoke, import, sign out', async () => {
    const evil = { origin: otherPort };
    const before = await documentCount();
    await expectRefused(await admin.api('/api/documents', withHeaders(jsonBody('POST', { title: 'Planted' }), evil)));
    await expectRefused(await admin.api(`/api/documents/${documentId}`, withHeaders({ method: 'DELETE' }, evil)));
    await expectRefused(
      await admin.api(`/api/documents/${documentId}/invitations`, withHeaders(jsonBody('POST', { role: 'secretariat' }), evil)),
    );
    const invitation = await admin.invite(documentId, 'delegate', 'Egypt');
    await expectRefused(await admin.api(`/api/documents/${documentId}/invitations/${invitation.id}`, withHeaders({ method: 'DELETE' }, evil)));
    const form = new FormData();
    form.append('file', new Blob(['1.1\tPlanted paragraph\n']), 'planted.txt');
    await expectRefused(await admin.api('/api/documents/import', withHeaders({ method: 'POST', body: form }, evil)));
    await expectRefused(await admin.api('/api/session', withHeaders({ method: 'DELETE' }, evil)));

    // Nothing happened: same documents, the invitation still good, still signed in.
    expect(await documentCount()).toBe(before);
    const list = (await (await admin.api(`/api/documents/${documentId}/invitations`)).json()) as { invitations: Array<{ id: string; revokedAt: string | null }> };
    expect(list.invitations.find((i) => i.id === invitation.id)?.revokedAt).toBeNull();
    expect((await admin.api('/api/session')).status).toBe(200);
    // The same import from the server's own page goes through.
    const ok = new FormData();
    ok.append('file', new Blob(['1.1\tA paragraph\n']), 'fine.txt');
    expect((await admin.api('/api/documents/import', withHeaders({ method: 'POST', body: ok }, { origin: server.url }))).status).toBe(201);
  });

  it('refuses a sign-in posted from another origin (no session planted in the browser)', async () => {
    const res = await fetch(`${server.url}/api/session/password`, withHeaders(jsonBody('POST', SECRETARIAT), { origin: otherPort }));
    await expectRefused(res);
    expect(res.headers.getSetCookie()).toEqual([]);
  });

  it('lets a request with an invitation token through whatever its origin, and leaves reads alone', async () => {
    const token = await admin.token(documentId);
    const res = await fetch(`${server.url}/api/documents/${documentId}`, {
      ...jsonBody('PATCH', { title: 'Renamed by a script' }),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, origin: 'http://evil.example' },
    });
    expect(res.status).toBe(200);
    expect((await admin.api(`/api/documents/${documentId}`, { headers: { origin: 'http://evil.example' } })).status).toBe(200);
  });

  it('applies the same origins to the websocket: another port is refused, ALLOWED_ORIGINS is let in', async () => {
    const refused = await openRaw(server.wsUrl, documentId, undefined, { cookie: admin.cookie, origin: otherPort }).then(
      (s) => s.closed,
      () => null,
    );
    expect(refused?.code).toBe(CloseCode.Forbidden);
    const allowed = await openRaw(server.wsUrl, documentId, undefined, { cookie: admin.cookie, origin: ALLOWED });
    expect(allowed.ws.readyState).toBe(allowed.ws.OPEN);
    allowed.ws.terminate();
  });
});
