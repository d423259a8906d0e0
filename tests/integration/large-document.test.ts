import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { signInSecretariat } from '../support/admin.js';
import { waitFor } from '../support/wait.js';
import { connectClient, connectSynced, waitSynced } from '../support/yjs-client.js';

const CHARACTERS = 1_000_000;

describe('a 1 M-character document', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServerProcess();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('reaches a late joiner in one sync, without reconnect loops, and survives a restart', async () => {
    const admin = await signInSecretariat(server);
    const id = await admin.createDocument('Very long report');
    const token = await admin.token(id);
    const writer = await connectSynced(server.wsUrl, id, token);
    // 2,000 paragraphs of 500 characters, written as one big transaction.
    writer.doc.transact(() => {
      const paragraphs = [];
      for (let i = 0; i < CHARACTERS / 500; i++) {
        const p = new Y.XmlElement('paragraph');
        p.insert(0, [new Y.XmlText(`${String(i).padStart(4, '0')} `.padEnd(500, 'lorem ipsum dolor sit amet '))]);
        paragraphs.push(p);
      }
      writer.body.insert(0, paragraphs);
    });
    const expected = writer.text();
    expect(expected.replace(/\n/g, '').length).toBe(CHARACTERS);

    const reader = connectClient(server.wsUrl, id, token);
    let closes = 0;
    reader.provider.on('connection-close', () => closes++);
    await waitSynced(reader, 30_000);
    await waitFor(() => reader.text().length === expected.length, 'the reader to receive everything', 30_000);
    expect(reader.text()).toBe(expected);
    expect(closes).toBe(0);
    reader.destroy();
    writer.destroy();

    const dataDir = server.dataDir;
    await server.stop('SIGTERM');
    server = await startServerProcess({ dataDir });
    const again = await connectSynced(server.wsUrl, id, token);
    expect(again.text()).toBe(expected);
    again.destroy();
  });
});
