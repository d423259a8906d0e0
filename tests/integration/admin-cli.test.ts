import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess, storageEnv, type ServerProcess } from '../support/server-process.js';
import { connectSynced } from '../support/yjs-client.js';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');

describe('npm run admin, beside a running server', () => {
  let server: ServerProcess;
  const admin = (...args: string[]) =>
    run(process.execPath, ['--import', 'tsx', 'server/cli/admin.ts', ...args], {
      cwd: ROOT,
      // The server's storage: its schema when the suite runs on PostgreSQL.
      env: { ...storageEnv(server.dataDir), DATA_DIR: server.dataDir },
    });

  beforeAll(async () => {
    server = await startServerProcess();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('creates a document and an invitation whose token opens it over HTTP and the websocket', async () => {
    const { stdout: id } = await admin('create-document', '--title', 'From the command line');
    const documentId = id.trim();
    const { stdout } = await admin('invite', `--document=${documentId}`, '--role', 'delegate', '--delegation', 'Egypt');
    const token = /token: (\S+)/.exec(stdout)![1]!;
    expect(stdout).toMatch(new RegExp(`link: +http://\\S+/join/${token}`));

    const res = await fetch(`${server.url}/api/documents/${documentId}/access`, { headers: { authorization: `Bearer ${token}` } });
    expect(await res.json()).toMatchObject({ role: 'delegate', delegation: 'Egypt' });
    const client = await connectSynced(server.wsUrl, documentId, token);
    expect(client.provider.wsconnected).toBe(true);
    client.destroy();
  });

  it('explains what is wrong and exits non-zero', async () => {
    await expect(admin('invite', '--document', 'nope', '--role', 'chair')).rejects.toMatchObject({ stderr: expect.stringContaining('No document') });
    await expect(admin('frobnicate')).rejects.toMatchObject({ stderr: expect.stringContaining('usage') });
  });
});
