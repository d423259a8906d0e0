import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloseCode } from '../../shared/protocol/constants.js';
import { jsonBody, signInSecretariat } from '../support/admin.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { cannotMountSmallDisk, fillDisk, mountSmallDisk, type SmallDisk } from '../support/small-disk.js';
import { waitFor } from '../support/wait.js';
import { appendParagraph, connectClient, connectSynced, waitSynced, type TestClient } from '../support/yjs-client.js';

const cannotMount = cannotMountSmallDisk();
if (cannotMount) console.warn(`skipping tests/integration/disk-full.test.ts: ${cannotMount}`);

describe.skipIf(cannotMount !== null)('a full disk', () => {
  let disk: SmallDisk | undefined;
  let mountDir = '';
  const servers: ServerProcess[] = [];
  const clients: TestClient[] = [];

  beforeAll(() => {
    disk = mountSmallDisk(8);
    mountDir = disk.dir;
  });

  afterAll(async () => {
    for (const c of clients.splice(0)) c.destroy();
    for (const s of servers.splice(0)) await s.stop('SIGKILL');
    disk?.unmount();
  });

  // The full disk is the SQLite file's: these servers keep SQLite even when the suite runs on PostgreSQL.
  const start = async (dataDir: string) => {
    const s = await startServerProcess({ dataDir, storage: 'sqlite' });
    servers.push(s);
    return s;
  };
  const track = (c: TestClient) => {
    clients.push(c);
    return c;
  };

  it('refuses updates with 4507, relays nothing unstored, keeps serving reads, and resumes by itself when space is back', async () => {
    const dataDir = path.join(mountDir, 'data');
    const server = await start(dataDir);
    let exited = false;
    server.process.once('exit', () => (exited = true));

    const admin = await signInSecretariat(server);
    const id = await admin.createDocument('Disk full');
    const token = await admin.token(id);
    // Never used before the disk is full: opening it writes when it was last used, which must not stop a reader.
    const readerToken = (await admin.invite(id, 'observer', 'Observers')).token;

    const a = track(await connectSynced(server.wsUrl, id, token));
    const b = track(await connectSynced(server.wsUrl, id, token));
    const aCloses: Array<{ code: number; reason: string }> = [];
    a.provider.on('connection-close', (event) => {
      if (event) aCloses.push({ code: event.code, reason: event.reason });
    });
    appendParagraph(a, 'Stored before the disk filled.');
    await waitFor(() => b.text() === a.text(), 'b to receive what a typed first');

    const filler = path.join(mountDir, 'filler');
    expect(fillDisk(filler)).toBeGreaterThan(0);

    const unstored = 'Typed while the disk was full.';
    appendParagraph(a, unstored);
    await waitFor(() => aCloses.some((c) => c.code === CloseCode.StorageFull), "a's socket to be closed with 4507");
    const closed = aCloses.find((c) => c.code === CloseCode.StorageFull)!;
    expect(closed.reason).toMatch(/^The server cannot save changes: disk full\./);
    await waitFor(() => server.logs.some((l) => String(l.msg).startsWith('storage full')), 'the server to log that the disk is full');

    // Reads go on: a new reader syncs the stored document, and stays (presence needs no disk either).
    const c = track(connectClient(server.wsUrl, id, readerToken));
    const cCloses: number[] = [];
    c.provider.on('connection-close', (event) => {
      if (event) cCloses.push(event.code);
    });
    await waitSynced(c);
    expect(c.text()).toBe('Stored before the disk filled.');
    expect(b.text()).toBe('Stored before the disk filled.');
    const health = await fetch(`${server.url}/api/health`);
    expect(health.status).toBe(200);

    const created = await admin.api('/api/documents', jsonBody('POST', { title: 'Not while the disk is full' }));
    expect(created.status).toBe(507);
    const body = (await created.json()) as { error: string; message: string };
    expect(body.error).toBe('storage_full');
    expect(body.message).toMatch(/disk full/);

    // a's client keeps the paragraph and offers it on every reconnect; none of them lets it through.
    const refusedBefore = aCloses.filter((x) => x.code === CloseCode.StorageFull).length;
    await waitFor(() => aCloses.filter((x) => x.code === CloseCode.StorageFull).length > refusedBefore, 'a to reconnect and be refused again');
    expect(b.text()).not.toContain(unstored);
    expect(c.text()).not.toContain(unstored);
    expect(a.text()).toContain(unstored);
    expect(cCloses).toEqual([]);
    expect(c.provider.wsconnected).toBe(true);
    expect(server.logs.filter((l) => String(l.msg).startsWith('storage full')).length).toBe(1);

    fs.rmSync(filler);
    await waitFor(() => b.text().includes(unstored) && c.text().includes(unstored), "a's paragraph to reach b and c once space is back", 15_000);
    await waitFor(() => server.logs.some((l) => String(l.msg).startsWith('storage writable again')), 'the server to log that it writes again');
    appendParagraph(b, 'Typed after space came back.');
    await waitFor(() => a.text() === b.text() && c.text() === b.text(), 'everyone to converge');
    const seen = b.text();
    expect(seen.split('\n')).toEqual(['Stored before the disk filled.', unstored, 'Typed after space came back.']);
    expect(exited).toBe(false);

    await server.stop('SIGKILL');
    for (const client of clients.splice(0)) client.destroy();
    const again = await start(dataDir);
    const d = track(await connectSynced(again.wsUrl, id, token));
    expect(d.text()).toBe(seen);
  });

  it('unloads, compacts and shuts down on a full disk without crashing or losing what was stored', async () => {
    const dataDir = path.join(mountDir, 'quiet');
    const server = await startServerProcess({ dataDir, storage: 'sqlite', env: { UNLOAD_GRACE_MS: '200' } });
    servers.push(server);
    const admin = await signInSecretariat(server);
    const id = await admin.createDocument('Full at night');
    const token = await admin.token(id);
    const a = track(await connectSynced(server.wsUrl, id, token));
    for (let i = 0; i < 3; i++) appendParagraph(a, `Paragraph ${i} stored before the disk filled.`);
    const b = track(await connectSynced(server.wsUrl, id, token));
    await waitFor(() => b.text() === a.text(), 'b to receive every paragraph');
    const stored = a.text();
    // "Last edited" is written a moment after the typing: then nothing is waiting to be written but the compaction.
    await waitFor(async () => {
      const res = await admin.api(`/api/documents/${id}`);
      return ((await res.json()) as { paragraphCount: number }).paragraphCount === 3;
    }, 'the document list to count the paragraphs');

    const filler = path.join(mountDir, 'filler-quiet');
    fillDisk(filler);
    for (const client of clients.splice(0)) client.destroy();
    // Unloading compacts the log into a snapshot: that write fails, the log stays, the server goes on.
    await waitFor(() => server.logs.some((l) => l.msg === 'document unloaded' && l.documentId === id), 'the document to be unloaded');
    expect(server.logs.filter((l) => String(l.msg).startsWith('storage full')).length).toBe(1);
    expect(server.process.exitCode).toBeNull();

    const reader = track(await connectSynced(server.wsUrl, id, token));
    expect(reader.text()).toBe(stored);
    reader.destroy();
    // Shutting down stores every loaded document: on a full disk it stops all the same, and cleanly.
    expect(await server.stop('SIGTERM')).toBe(0);
    expect(server.logs.some((l) => l.msg === 'stopped cleanly')).toBe(true);

    fs.rmSync(filler);
    const again = await start(dataDir);
    expect((await connectSynced(again.wsUrl, id, token).then(track)).text()).toBe(stored);
  });
});
