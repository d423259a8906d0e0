import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mammoth from 'mammoth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { openDatabase } from '../../server/storage/database.js';
import { DocumentStore } from '../../server/storage/document-store.js';
import { bracketGroups, listBracketGroups, resolveBracket } from '../../shared/model/brackets.js';
import { addAlternative, createBracket } from '../../shared/model/bracket-proposals.js';
import { paragraphStatus, setParagraphStatus } from '../../shared/model/paragraph-status.js';
import { listBlocks } from '../../shared/model/paragraphs.js';
import { DocumentList, DocumentSummary, ErrorBody } from '../../shared/schema/api.js';
import { BRACKET_MARK } from '../../shared/schema/negotiation.js';
import { signInSecretariat, type Admin } from '../support/admin.js';
import { crowdedZip, lyingZip, plainZip, sampleWordDraft, zipBomb } from '../support/docx-fixtures.js';
import { docWithParagraphs } from '../support/model-doc.js';
import { startServerProcess, storageEnv, type ServerProcess } from '../support/server-process.js';
import { waitFor } from '../support/wait.js';
import { connectSynced, type TestClient } from '../support/yjs-client.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const MAX_IMPORT_BYTES = 1024 * 1024;
const EGYPT = { name: 'Amina Hassan', delegation: 'Egypt' };
const USA = { name: 'John Smith', delegation: 'United States' };
const CHAIR = { name: 'Shahira Selim', delegation: 'Chair' };

describe('import and export through the API', () => {
  let server: ServerProcess;
  let admin: Admin;

  beforeAll(async () => {
    // This server keeps SQLite even when the suite runs on PostgreSQL: the export command line reads the SQLite file, and
    // "a document stored by an older version" is written into it.
    server = await startServerProcess({ storage: 'sqlite', env: { MAX_IMPORT_BYTES: String(MAX_IMPORT_BYTES) } });
    admin = await signInSecretariat(server);
  });
  afterAll(async () => {
    await server?.stop();
  });

  function upload(name: string, bytes: Buffer | string, fields: Record<string, string> = {}, field = 'file'): Promise<Response> {
    const form = new FormData();
    for (const [key, value] of Object.entries(fields)) form.append(key, value);
    form.append(field, new Blob([new Uint8Array(typeof bytes === 'string' ? Buffer.from(bytes) : bytes)]), name);
    return admin.api('/api/documents/import', { method: 'POST', body: form });
  }

  async function documentCount(): Promise<number> {
    return DocumentList.parse(await (await admin.api('/api/documents')).json()).documents.length;
  }

  async function expectError(res: Response, status: number, code: string): Promise<string> {
    expect({ status: res.status, type: res.headers.get('content-type') }).toMatchObject({ status, type: expect.stringContaining('application/json') });
    const body = ErrorBody.parse(await res.json());
    expect(body.error).toBe(code);
    expect(body.message).not.toMatch(/at .*\(.*:\d+:\d+\)/);
    return body.message;
  }

  const exportOf = (id: string, query: string) => admin.api(`/api/documents/${id}/export?${query}`);

  describe('import', () => {
    it('creates a document from each format, titled after the file unless a title is given', async () => {
      const files: Array<[string, Buffer | string, string, number]> = [
        ['Report 2026.txt', '1\tIntroduction\n1.1\tFirst paragraph.[footnoteRef:1]\n[1: A note.]\n', 'Report 2026', 2],
        ['notes.md', '# Notes\n\n1.1\tText with **bold**.\n', 'notes', 2],
        ['page.html', '<h1>Heading</h1><p>1.1\tText<script>alert(1)</script></p>', 'page', 2],
        ['draft.docx', await sampleWordDraft(), 'draft', 9],
      ];
      for (const [name, bytes, title, paragraphs] of files) {
        const res = await upload(name, bytes);
        expect(res.status, name).toBe(201);
        const { id } = (await res.json()) as { id: string };
        const summary = DocumentSummary.parse(await (await admin.api(`/api/documents/${id}`)).json());
        expect(summary).toMatchObject({ id, title, paragraphCount: paragraphs });
      }
      const titled = await upload('x.txt', 'Some text', { title: 'EG-ITRs report, final' });
      const { id } = (await titled.json()) as { id: string };
      expect(DocumentSummary.parse(await (await admin.api(`/api/documents/${id}`)).json()).title).toBe('EG-ITRs report, final');
    });

    it('keeps what Word had: numbers, footnotes and the comment, as the export shows', async () => {
      const { id } = (await (await upload('draft.docx', await sampleWordDraft())).json()) as { id: string };
      // The compilation: the text as imported, no status marks (nothing is agreed in a fresh import).
      const res = await exportOf(id, 'format=txt&version=bracketed&comments=1');
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text).toContain('1.1\tThe Group shall review the ITRs every year.[footnoteRef:1] See the ITU site.');
      expect(text).toContain('1.2\tSixth meeting, 19 January 2026.\n\tComment by Shahira Selim (Original document): Link to be inserted');
      expect(text).toContain('[1: Resolution 146 (Rev. Bucharest, 2022).]');
    });

    it('refuses every bad upload with the right status and a message, and creates nothing', async () => {
      const before = await documentCount();
      const word = await sampleWordDraft();
      const cases: Array<[string, () => Promise<Response>, number, string, RegExp]> = [
        ['a PDF', () => upload('report.pdf', '%PDF-1.7 ...'), 415, 'unsupported_media_type', /"\.pdf" files cannot be imported/],
        ['an old .doc', () => upload('report.doc', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])), 415, 'unsupported_media_type', /save it as \.docx/],
        ['a cut-off .docx', () => upload('cut.docx', word.subarray(0, word.length >> 1)), 422, 'unprocessable_entity', /not a valid Word document/],
        ['text named .docx', () => upload('fake.docx', 'just text'), 422, 'unprocessable_entity', /not a Word document/],
        ['a zip that is no Word file', () => upload('archive.docx', plainZip()), 422, 'unprocessable_entity', /without a Word document/],
        ['a zip bomb', () => upload('bomb.docx', zipBomb()), 422, 'unprocessable_entity', /zip bomb/],
        ['a zip that lies about sizes', () => upload('liar.docx', lyingZip()), 422, 'unprocessable_entity', /zip bomb/],
        ['a zip with thousands of parts', () => upload('crowd.docx', crowdedZip()), 422, 'unprocessable_entity', /parts/],
        ['Latin-1 text', () => upload('latin1.txt', Buffer.from('Délégation', 'latin1')), 422, 'unprocessable_entity', /not valid UTF-8/],
        ['an empty file', () => upload('empty.txt', ''), 422, 'unprocessable_entity', /empty/],
        ['too large a file', () => upload('big.txt', 'x'.repeat(MAX_IMPORT_BYTES + 200 * 1024)), 413, 'payload_too_large', /limit is/],
        ['no file', () => admin.api('/api/documents/import', { method: 'POST', body: formOf({ title: 'x' }) }), 400, 'bad_request', /Choose a file/],
        ['the file in another field', () => upload('a.txt', 'text', {}, 'document'), 400, 'bad_request', /field named "file"/],
        ['JSON instead of a form', () => admin.api('/api/documents/import', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }), 415, 'unsupported_media_type', /multipart/],
        ['a title too long', () => upload('a.txt', 'text', { title: 'x'.repeat(201) }), 400, 'bad_request', /at most 200/],
        ['nobody signed in', () => fetch(`${server.url}/api/documents/import`, { method: 'POST', body: formOf({}, ['a.txt', 'text']) }), 401, 'unauthenticated', /Sign in/],
      ];
      for (const [what, send, status, code, message] of cases) {
        const res = await send();
        expect(await expectError(res, status, code), what).toMatch(message);
      }
      expect(await documentCount()).toBe(before);
    });

    it('loaded the seeds through the importer on first start: footnotes, comment, no bookmark', async () => {
      const proposal = await exportOf('itrs-articles-1-4-proposal', 'format=docx');
      const { value: html } = await mammoth.convertToHtml({ buffer: Buffer.from(await proposal.arrayBuffer()) });
      expect([...html.matchAll(/<li id="footnote-\d+">/g)]).toHaveLength(4);
      expect(html).not.toContain('[bookmark');
      const report = await (await exportOf('eg-itrs-final-report', 'format=txt&version=bracketed&comments=1')).text();
      expect(report).toMatch(/\n2\.6\tSixth meeting[^\n]*\n\tComment by Author \(Original document\): Link to be inserted/);
    });
  });

  describe('export', () => {
    let id: string;
    /** One live client per delegation: the server lets each speak only for its own. */
    let egypt: TestClient;
    let usa: TestClient;
    let chair: TestClient;

    beforeAll(async () => {
      const res = await upload('brackets.txt', '1.1\tThe Group shall review the ITRs every year.\n1.2\tMembers thanked the Chair.\n');
      id = ((await res.json()) as { id: string }).id;
      const join = async (role: 'delegate' | 'chair', delegation: string) =>
        connectSynced(server.wsUrl, id, (await admin.invite(id, role, delegation)).token);
      egypt = await join('delegate', EGYPT.delegation);
      usa = await join('delegate', USA.delegation);
      chair = await join('chair', CHAIR.delegation);
    });
    afterAll(() => {
      for (const c of [egypt, usa, chair]) c?.destroy();
    });

    /** Waits until a client has seen the groups in the state wanted. */
    const seen = (client: TestClient, check: (groups: ReturnType<typeof listBracketGroups>) => boolean) =>
      waitFor(() => check(listBracketGroups(client.doc)), 'the change to reach every client');

    it('answers 404 for an unknown document and 400 for a bad query', async () => {
      await expectError(await exportOf('no-such-document', 'format=docx'), 404, 'not_found');
      for (const query of ['format=pdf', 'version=final', 'unresolved=drop', 'comments=yes', 'format=docx&format=txt']) {
        expect(await expectError(await exportOf(id, query), 400, 'bad_request'), query).toMatch(/Invalid request/);
      }
    });

    it('exports the live text: 409 listing the open bracket, then keep, omit and the compilation', async () => {
      const [p11] = listBlocks(egypt.doc);
      const from = 'The Group shall review the ITRs '.length;
      const { groupId } = createBracket(egypt.doc, { paragraphId: p11!.id!, from, to: from + 'every year'.length, actor: EGYPT });
      await seen(usa, (groups) => groups.length === 1);
      addAlternative(usa.doc, { groupId, text: 'every two years', actor: USA });

      const conflict = (await waitFor(async () => {
        const res = await exportOf(id, 'format=docx&version=agreed');
        const body = res.status === 409 ? ((await res.json()) as { open: Array<{ options: unknown[] }> }) : null;
        return body?.open[0]?.options.length === 2 ? body : null;
      }, 'the server to see the bracket'))!;
      expect(conflict).toEqual({
        error: 'unresolved_brackets',
        message: expect.stringMatching(/1 open bracket/),
        open: [
          {
            ref: '1.1',
            paragraphId: p11!.id,
            bracketedBy: ['Egypt'],
            options: [
              { label: 'A', kind: 'original', text: 'every year', proponents: [], supporters: [] },
              { label: 'B', kind: 'text', text: 'every two years', proponents: ['United States'], supporters: [] },
            ],
          },
        ],
      });

      // Nothing is agreed yet: a draft, saying so, each paragraph marked.
      const kept = await (await exportOf(id, 'format=txt&unresolved=keep')).text();
      expect(kept).toContain('Draft text: 0 of 2 paragraphs agreed');
      expect(kept).toContain('This text contains 1 unresolved bracket');
      expect(kept).toContain('1.1\t(Not agreed) The Group shall review the ITRs [every year / every two years (United States)][footnoteRef:1].');
      expect(kept).toContain('[1: Bracketed by Egypt. A (original text) “every year”. B “every two years”: proposed by United States.]');

      const omitted = await (await exportOf(id, 'format=txt&unresolved=omit')).text();
      expect(omitted).toContain('This text leaves out 1 unresolved bracket on which there is no agreement, each marked [...], in: 1.1.');
      expect(omitted).toContain('1.1\t(Not agreed) The Group shall review the ITRs [...].');

      const compilation = await exportOf(id, 'format=docx&version=bracketed');
      expect(compilation.status).toBe(200);
      expect(compilation.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
      expect(compilation.headers.get('content-disposition')).toMatch(/^attachment; filename="brackets \(compilation\) \d{4}-\d{2}-\d{2}\.docx"/);
      const { value: html } = await mammoth.convertToHtml({ buffer: Buffer.from(await compilation.arrayBuffer()) });
      expect(html).toContain('the ITRs <strong>[</strong>every year<strong> / </strong>every two years<strong>]</strong><sup>');
      expect(html).toContain('<li id="footnote-1"><p> Bracketed by Egypt. A (original text) “every year”. B “every two years”: proposed by United States.');
      expect(html).not.toContain('footnote-2');
    });

    it('once resolved and every paragraph agreed, the Word file is the agreed text: the chosen words, no bracket, no mark', async () => {
      await seen(chair, (groups) => groups[0]?.options.length === 2);
      const group = listBracketGroups(chair.doc).find((g) => g.status === 'open')!;
      resolveBracket(chair.doc, { groupId: group.id, outcome: 'chosen', optionId: group.options[1]!.id, actor: CHAIR });
      const draft = (await waitFor(async () => {
        const res = await exportOf(id, 'format=docx&version=agreed');
        return res.status === 200 ? res : null;
      }, 'the agreed export'))!;
      expect(draft.headers.get('content-disposition')).toMatch(/filename="brackets \(draft\) /);

      setParagraphStatus(chair.doc, { paragraphId: listBlocks(chair.doc).map((b) => b.id!), status: 'agreed', actor: CHAIR });
      const agreed = (await waitFor(async () => {
        const res = await exportOf(id, 'format=docx&version=agreed');
        return /filename="brackets \(agreed\) /.test(res.headers.get('content-disposition') ?? '') ? res : null;
      }, 'the server to see the agreements'))!;
      const { value: text } = await mammoth.extractRawText({ buffer: Buffer.from(await agreed.arrayBuffer()) });
      expect(text).toMatch(/^brackets\s+Agreed text\s/);
      expect(text).toContain('1.1\tThe Group shall review the ITRs every two years.');
      expect(text).not.toMatch(/[[\]]|every year\b|Not agreed|Draft/);
    });

    it('from the command line, on the data directory, while the server runs', async () => {
      const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'export-cli-')), 'agreed.txt');
      const ok = await cli([id, '--format', 'txt', '--version', 'agreed', '--comments', '-o', out]);
      expect(ok.code, ok.stderr).toBe(0);
      expect(fs.readFileSync(out, 'utf8')).toMatch(/^brackets\nAgreed text\n[\s\S]*\n1\.1\tThe Group shall review the ITRs every two years\.\n/);

      const unknown = await cli(['no-such-document', '--format', 'docx', '-o', out]);
      expect(unknown).toMatchObject({ code: 1, stderr: expect.stringContaining('No document "no-such-document"') });
      const usage = await cli([id, '--format', 'pdf']);
      expect(usage).toMatchObject({ code: 2, stderr: expect.stringContaining('--format') });

      // 1.2 reopened, and a second bracket, left open: the CLI lists it and exits 3 until told what to do.
      const p12 = listBlocks(usa.doc)[1]!;
      setParagraphStatus(chair.doc, { paragraphId: p12.id!, status: 'open', actor: CHAIR });
      await waitFor(() => paragraphStatus(usa.doc, p12.id!) === 'open', 'the reopening to reach the United States');
      createBracket(usa.doc, { paragraphId: p12.id!, from: 0, to: 'Members'.length, actor: USA });
      const open = (await waitFor(async () => {
        const run = await cli([id, '--format', 'docx', '-o', out]);
        return run.code === 3 ? run : null;
      }, 'the CLI to see the open bracket'))!;
      expect(open.stderr).toContain('1.2: A “Members” (original text)');
      expect(open.stderr).toContain('--unresolved keep');
      const omitted = await cli([id, '--format', 'docx', '--unresolved', 'omit', '-o', out]);
      expect(omitted.code, omitted.stderr).toBe(0);
      expect(fs.readFileSync(out).subarray(0, 2).toString()).toBe('PK');
    });
  });

  describe('a document stored by an older version', () => {
    const legacyId = 'legacy-bracket-draft';
    let stored: Buffer;

    /**
     * A bracket as versions before `bracketedBy` wrote it: Egypt, which
     * bracketed "ensure", recorded as the proponent of the bracketed text,
     * China beside it; the United States proposes "promote".
     */
    function legacyDraft(): Uint8Array {
      const doc = docWithParagraphs([{ num: '1.1', text: 'Member States shall ensure security.' }]);
      const text = listBlocks(doc)[0]!.element.get(0) as Y.XmlText;
      const option = (id: string, proponent: string, supporters: string[]) =>
        new Y.Map<unknown>([
          ['id', id],
          ['kind', 'text'],
          ['proponents', new Y.Map<unknown>([[proponent, { name: 'Delegate', at: '2025-11-01T10:00:00.000Z' }]])],
          ['supporters', new Y.Map<unknown>(supporters.map((d) => [d, { name: 'Delegate', at: '2025-11-01T10:05:00.000Z' }]))],
          ['note', ''],
          ['createdBy', { name: 'Delegate', delegation: proponent }],
          ['createdAt', '2025-11-01T10:00:00.000Z'],
        ]);
      doc.transact(() => {
        const options = new Y.Array<Y.Map<unknown>>();
        options.push([option('a', EGYPT.delegation, ['China']), option('b', USA.delegation, [])]);
        bracketGroups(doc).set(
          'legacy-group',
          new Y.Map<unknown>([
            ['paragraphId', 'p0'],
            ['createdBy', EGYPT],
            ['createdAt', '2025-11-01T10:00:00.000Z'],
            ['status', 'open'],
            ['options', options],
          ]),
        );
        const from = 'Member States shall '.length;
        text.format(from, 'ensure'.length, { [BRACKET_MARK]: { group: 'legacy-group', option: 'a' } });
        text.insert(from + 'ensure'.length, 'promote', { [BRACKET_MARK]: { group: 'legacy-group', option: 'b' } });
      });
      return Y.encodeStateAsUpdate(doc);
    }

    /** What the database holds for it (the server's own, shared through SQLite's WAL). */
    function storedState(): Buffer {
      const db = openDatabase(server.dataDir);
      try {
        return Buffer.from(new DocumentStore(db).load(legacyId).update);
      } finally {
        db.close();
      }
    }

    beforeAll(() => {
      const db = openDatabase(server.dataDir);
      try {
        new DocumentStore(db).create({ id: legacyId, title: 'Legacy draft', content: legacyDraft(), paragraphCount: 1 });
      } finally {
        db.close();
      }
      stored = storedState();
    });

    const COMPILED = '1.1\tMember States shall [ensure / promote (United States)][footnoteRef:1] security.';
    const NOTE = '[1: Bracketed by Egypt. A (original text) “ensure”: supported by China. B “promote”: proposed by United States.]';

    it('exports in the current format, the stored document left as it was', async () => {
      const res = await exportOf(legacyId, 'format=txt&version=bracketed');
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text).toContain(COMPILED);
      expect(text).toContain(NOTE);
      const conflict = (await (await exportOf(legacyId, 'format=txt')).json()) as { open: Array<{ options: unknown[] }> };
      expect(conflict.open[0]!.options).toEqual([
        { label: 'A', kind: 'original', text: 'ensure', proponents: [], supporters: ['China'] },
        { label: 'B', kind: 'text', text: 'promote', proponents: ['United States'], supporters: [] },
      ]);
      // An export reads; it never writes the migration back.
      expect(storedState().equals(stored)).toBe(true);
    });

    it('and so does the command line', async () => {
      const run = await cli([legacyId, '--format', 'txt', '--version', 'bracketed', '-o', '-']);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain(COMPILED);
      expect(run.stdout).toContain(NOTE);
      const open = await cli([legacyId, '--format', 'txt', '-o', '-']);
      expect(open.code).toBe(3);
      expect(open.stderr).toContain('1.1: A “ensure” (original text) / B “promote” (United States)');
      expect(storedState().equals(stored)).toBe(true);
    });
  });

  function formOf(fields: Record<string, string>, file?: [string, string]): FormData {
    const form = new FormData();
    for (const [key, value] of Object.entries(fields)) form.append(key, value);
    if (file) form.append('file', new Blob([file[1]]), file[0]);
    return form;
  }

  function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli/export.ts', ...args, '--data-dir', server.dataDir], {
        cwd: ROOT,
        // The server of these tests keeps SQLite in every mode of the suite: so does the export reading its directory.
        env: storageEnv(server.dataDir, 'sqlite'),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.on('exit', (code) => resolve({ code, stdout, stderr }));
    });
  }
});
