import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloseCode } from '../../shared/protocol/constants.js';
import type { Health } from '../../shared/schema/api.js';
import { signInSecretariat, type Admin } from '../support/admin.js';
import { startServerBehindCuttablePostgres, type CuttableProxy } from '../support/cuttable-proxy.js';
import type { ServerProcess } from '../support/server-process.js';
import { needServices } from '../support/services.js';
import { waitFor } from '../support/wait.js';
import { appendParagraph, connectSynced, type TestClient } from '../support/yjs-client.js';

const missing = await needServices('postgres');

describe.skipIf(missing !== null)('PostgreSQL going away and coming back', () => {
  let setup: Awaited<ReturnType<typeof startServerBehindCuttablePostgres>> | undefined;
  let proxy: CuttableProxy;
  let server: ServerProcess;
  let admin: Admin;
  const clients: TestClient[] = [];

  beforeAll(async () => {
    setup = await startServerBehindCuttablePostgres('outage');
    ({ server, proxy } = setup);
    admin = await signInSecretariat(server);
  });

  afterAll(async () => {
    for (const c of clients) c.destroy();
    await setup?.stop();
  });

  it('refuses updates with 4504 rather than relay what was not stored, keeps serving, and takes them once it is back', async () => {
    const id = await admin.createDocument('Outage');
    const token = await admin.token(id);
    const typist = await connectSynced(server.wsUrl, id, token);
    const watcher = await connectSynced(server.wsUrl, id, token);
    clients.push(typist, watcher);
    const closes: Array<{ code: number; reason: string }> = [];
    typist.provider.on('connection-close', (event: CloseEvent | null) => void (event && closes.push({ code: event.code, reason: event.reason })));
    appendParagraph(typist, 'before the outage');
    await waitFor(() => watcher.text().includes('before the outage'), 'the first paragraph to arrive');

    proxy.cut();
    appendParagraph(typist, 'typed while the database was away');
    await waitFor(() => closes.some((c) => c.code === CloseCode.StorageUnavailable), 'the typist to be closed with 4504');
    expect(closes.find((c) => c.code === CloseCode.StorageUnavailable)!.reason).toMatch(/cannot reach its database/);
    // Nothing that was not stored is relayed; the process itself still answers.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(watcher.text()).not.toContain('typed while the database was away');
    const health = await fetch(`${server.url}/api/health`);
    expect(health.status).toBe(200);
    expect(((await health.json()) as Health).storage).toBe('postgres');
    const read = await fetch(`${server.url}/api/documents`, { headers: { cookie: admin.cookie } });
    expect(read.status).toBe(503);
    expect(((await read.json()) as { error: string }).error).toBe('storage_unavailable');
    expect(server.logs.filter((l) => String(l.msg).startsWith('PostgreSQL unreachable')).length).toBe(1);

    proxy.restore();
    // y-websocket reconnects by itself; the edit kept on that computer is sent again and stored.
    typist.provider.connect();
    await waitFor(() => watcher.text().includes('typed while the database was away'), 'the kept edit to arrive once PostgreSQL is back', 30_000);
    expect(server.logs.some((l) => String(l.msg).startsWith('PostgreSQL answers again'))).toBe(true);
  });
});
