import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { startServerProcess, tempDataDir, type ServerProcess } from '../support/server-process.js';
import { storedDataOf } from '../support/stored-data.js';
import { signInSecretariat } from '../support/admin.js';
import { waitFor } from '../support/wait.js';
import { appendParagraph, connectSynced, paragraphText, type TestClient } from '../support/yjs-client.js';

describe('nothing the server received is lost', () => {
  const servers: ServerProcess[] = [];
  const clients: TestClient[] = [];
  const tokens = new Map<string, string>();
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    for (const s of servers.splice(0)) await s.stop('SIGKILL');
  });
  const start = async (dataDir: string, port?: number) => {
    const s = await startServerProcess({ dataDir, port });
    servers.push(s);
    return s;
  };
  /** A document made by the secretariat, and a token for it that outlives restarts. */
  const createDocument = async (s: ServerProcess, title: string) => {
    const admin = await signInSecretariat(s);
    const id = await admin.createDocument(title);
    tokens.set(id, await admin.token(id));
    return id;
  };
  const client = async (s: ServerProcess, id: string) => {
    const c = await connectSynced(s.wsUrl, id, tokens.get(id)!);
    clients.push(c);
    return c;
  };

  it('keeps the content across SIGTERM and restart, and exits cleanly', async () => {
    const dataDir = tempDataDir();
    const first = await start(dataDir);
    const id = await createDocument(first, 'Restart');
    const a = await client(first, id);
    for (let i = 0; i < 20; i++) appendParagraph(a, `paragraph ${i}`);
    paragraphText(a, 0).insert(0, 'edited ');
    const observer = await client(first, id);
    await waitFor(() => observer.text() === a.text(), 'the server to relay every edit');
    const expected = a.text();

    expect(await first.stop('SIGTERM')).toBe(0);
    expect(first.logs.some((l) => l.msg === 'stopped cleanly')).toBe(true);

    const second = await start(dataDir);
    const b = await client(second, id);
    expect(b.text()).toBe(expected);
    const res = await fetch(`${second.url}/api/documents/${id}`, { headers: { authorization: `Bearer ${tokens.get(id)}` } });
    const list = (await res.json()) as { paragraphCount: number };
    expect(list.paragraphCount).toBe(20);
  });

  it('keeps every edit the server received when it is killed with SIGKILL right after a burst', async () => {
    const dataDir = tempDataDir();
    const first = await start(dataDir);
    const id = await createDocument(first, 'Kill -9');
    const typist = await client(first, id);
    const observer = await client(first, id);
    const line = appendParagraph(typist, '');
    for (let i = 0; i < 500; i++) line.insert(line.length, String(i % 10));
    for (let i = 0; i < 30; i++) appendParagraph(typist, `burst ${i}`);
    // The observer seeing the burst proves the server received (and relayed) all of it.
    await waitFor(() => observer.text() === typist.text(), 'the observer to receive the burst');
    const expected = observer.text();

    await first.stop('SIGKILL');
    for (const c of clients.splice(0)) c.destroy();

    const second = await start(dataDir);
    const reader = await client(second, id);
    expect(reader.text()).toBe(expected);
    expect(reader.body.length).toBe(31);
  });

  it('folds the update log into a snapshot after a pause in the typing, and loses nothing doing so', async () => {
    const dataDir = tempDataDir();
    const first = await startServerProcess({ dataDir, env: { COMPACT_AFTER_UPDATES: '20' } });
    servers.push(first);
    const id = await createDocument(first, 'Compaction');
    const typist = await client(first, id);
    const line = appendParagraph(typist, '');
    for (let i = 0; i < 100; i++) line.insert(line.length, 'k');
    const observer = await client(first, id);
    await waitFor(() => observer.text() === typist.text(), 'the observer to receive everything');
    const rows = () => {
      // The rows of the server's SQLite file, or of its schema when the suite runs on PostgreSQL.
      const db = storedDataOf(dataDir, () => new Database(path.join(dataDir, 'drafts.sqlite3'), { readonly: true }));
      try {
        const log = db.prepare('SELECT COUNT(*) AS n FROM updates WHERE doc_id = ?').get(id) as { n: number };
        const snapshot = db.prepare('SELECT COUNT(*) AS n FROM snapshots WHERE doc_id = ?').get(id) as { n: number };
        return { log: log.n, snapshot: snapshot.n };
      } finally {
        db.close();
      }
    };
    await waitFor(() => rows().log === 0 && rows().snapshot === 1, 'the log to be compacted', 5_000);

    await first.stop('SIGKILL');
    const second = await start(dataDir);
    expect((await client(second, id)).text()).toBe('k'.repeat(100));
  });

  it('unloads a document nobody is editing and loads it again intact', async () => {
    const s = await startServerProcess({ env: { UNLOAD_GRACE_MS: '100' } });
    servers.push(s);
    const id = await createDocument(s, 'Unload');
    const a = await client(s, id);
    appendParagraph(a, 'still here after unload');
    const b = await client(s, id);
    await waitFor(() => b.text() === a.text(), 'b to receive the paragraph');
    for (const c of clients.splice(0)) c.destroy();

    await waitFor(async () => {
      const health = (await (await fetch(`${s.url}/api/health`)).json()) as { loadedDocuments: number };
      return health.loadedDocuments === 0;
    }, 'the document to be unloaded');
    // The log line travels through the server's stdout pipe, which may be read after the health answer arrives.
    await waitFor(() => s.logs.some((l) => l.msg === 'document unloaded' && l.documentId === id), 'the unload to be logged');

    const again = await client(s, id);
    expect(again.text()).toBe('still here after unload');
  });
});
