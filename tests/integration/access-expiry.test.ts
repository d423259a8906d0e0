import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CloseCode } from '../../shared/protocol/constants.js';
import { BODY_FRAGMENT } from '../../shared/schema/ydoc.js';
import { signInSecretariat, jsonBody, type Admin } from '../support/admin.js';
import { openRaw } from '../support/raw-socket.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { storedDataOf } from '../support/stored-data.js';
import { openStubborn, type StubbornSocket } from '../support/stubborn-socket.js';
import { waitFor } from '../support/wait.js';
import { connectSynced, appendParagraph, type TestClient } from '../support/yjs-client.js';

/**
 * An invitation that expires, a session that expires, an invitation that is
 * revoked: every websocket opened with it is closed at that moment, whether
 * it came with the invitation's token or with a session cookie holding its
 * grant, and nothing it sends afterwards gets in, even from a client that
 * ignores the close frame.
 */
describe('open websockets stop working when their access ends', () => {
  let server: ServerProcess;
  let admin: Admin;
  let documentId: string;
  let watcher: TestClient;
  const cleanup: Array<{ destroy(): void }> = [];

  // Time passes in the real database: the server's own SQLite file, or its PostgreSQL schema when the suite runs on PostgreSQL.
  const db = () => storedDataOf(server.dataDir, () => new Database(path.join(server.dataDir, 'drafts.sqlite3')));
  const setInvitationExpiry = (id: string, at: Date) => {
    const d = db();
    d.prepare('UPDATE invitations SET expires_at = ? WHERE id = ?').run(at.toISOString(), id);
    d.close();
  };
  const setSessionExpiry = (name: string, at: Date) => {
    const d = db();
    d.prepare('UPDATE sessions SET expires_at = ? WHERE name = ?').run(at.toISOString(), name);
    d.close();
  };
  /** Opens an invitation as a browser would: the session cookie it sets. */
  const signInWith = async (token: string, name: string) => {
    const res = await fetch(`${server.url}/api/session/invitation`, jsonBody('POST', { token, name }));
    expect(res.status).toBe(200);
    return res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  };
  /** An update that appends a paragraph, as any Yjs client would make it. */
  const paragraphUpdate = (text: string) => {
    const doc = new Y.Doc();
    const p = new Y.XmlElement('paragraph');
    p.insert(0, [new Y.XmlText(text)]);
    doc.getXmlFragment(BODY_FRAGMENT).push([p]);
    return Y.encodeStateAsUpdate(doc);
  };
  const seen = (text: string) => watcher.text().includes(text);
  const stubborn = async (query: string, headers?: Record<string, string>) => {
    const s = await openStubborn(server.port, `/collab/${documentId}${query}`, headers);
    cleanup.push(s);
    return s;
  };
  /** Writes through a socket and checks the room got it: the socket really could edit. */
  const provesItWrites = async (s: StubbornSocket, text: string) => {
    s.sendUpdate(paragraphUpdate(text));
    await waitFor(() => seen(text), `"${text}" to reach the room`);
  };
  /** After the close frame, a stubborn client sends again: nothing may reach the room. */
  const provesLockedOut = async (s: StubbornSocket, text: string) => {
    s.sendUpdate(paragraphUpdate(text));
    await new Promise((r) => setTimeout(r, 1500));
    expect(seen(text)).toBe(false);
    const fresh = await connectSynced(server.wsUrl, documentId, await admin.token(documentId));
    cleanup.push(fresh);
    expect(fresh.text()).not.toContain(text);
  };

  beforeAll(async () => {
    server = await startServerProcess();
    admin = await signInSecretariat(server);
    documentId = await admin.createDocument('Expiry');
    watcher = await connectSynced(server.wsUrl, documentId, await admin.token(documentId));
    cleanup.push(watcher);
  });

  afterAll(async () => {
    for (const c of cleanup) c.destroy();
    await server.stop();
  });

  it('closes a token socket with 4401 when its invitation expires, and refuses what it sends after', async () => {
    const invitation = await admin.invite(documentId, 'delegate', 'Egypt');
    const expiresAt = new Date(Date.now() + 3000);
    setInvitationExpiry(invitation.id, expiresAt);

    const client = await connectSynced(server.wsUrl, documentId, invitation.token);
    cleanup.push(client);
    const closes: Array<{ code: number; reason: string; at: number }> = [];
    client.provider.on('connection-close', (event) => {
      if (event) closes.push({ code: event.code, reason: event.reason, at: Date.now() });
    });
    const raw = await stubborn(`?token=${invitation.token}`);
    appendParagraph(client, 'Egypt before expiry');
    await waitFor(() => seen('Egypt before expiry'), 'the edit before expiry');
    await provesItWrites(raw, 'Stubborn Egypt before expiry');

    const closed = await raw.closeFrame;
    expect(closed).toEqual({ code: CloseCode.Unauthenticated, reason: 'This invitation has expired' });
    await waitFor(() => closes.length > 0, 'the stock client to be closed', 5000);
    expect(closes[0]).toMatchObject({ code: CloseCode.Unauthenticated, reason: 'This invitation has expired' });
    // At the moment it expired, not at the next reconnect.
    expect(closes[0]!.at).toBeGreaterThanOrEqual(expiresAt.getTime() - 50);
    expect(closes[0]!.at).toBeLessThan(expiresAt.getTime() + 1500);

    appendParagraph(client, 'Egypt after expiry');
    await provesLockedOut(raw, 'Stubborn Egypt after expiry');
    expect(seen('Egypt after expiry')).toBe(false);
  });

  it('closes a cookie socket when the invitation its session holds expires', async () => {
    const invitation = await admin.invite(documentId, 'delegate', 'Kenya');
    const cookie = await signInWith(invitation.token, 'Wanjiru Kamau');
    setInvitationExpiry(invitation.id, new Date(Date.now() + 3000));

    const raw = await stubborn('', { cookie });
    const plain = await openRaw(server.wsUrl, documentId, undefined, { cookie });
    cleanup.push({ destroy: () => plain.ws.terminate() });
    await provesItWrites(raw, 'Kenya by cookie before expiry');

    expect(await raw.closeFrame).toEqual({ code: CloseCode.Unauthenticated, reason: 'This invitation has expired' });
    expect(await plain.closed).toEqual({ code: CloseCode.Unauthenticated, reason: 'This invitation has expired' });
    await provesLockedOut(raw, 'Kenya by cookie after expiry');
  });

  it('closes a cookie socket when its session expires, even though the invitation is still good', async () => {
    const invitation = await admin.invite(documentId, 'delegate', 'Chile');
    const cookie = await signInWith(invitation.token, 'Chile Delegate');
    setSessionExpiry('Chile Delegate', new Date(Date.now() + 3000));

    const raw = await stubborn('', { cookie });
    await provesItWrites(raw, 'Chile before its session ends');
    const closed = await raw.closeFrame;
    expect(closed.code).toBe(CloseCode.Unauthenticated);
    expect(closed.reason).toMatch(/session has expired/);
    await provesLockedOut(raw, 'Chile after its session ended');
    // The token itself still works: only the session ended.
    const again = await openRaw(server.wsUrl, documentId, invitation.token);
    cleanup.push({ destroy: () => again.ws.terminate() });
    expect(again.ws.readyState).toBe(again.ws.OPEN);
  });

  it('revoking closes every socket of the invitation, by token and by cookie, and lets nothing in after', async () => {
    const invitation = await admin.invite(documentId, 'delegate', 'Peru');
    const other = await admin.invite(documentId, 'delegate', 'Brazil');
    const cookie = await signInWith(invitation.token, 'Peru Delegate');

    const byToken = await stubborn(`?token=${invitation.token}`);
    const byCookie = await stubborn('', { cookie });
    const stock = await connectSynced(server.wsUrl, documentId, invitation.token);
    cleanup.push(stock);
    const bystander = await openRaw(server.wsUrl, documentId, other.token);
    cleanup.push({ destroy: () => bystander.ws.terminate() });
    const stockCloses: number[] = [];
    stock.provider.on('connection-close', (event) => event && stockCloses.push(event.code));
    // The session cookie carries a 30-day expiry: its socket must stay open until something happens.
    await new Promise((r) => setTimeout(r, 300));
    await provesItWrites(byToken, 'Peru by token before revocation');
    await provesItWrites(byCookie, 'Peru by cookie before revocation');

    const revoked = await admin.api(`/api/documents/${documentId}/invitations/${invitation.id}`, { method: 'DELETE' });
    expect(revoked.status).toBe(200);

    const revokedClose = { code: CloseCode.Forbidden, reason: 'Your invitation was revoked' };
    expect(await byToken.closeFrame).toEqual(revokedClose);
    expect(await byCookie.closeFrame).toEqual(revokedClose);
    await waitFor(() => stockCloses[0] === CloseCode.Forbidden, 'the stock client to be closed', 5000);
    await provesLockedOut(byToken, 'Peru by token after revocation');
    await provesLockedOut(byCookie, 'Peru by cookie after revocation');
    // Another invitation's socket is left alone.
    expect(bystander.ws.readyState).toBe(bystander.ws.OPEN);
  });
});
