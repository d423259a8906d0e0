import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readZipDirectory, readZipEntry } from '../../server/convert/zip-guard.js';
import { openDatabase } from '../../server/storage/database.js';
import { ErrorBody } from '../../shared/schema/api.js';
import { BLOCK_ID_ATTR, BLOCK_NUM_ATTR } from '../../shared/schema/negotiation.js';
import { Comparison, Reading, ReadingList } from '../../shared/schema/readings.js';
import { BODY_FRAGMENT } from '../../shared/schema/ydoc.js';
import { jsonBody, signInSecretariat, type Admin } from '../support/admin.js';
import { startServerProcess, tempDataDir, type ServerProcess } from '../support/server-process.js';
import { storedDataOf } from '../support/stored-data.js';
import { waitFor } from '../support/wait.js';
import { bodyText, connectSynced, paragraphText, type TestClient } from '../support/yjs-client.js';

const TEXTS = ['Member States shall ensure the security of networks.', 'The old text of paragraph two stands.', 'A third paragraph.'];

function zipPart(file: Buffer, name: string): string {
  const entry = readZipDirectory(file).find((e) => e.name === name);
  return entry ? readZipEntry(file, entry).toString('utf8') : '';
}

/** What Word shows after "accept all changes": inserted runs kept, deleted runs dropped, one line per paragraph. */
function acceptAll(documentXml: string): string[] {
  const accepted = documentXml.replace(/<w:del\b[^>]*>[\s\S]*?<\/w:del>/g, '');
  return [...accepted.matchAll(/<w:p\b[^>]*>([\s\S]*?)<\/w:p>/g)].map(([, inner]) =>
    [...inner!.matchAll(/<w:t\b[^>]*>([^<]*)<\/w:t>/g)].map(([, t]) => t).join(''),
  );
}

const decodeXml = (s: string) => s.replace(/&apos;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** Readings through the real server: issued, listed, compared with attribution, exported, restored, and durable. */
describe('readings of a document, over the HTTP API with stock y-websocket clients', () => {
  const dataDir = tempDataDir();
  let server: ServerProcess;
  let admin: Admin;
  let documentId: string;
  let otherId: string;
  const tokens = {} as Record<'chair' | 'egypt' | 'kenya', string>;
  const clients: TestClient[] = [];
  let rev1: Reading;
  let rev2: Reading;

  const as = (who: keyof typeof tokens | 'secretariat', path: string, init: RequestInit = {}) =>
    who === 'secretariat'
      ? admin.api(path, init)
      : fetch(`${server.url}${path}`, { ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${tokens[who]}` } });
  const readings = `/api/documents/`;
  const connect = async (token: string) => {
    const c = await connectSynced(server.wsUrl, documentId, token);
    clients.push(c);
    return c;
  };
  const messageOf = async (res: Response) => ErrorBody.parse(await res.json()).message;
  const stateText = async (readingId: string) => {
    const res = await as('egypt', `${readings}${documentId}/readings/${readingId}/state`);
    expect(res.headers.get('content-type')).toContain('application/octet-stream');
    const doc = new Y.Doc();
    Y.applyUpdate(doc, new Uint8Array(await res.arrayBuffer()));
    return bodyText(doc.getXmlFragment(BODY_FRAGMENT));
  };

  beforeAll(async () => {
    server = await startServerProcess({ dataDir });
    admin = await signInSecretariat(server);
    documentId = await admin.createDocument('Readings');
    otherId = await admin.createDocument('Another draft');
    tokens.chair = (await admin.invite(documentId, 'chair')).token;
    tokens.egypt = (await admin.invite(documentId, 'delegate', 'Egypt')).token;
    tokens.kenya = (await admin.invite(documentId, 'delegate', 'Kenya')).token;
    const secretariat = await connect(await admin.token(documentId));
    secretariat.body.insert(
      0,
      TEXTS.map((text, i) => {
        const p = new Y.XmlElement('paragraph');
        p.setAttribute(BLOCK_ID_ATTR, `p${i}`);
        p.setAttribute(BLOCK_NUM_ATTR, `3.${i + 1}`);
        p.insert(0, [new Y.XmlText(text)]);
        return p;
      }),
    );
    const watcher = await connect(tokens.chair);
    await waitFor(() => watcher.text() === TEXTS.join('\n'), 'the text to reach the server');
  });

  afterAll(async () => {
    for (const c of clients) c.destroy();
    await server?.stop();
  });

  it('issues Rev.1 with the proposed name, and refuses a delegate', async () => {
    const denied = await as('egypt', `${readings}${documentId}/readings`, { method: 'POST' });
    expect(denied.status).toBe(403);
    const res = await as('chair', `${readings}${documentId}/readings`, jsonBody('POST', { note: 'first reading' }));
    expect(res.status).toBe(201);
    rev1 = Reading.parse(await res.json());
    expect(rev1).toMatchObject({ name: 'Rev.1', note: 'first reading', by: { delegation: 'Chair' } });
    expect(rev1.bytes).toBeGreaterThan(0);
    expect(await stateText(rev1.id)).toBe(TEXTS.join('\n'));
  });

  it('issues Rev.2 after edits by two delegations and refuses bad names', async () => {
    const egypt = await connect(tokens.egypt);
    const kenya = await connect(tokens.kenya);
    paragraphText(egypt, 0).insert(TEXTS[0]!.length - 1, ' as amended by Egypt');
    const two = paragraphText(kenya, 1);
    const old = two.toString().indexOf('old ');
    two.delete(old, 4);
    two.insert(old, 'new ');
    const watcher = await connect(tokens.chair);
    await waitFor(() => watcher.text().includes('amended by Egypt') && watcher.text().includes('new text'), 'both edits to reach the server');

    const post = (body: unknown) => as('chair', `${readings}${documentId}/readings`, jsonBody('POST', body));
    expect((await post({ name: '' })).status).toBe(400);
    expect((await post({ name: 'x'.repeat(61) })).status).toBe(400);
    const taken = await post({ name: 'Rev.1' });
    expect(taken.status).toBe(409);
    expect(await messageOf(taken)).toContain('already a reading');
    const res = await post({ name: 'Rev.2' });
    expect(res.status).toBe(201);
    rev2 = Reading.parse(await res.json());

    const list = ReadingList.parse(await (await as('kenya', `${readings}${documentId}/readings`)).json());
    expect(list.readings.map((r) => r.name)).toEqual(['Rev.1', 'Rev.2']);
    expect(list.nextName).toBe('Rev.3');
    expect((await as('kenya', `${readings}${documentId}/readings/no-such-reading`)).status).toBe(404);
    expect((await as('secretariat', `${readings}${otherId}/readings/${rev1.id}`)).status).toBe(404);
  });

  it('compares Rev.1 with Rev.2: the inserted words carry the delegations that typed them', async () => {
    const res = await as('egypt', `${readings}${documentId}/compare?from=${rev1.id}&to=${rev2.id}`);
    expect(res.status).toBe(200);
    const comparison = Comparison.parse(await res.json());
    expect(comparison.from.name).toBe('Rev.1');
    const inserted = comparison.paragraphs.flatMap((p) => p.pieces.filter((piece) => piece.kind === 'inserted'));
    expect(inserted.find((piece) => piece.text.includes('Egypt'))?.by).toEqual(['Egypt']);
    expect(inserted.find((piece) => piece.text.includes('new'))?.by).toEqual(['Kenya']);

    const live = Comparison.parse(await (await as('egypt', `${readings}${documentId}/compare?from=${rev2.id}&to=live`)).json());
    expect(live.paragraphs.every((p) => p.pieces.every((piece) => piece.kind === 'same'))).toBe(true);
  });

  it('refuses to compare readings of two documents, or an unknown one, with a clear message', async () => {
    const foreign = Reading.parse(await (await admin.api(`${readings}${otherId}/readings`, { method: 'POST' })).json());
    const res = await as('secretariat', `${readings}${documentId}/compare?from=${rev1.id}&to=${foreign.id}`);
    expect(res.status).toBe(400);
    expect(await messageOf(res)).toContain('belongs to another document');
    expect((await as('secretariat', `${readings}${documentId}/compare?from=${rev1.id}&to=nope`)).status).toBe(404);
    expect((await as('secretariat', `${readings}${documentId}/compare?from=${rev1.id}`)).status).toBe(400);
  });

  it('exports Rev.1 → Rev.2 as a Word file with tracked changes by delegation; accepting all gives Rev.2', async () => {
    const res = await as('kenya', `${readings}${documentId}/compare/export?from=${rev1.id}&to=${rev2.id}&format=docx`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain('attachment');
    const xml = zipPart(Buffer.from(await res.arrayBuffer()), 'word/document.xml');
    const authors = (tag: string) => new Set([...xml.matchAll(new RegExp(`<${tag}\\b[^>]*w:author="([^"]*)"`, 'g'))].map(([, a]) => a));
    expect(authors('w:ins')).toEqual(new Set(['Egypt', 'Kenya']));
    expect(authors('w:del')).toEqual(new Set(['Kenya']));
    const accepted = acceptAll(xml).map(decodeXml);
    // Each paragraph with its number, as Rev.2 reads; the file's title comes before them.
    const rev2Lines = (await stateText(rev2.id)).split('\n').map((line, i) => `3.${i + 1} ${line}`);
    expect(rev2Lines[0]).toContain('amended by Egypt');
    const start = accepted.indexOf(rev2Lines[0]!);
    expect(start).toBeGreaterThanOrEqual(0);
    expect(accepted.slice(start)).toEqual(rev2Lines);
  });

  it('exports a reading through the export API with reading=', async () => {
    const res = await as('secretariat', `${readings}${documentId}/export?format=txt&version=bracketed&reading=${rev1.id}`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('old text of paragraph two');
    expect(text).not.toContain('amended by Egypt');
    expect((await as('secretariat', `${readings}${documentId}/export?format=txt&reading=unknown`)).status).toBe(404);
    // An issued reading is for everyone with access to circulate; the live text stays the secretariat's to export.
    const byDelegate = await as('egypt', `${readings}${documentId}/export?format=txt&version=bracketed&reading=${rev1.id}`);
    expect(byDelegate.status).toBe(200);
    expect(await byDelegate.text()).toContain('old text of paragraph two');
    const live = await as('egypt', `${readings}${documentId}/export?format=txt&version=bracketed`);
    expect(live.status).toBe(403);
    expect((await live.json()).message).toMatch(/export a reading instead/);
  });

  it('keeps both readings through a SIGKILL and a restart', async () => {
    for (const c of clients.splice(0)) c.destroy();
    await server.stop('SIGKILL');
    server = await startServerProcess({ dataDir });
    admin = await signInSecretariat(server);
    const list = ReadingList.parse(await (await as('kenya', `${readings}${documentId}/readings`)).json());
    expect(list.readings.map((r) => r.id)).toEqual([rev1.id, rev2.id]);
    expect(await stateText(rev2.id)).toContain('amended by Egypt');
  });

  it('restores Rev.1 as a new change that a connected client sees, keeping every reading', async () => {
    const kenya = await connect(tokens.kenya);
    expect(kenya.text()).toContain('amended by Egypt');
    expect((await as('chair', `${readings}${documentId}/readings/${rev1.id}/restore`, { method: 'POST' })).status).toBe(403);
    const res = await as('secretariat', `${readings}${documentId}/readings/${rev1.id}/restore`, { method: 'POST' });
    expect(res.status).toBe(200);
    expect(Reading.parse(((await res.json()) as { restored: unknown }).restored).id).toBe(rev1.id);
    await waitFor(() => kenya.text() === TEXTS.join('\n'), 'the restored text to reach the client');
    const list = ReadingList.parse(await (await as('kenya', `${readings}${documentId}/readings`)).json());
    expect(list.readings.map((r) => r.name)).toEqual(['Rev.1', 'Rev.2']);
    // Forward: comparing Rev.2 with the live text shows the restore as deletions of Rev.2's words, by the secretariat.
    const back = Comparison.parse(await (await as('kenya', `${readings}${documentId}/compare?from=${rev2.id}&to=live`)).json());
    const pieces = back.paragraphs.flatMap((p) => p.pieces);
    expect(pieces.some((p) => p.kind === 'deleted' && p.text.includes('Egypt'))).toBe(true);
    expect(pieces.find((p) => p.kind === 'inserted' && p.text.includes('old'))?.by).toEqual(['Secretariat']);
  });

  it('restores a reading while nobody is connected, and the next client to join reads it', async () => {
    for (const c of clients.splice(0)) c.destroy();
    expect((await as('secretariat', `${readings}${documentId}/readings/${rev2.id}/restore`, { method: 'POST' })).status).toBe(200);
    const egypt = await connect(tokens.egypt);
    expect(egypt.text()).toBe(await stateText(rev2.id));
  });

  it('exports the comparison as print-friendly HTML', async () => {
    const res = await as('egypt', `${readings}${documentId}/compare/export?from=${rev1.id}&to=${rev2.id}&format=html`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toContain('amended by Egypt');
  });

  it('deletes the readings with their document, and a restore afterwards changes nothing', async () => {
    for (const c of clients.splice(0)) c.destroy();
    expect((await admin.api(`/api/documents/${documentId}`, { method: 'DELETE' })).status).toBe(204);
    expect((await as('secretariat', `${readings}${documentId}/readings`)).status).toBe(404);
    expect((await as('secretariat', `${readings}${documentId}/readings/${rev1.id}/restore`, { method: 'POST' })).status).toBe(404);
    await server.stop();
    const db = storedDataOf(dataDir, () => openDatabase(dataDir));
    try {
      expect(db.prepare('SELECT COUNT(*) AS n FROM readings WHERE document_id = ?').get(documentId)).toEqual({ n: 0 });
      expect(db.prepare('SELECT COUNT(*) AS n FROM readings WHERE document_id = ?').get(otherId)).toEqual({ n: 1 });
    } finally {
      db.close();
    }
  });
});
