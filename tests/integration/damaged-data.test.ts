import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { runAdmin, signInSecretariat } from '../support/admin.js';
import { openRaw } from '../support/raw-socket.js';
import { startServerProcess, tempDataDir, type ServerProcess } from '../support/server-process.js';
import { Health } from '../../shared/schema/api.js';
import { waitFor } from '../support/wait.js';
import { appendParagraph, connectSynced, type TestClient } from '../support/yjs-client.js';

/**
 * Everything here is about the SQLite file in DATA_DIR (written into, damaged,
 * checked): these servers and admin commands keep SQLite even when the suite
 * runs on PostgreSQL.
 */
const sqliteAdmin = (dataDir: string, ...args: string[]) => runAdmin({ dataDir, storage: 'sqlite' }, ...args);
const databaseOf = (dataDir: string) => path.join(dataDir, 'drafts.sqlite3');
const hashOf = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** A data directory holding the seeded drafts, written by a server that has stopped. */
async function seededDataDir(): Promise<string> {
  const server = await startServerProcess({ storage: 'sqlite' });
  await server.stop();
  return server.dataDir;
}

/** Starts a server that must refuse to: resolves with what it said and its exit code. */
async function refusedStart(dataDir: string): Promise<string> {
  const started = startServerProcess({ storage: 'sqlite', dataDir });
  const error = await started.then(
    async (s) => {
      await s.stop();
      throw new Error('the server started');
    },
    (err: Error) => err.message,
  );
  return error;
}

describe('damaged or foreign data is refused, never repaired or overwritten', () => {
  it('`admin check` reports bytes overwritten in the middle of a database and exits non-zero', async () => {
    const dataDir = await seededDataDir();
    const backup = path.join(tempDataDir(), 'good.sqlite3');
    expect((await sqliteAdmin(dataDir, 'backup', '--out', backup)).code).toBe(0);
    const good = await sqliteAdmin(dataDir, 'check', '--file', backup);
    expect(good).toMatchObject({ code: 0, stdout: expect.stringContaining('OK') });

    const damaged = path.join(path.dirname(backup), 'damaged.sqlite3');
    const bytes = fs.readFileSync(backup);
    bytes.fill(0x55, Math.floor(bytes.length * 0.4), Math.floor(bytes.length * 0.6));
    fs.writeFileSync(damaged, bytes);
    const bad = await sqliteAdmin(dataDir, 'check', '--file', damaged);
    expect(bad.code).toBe(1);
    expect(`${bad.stdout}${bad.stderr}`).toMatch(/problems? found|is damaged|integrity_check|does not decode/);
    expect(bad.stdout).not.toContain('OK');
  });

  it('refuses to start on a database made by a newer version, with the message and exit code 1, leaving it as it was', async () => {
    const dataDir = await seededDataDir();
    const db = new Database(databaseOf(dataDir));
    db.pragma('user_version = 99');
    db.close();
    const before = hashOf(databaseOf(dataDir));
    const said = await refusedStart(dataDir);
    expect(said).toContain('exited with 1 before listening');
    expect(said).toMatch(/made by a newer version of the drafting editor: this version knows \d+ schema migrations, the file is at 99/);
    expect(said).not.toMatch(/^\s+at /m); // a message, not a stack trace
    expect(hashOf(databaseOf(dataDir))).toBe(before);
    // The command line opens the database too, and refuses the same way.
    const admin = await sqliteAdmin(dataDir, 'create-document', '--title', 'Should not be made');
    expect(admin.code).toBe(1);
    expect(admin.stderr).toContain('the file is at 99');
  });

  it('refuses a file that is not a SQLite database, and a SQLite database of another application', async () => {
    const notSqlite = tempDataDir();
    fs.writeFileSync(databaseOf(notSqlite), 'Draft final report of the working group, saved here by mistake.\n'.repeat(100));
    const before = hashOf(databaseOf(notSqlite));
    expect(await refusedStart(notSqlite)).toMatch(/exited with 1[\s\S]*is not a SQLite database/);
    expect(hashOf(databaseOf(notSqlite))).toBe(before);

    const foreign = tempDataDir();
    const db = new Database(databaseOf(foreign));
    db.exec('CREATE TABLE expenses (id INTEGER PRIMARY KEY, amount REAL)');
    db.close();
    expect(await refusedStart(foreign)).toMatch(/exited with 1[\s\S]*a SQLite database of another application \(tables: expenses\)/);
    const after = new Database(databaseOf(foreign), { readonly: true });
    expect(after.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all()).toEqual([{ name: 'expenses' }]);
    after.close();
  });
});

describe('a document whose stored update cannot be decoded', () => {
  let server: ServerProcess | undefined;
  const clients: TestClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await server?.stop();
  });

  it('is quarantined, and the server serves every other document', async () => {
    const first = await startServerProcess({ storage: 'sqlite' });
    const admin = await signInSecretariat(first);
    const [broken, healthy] = [await admin.createDocument('Broken'), await admin.createDocument('Healthy')];
    const [brokenToken, healthyToken] = [await admin.token(broken), await admin.token(healthy)];
    const writer = await connectSynced(first.wsUrl, broken, brokenToken);
    appendParagraph(writer, 'stored before the damage');
    await waitFor(async () => {
      const res = await fetch(`${first.url}/api/documents/${broken}/export?format=txt&version=bracketed`, { headers: { authorization: `Bearer ${brokenToken}` } });
      return (await res.text()).includes('stored before the damage');
    }, 'the paragraph to be stored');
    writer.destroy();
    await first.stop();

    const db = new Database(databaseOf(first.dataDir));
    db.prepare('INSERT INTO updates (doc_id, data) VALUES (?, ?)').run(broken, Buffer.from('not a Yjs update: garbage written by a failing disk'));
    db.close();
    const check = await sqliteAdmin(first.dataDir, 'check');
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(new RegExp(`document ${broken}: logged update seq \\d+ does not decode`));

    server = await startServerProcess({ storage: 'sqlite', dataDir: first.dataDir });
    for (let attempt = 0; attempt < 2; attempt++) {
      const { closed } = await openRaw(server.wsUrl, broken, brokenToken);
      const { code, reason } = await closed;
      expect(code).toBe(4503);
      expect(reason).toContain(`Document "${broken}" is damaged in storage and quarantined`);
    }
    const quarantinedLines = () => server!.logs.filter((l) => l.level === 50 && l.documentId === broken && String(l.msg).includes('quarantined'));
    await waitFor(() => quarantinedLines().length > 0, 'the quarantine to be logged');
    const quarantined = quarantinedLines();
    expect(quarantined).toHaveLength(1); // refused from the quarantine list the second time, not decoded again
    expect(quarantined[0]!.damage).toMatch(/logged update seq \d+ does not decode/);

    const health = Health.parse(await (await fetch(`${server.url}/api/health`)).json());
    expect(health.quarantinedDocuments).toBe(1);

    const exported = await fetch(`${server.url}/api/documents/${broken}/export?format=txt&version=bracketed`, { headers: { authorization: `Bearer ${brokenToken}` } });
    expect(exported.status).toBe(503);
    expect(await exported.json()).toMatchObject({ error: 'document_unreadable', message: expect.stringContaining('quarantined') });

    const a = await connectSynced(server.wsUrl, healthy, healthyToken);
    const b = await connectSynced(server.wsUrl, healthy, healthyToken);
    clients.push(a, b);
    appendParagraph(a, 'the healthy document still syncs and edits');
    await waitFor(() => b.text().includes('the healthy document still syncs and edits'), 'the edit to reach the other client');
    expect(server.process.exitCode).toBeNull();
  });
});
