import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import mammoth from 'mammoth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listBracketGroups } from '../../shared/model/brackets.js';
import { listThreads, reply } from '../../shared/model/comments.js';
import { DocumentList, DocumentSummary } from '../../shared/schema/api.js';
import { signInSecretariat, type Admin } from '../support/admin.js';
import { ANNEX, COMMENT, EXPECTED_DAMAGE, GOOD_MESSAGE, REPLY } from '../support/poisoned-doc.js';
import { startWithPoisonedDocument } from '../support/poisoned-server.js';
import { storageEnv, type ServerProcess } from '../support/server-process.js';
import { waitFor } from '../support/wait.js';
import { connectSynced, type TestClient } from '../support/yjs-client.js';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const TOTAL_DAMAGE = Object.values(EXPECTED_DAMAGE).flat().length;

/** A document whose stored state holds damaged records: the server still lists, exports and syncs it. */
describe('a document with damaged records, through the real server', () => {
  let server: ServerProcess;
  let admin: Admin;
  let documentId = '';
  let token = '';
  const clients: TestClient[] = [];

  beforeAll(async () => {
    ({ server, documentId, token } = await startWithPoisonedDocument());
    admin = await signInSecretariat(server);
  });
  afterAll(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await server?.stop();
  });

  const exportOf = (query: string) => admin.api(`/api/documents/${documentId}/export?${query}`);
  const damageLogged = () => server.logs.filter((l) => l.msg === 'damaged record skipped' && l.documentId === documentId);

  it('lists the document and its summary', async () => {
    const list = DocumentList.parse(await (await admin.api('/api/documents')).json());
    expect(list.documents.map((d) => d.id)).toContain(documentId);
    const res = await admin.api(`/api/documents/${documentId}`);
    expect(res.status).toBe(200);
    expect(DocumentSummary.parse(await res.json()).title).toBe('Poisoned draft');
  });

  it('exports every format with the valid content, and logs each damaged record once', async () => {
    for (const format of ['txt', 'md', 'html', 'docx']) {
      for (const query of ['version=agreed&unresolved=keep&comments=1', 'version=agreed&unresolved=omit', 'version=bracketed&comments=1']) {
        const res = await exportOf(`format=${format}&${query}`);
        expect(res.status, `${format} ${query}`).toBe(200);
        const bytes = Buffer.from(await res.arrayBuffer());
        const text = format === 'docx' ? (await mammoth.extractRawText({ buffer: bytes })).value : bytes.toString('utf8');
        expect(text, `${format} ${query}`).toContain('Members praised the Chair.');
        expect(text, `${format} ${query}`).toContain(ANNEX);
        if (format !== 'docx' && query.includes('comments=1')) expect(text, `${format} ${query}`).toContain(COMMENT);
      }
    }
    // Twelve exports, and still one line per damaged entry.
    const logged = damageLogged();
    expect(logged).toHaveLength(TOTAL_DAMAGE);
    expect(logged.map((l) => l.id)).toEqual(expect.arrayContaining(['empty-group', 'string-thread', 'p-map', 'mixed/option 5']));
    expect(logged.every((l) => l.level === 40)).toBe(true);
  });

  it('refuses an agreed export with open brackets, listing only the readable ones', async () => {
    const res = await exportOf('format=txt');
    expect(res.status).toBe(409);
    const body = (await res.json()) as { open: Array<{ ref: string }> };
    expect(body.open.map((g) => g.ref)).toEqual(['1.1', '2.1']);
    expect(damageLogged()).toHaveLength(TOTAL_DAMAGE);
  });

  it('syncs stock clients, which read the valid records and keep exchanging changes', async () => {
    const a = await connectSynced(server.wsUrl, documentId, token);
    const b = await connectSynced(server.wsUrl, documentId, token);
    clients.push(a, b);
    expect(a.text()).toContain(ANNEX);
    expect(listBracketGroups(a.doc)).toHaveLength(3);
    const threads = listThreads(a.doc);
    expect(threads.map((t) => t.messages.map((m) => m.text))).toEqual([[GOOD_MESSAGE], [COMMENT, REPLY]]);

    const thread = threads.find((t) => t.messages.length === 2)!;
    reply(a.doc, { threadId: thread.id, text: 'Still live.', actor: { name: 'Secretariat', delegation: 'Secretariat' } });
    await waitFor(
      () => listThreads(b.doc).find((t) => t.id === thread.id)?.messages.some((m) => m.text === 'Still live.'),
      'the reply to reach the other client',
    );
  });

  it('exports from the command line too, warning about what it skipped', async () => {
    const { stdout, stderr } = await run(
      process.execPath,
      ['--import', 'tsx', 'server/cli/export.ts', documentId, '--format', 'txt', '--version', 'bracketed', '-o', '-', '--data-dir', server.dataDir],
      // The poisoned server keeps SQLite in every mode of the suite: so does the export reading its directory.
      { cwd: ROOT, env: storageEnv(server.dataDir, 'sqlite') },
    );
    expect(stdout).toContain(ANNEX);
    expect(stderr).toContain('Warning: 13 damaged bracket records were skipped: empty-group');
    expect(stderr).toContain('Warning: 4 damaged bracket marks in the text were ignored: p3');
  });
});
