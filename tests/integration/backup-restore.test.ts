import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createBracket } from '../../shared/model/bracket-proposals.js';
import { BLOCK_ID_ATTR, BLOCK_NUM_ATTR, BRACKETS_MAP, type Actor } from '../../shared/schema/negotiation.js';
import { jsonBody, runAdmin, signInSecretariat } from '../support/admin.js';
import { startServerProcess, tempDataDir, type ServerProcess } from '../support/server-process.js';
import { waitFor } from '../support/wait.js';
import { bodyText, connectSynced, type TestClient } from '../support/yjs-client.js';

const EGYPT: Actor = { name: 'Amina Hassan', delegation: 'Egypt' };
const USA: Actor = { name: 'John Smith', delegation: 'United States' };
const TEXTS = [
  'Member States shall ensure the security and resilience of international telecommunication networks.',
  'Typed by the first typist: ',
  'Typed by the second typist: ',
];

/** What the comparison is about: every paragraph's text and every bracket record. */
const contentOf = (doc: Y.Doc) => ({
  paragraphs: bodyText(doc.getXmlFragment('default')).split('\n'),
  brackets: doc.getMap(BRACKETS_MAP).toJSON(),
});

/** Backups, restore and check are tools of the SQLite file: these servers keep SQLite even when the suite runs on PostgreSQL. */
const sqliteAdmin = (dataDir: string, ...args: string[]) => runAdmin({ dataDir, storage: 'sqlite' }, ...args);

describe('backup and restore of a running server', () => {
  const servers: ServerProcess[] = [];
  const clients: TestClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    for (const s of servers.splice(0)) await s.stop();
  });
  const start = async (dataDir: string, env?: Record<string, string>) => {
    const s = await startServerProcess({ dataDir, storage: 'sqlite', ...(env ? { env } : {}) });
    servers.push(s);
    return s;
  };
  const connect = async (s: ServerProcess, id: string, token: string) => {
    const c = await connectSynced(s.wsUrl, id, token);
    clients.push(c);
    return c;
  };
  const paragraphOf = (c: TestClient, i: number) => (c.body.get(i) as Y.XmlElement).get(0) as Y.XmlText;

  it('restores what two typists typed, brackets, readings, the account and invitations (links shown again)', async () => {
    const first = await start(tempDataDir());
    const admin = await signInSecretariat(first);
    const id = await admin.createDocument('Backed up while typed');
    const [tokenA, tokenB] = [await admin.token(id), await admin.token(id)];
    const a = await connect(first, id, tokenA!);
    a.body.insert(
      0,
      TEXTS.map((text, i) => {
        const p = new Y.XmlElement('paragraph');
        p.setAttribute(BLOCK_ID_ATTR, `p${i}`);
        p.setAttribute(BLOCK_NUM_ATTR, `${i + 1}.`);
        p.insert(0, [new Y.XmlText(text)]);
        return p;
      }),
    );
    const egyptInvitation = await admin.invite(id, 'delegate', 'Egypt');
    const egypt = await connect(first, id, egyptInvitation.token);
    const usa = await connect(first, id, (await admin.invite(id, 'delegate', 'United States')).token);
    await waitFor(() => egypt.body.length === 3 && usa.body.length === 3, 'the delegations to have the text');
    createBracket(egypt.doc, { paragraphId: 'p0', from: 20, to: 35, actor: EGYPT });
    createBracket(usa.doc, { paragraphId: 'p0', from: 40, to: 52, actor: USA, propose: { text: 'robustness' } });
    await waitFor(() => a.doc.getMap(BRACKETS_MAP).size === 2, 'both brackets to reach the typist');
    const reading = await admin.api(`/api/documents/${id}/readings`, jsonBody('POST', { name: 'Rev.1', note: 'before typing' }));
    expect(reading.status).toBe(201);

    // Two typists, a keystroke every few milliseconds each, for the whole backup and after it.
    const b = await connect(first, id, tokenB!);
    let typed = 0;
    const typing = setInterval(() => {
      paragraphOf(a, 1).insert(paragraphOf(a, 1).length, 'a');
      paragraphOf(b, 2).insert(paragraphOf(b, 2).length, 'b');
      typed++;
    }, 3);
    try {
      await waitFor(() => typed > 30, 'typing to be under way');
      const midTyping = path.join(tempDataDir(), 'mid-typing.sqlite3');
      const backup = await sqliteAdmin(first.dataDir, 'backup', '--out', midTyping);
      expect(backup).toMatchObject({ code: 0, stdout: expect.stringContaining('backup written') });
      const afterBackup = typed;
      await waitFor(() => typed > afterBackup + 30, 'typing to go on after the backup');

      // The copy mid-typing is the database at one instant: each typist's text a prefix of what they typed in the end.
      const restoredDir = tempDataDir();
      expect((await sqliteAdmin(restoredDir, 'restore', midTyping)).code).toBe(0);
      const mid = await start(restoredDir);
      const seen = await connect(mid, id, tokenA!);
      const [, lineA, lineB] = seen.text().split('\n');
      clearInterval(typing);
      await waitFor(() => a.text() === b.text(), 'both typists to see everything');
      const [, finalA, finalB] = a.text().split('\n');
      for (const [restored, final, prefix] of [
        [lineA!, finalA!, TEXTS[1]!],
        [lineB!, finalB!, TEXTS[2]!],
      ] as const) {
        expect(final.startsWith(restored)).toBe(true);
        expect(restored.length).toBeGreaterThan(prefix.length);
        expect(restored.length).toBeLessThan(final.length);
      }
    } finally {
      clearInterval(typing);
    }

    // Once everyone is in step, a backup restores exactly what they see.
    await waitFor(() => a.text() === b.text() && egypt.text() === a.text(), 'every replica to agree');
    const expected = contentOf(a.doc);
    const settled = path.join(tempDataDir(), 'settled.sqlite3');
    expect((await sqliteAdmin(first.dataDir, 'backup', '--out', settled)).code).toBe(0);
    const check = await sqliteAdmin(first.dataDir, 'check', '--file', settled);
    expect(check).toMatchObject({ code: 0, stdout: expect.stringMatching(/^OK .*\d+ documents/m) });
    const readingsBefore = await (await admin.api(`/api/documents/${id}/readings`)).json();
    const invitationsBefore = ((await (await admin.api(`/api/documents/${id}/invitations`)).json()) as { invitations: Array<{ id: string }> }).invitations;

    const restoredDir = tempDataDir();
    const restore = await sqliteAdmin(restoredDir, 'restore', settled);
    expect(restore.code).toBe(0);
    expect(fs.existsSync(path.join(restoredDir, 'invitation-key'))).toBe(true);
    const restored = await start(restoredDir);
    const reader = await connect(restored, id, tokenA!);
    expect(contentOf(reader.doc)).toEqual(expected);
    expect(Object.keys(expected.brackets)).toHaveLength(2);
    expect(expected.paragraphs[1]!.length).toBeGreaterThan(TEXTS[1]!.length + 60);

    const again = await signInSecretariat(restored); // the account, by its password
    expect(await (await again.api(`/api/documents/${id}/readings`)).json()).toEqual(readingsBefore);
    const invitationsAfter = ((await (await again.api(`/api/documents/${id}/invitations`)).json()) as { invitations: Array<{ id: string }> }).invitations;
    expect(invitationsAfter.map((i) => i.id)).toEqual(invitationsBefore.map((i) => i.id));
    const link = await again.api(`/api/documents/${id}/invitations/${egyptInvitation.id}/link`);
    expect(link.status).toBe(200);
    expect(await link.json()).toMatchObject({ token: egyptInvitation.token });
  });

  it('writes scheduled backups, keeps the newest ones of its own and touches nothing else', async () => {
    const backupDir = tempDataDir();
    fs.writeFileSync(path.join(backupDir, 'notes.txt'), 'the secretariat keeps this');
    const server = await start(tempDataDir(), { BACKUP_DIR: backupDir, BACKUP_EVERY_MINUTES: '0.005', BACKUP_KEEP: '2' });
    const written = () => server.logs.filter((l) => l.msg === 'backup written');
    await waitFor(() => written().length >= 4, 'four scheduled backups', 20_000);
    expect(await server.stop()).toBe(0);

    const entries = written();
    for (const entry of entries) {
      expect(entry).toMatchObject({ file: expect.stringMatching(/drafts-.+\.sqlite3$/), bytes: expect.any(Number), ms: expect.any(Number) });
    }
    const kept = fs.readdirSync(backupDir).sort();
    const newest = entries.slice(-2).map((e) => path.basename(String(e.file)));
    expect(kept).toEqual([...newest, 'notes.txt'].sort());
    expect(server.logs.filter((l) => l.msg === 'old backup deleted').length).toBe(entries.length - 2);
    const check = await sqliteAdmin(tempDataDir(), 'check', '--file', path.join(backupDir, newest[1]!));
    expect(check).toMatchObject({ code: 0, stdout: expect.stringContaining('5 documents') });
  });

  it('refuses a non-empty DATA_DIR without --force, a running server\'s even with it, and a file not ours', async () => {
    const server = await start(tempDataDir());
    const backup = path.join(tempDataDir(), 'backup.sqlite3');
    expect((await sqliteAdmin(server.dataDir, 'backup', '--out', backup)).code).toBe(0);

    const refused = await sqliteAdmin(server.dataDir, 'restore', backup);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('is not empty');
    const busy = await sqliteAdmin(server.dataDir, 'restore', backup, '--force');
    expect(busy.code).toBe(1);
    expect(busy.stderr).toContain('open in another process');

    await server.stop();
    const forced = await sqliteAdmin(server.dataDir, 'restore', backup, '--force');
    expect(forced.code).toBe(0);
    const aside = fs.readdirSync(server.dataDir).filter((name) => name.includes('.replaced-'));
    expect(aside.some((name) => name.startsWith('drafts.sqlite3.replaced-'))).toBe(true);
    expect((await sqliteAdmin(server.dataDir, 'check')).code).toBe(0);

    const text = path.join(tempDataDir(), 'notes.sqlite3');
    fs.writeFileSync(text, 'minutes of the meeting, not a database');
    const foreign = await sqliteAdmin(tempDataDir(), 'restore', text);
    expect(foreign.code).toBe(1);
    expect(foreign.stderr.trim()).toMatch(/is not a SQLite database/);
  });
});
