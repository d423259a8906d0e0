import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { listBracketGroups } from '../../shared/model/brackets.js';
import { createBracket } from '../../shared/model/bracket-proposals.js';
import { setDraftingMode } from '../../shared/model/drafting-mode.js';
import { paragraphStatus, setParagraphStatus } from '../../shared/model/paragraph-status.js';
import { BLOCK_ID_ATTR, BLOCK_NUM_ATTR, BRACKET_MARK, BRACKETS_MAP, type Actor } from '../../shared/schema/negotiation.js';
import type { Role } from '../../shared/schema/roles.js';
import { openDatabase } from '../../server/storage/database.js';
import { DocumentStore } from '../../server/storage/document-store.js';
import { signInSecretariat, type Admin } from '../support/admin.js';
import { collectDenials } from '../support/denials.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { storedDataOf } from '../support/stored-data.js';
import { waitFor } from '../support/wait.js';
import { connectSynced, paragraphText, type TestClient } from '../support/yjs-client.js';

const EGYPT: Actor = { name: 'Egypt', delegation: 'Egypt' };
const CHAIR: Actor = { name: 'Chair', delegation: 'Chair' };
const SECRETARIAT: Actor = { name: 'Secretariat', delegation: 'Secretariat' };

/** Stock y-websocket clients through the real server: the record of who proposed and agreed what holds whatever they send. */
describe('negotiation-grade attribution, over the websocket', () => {
  let server: ServerProcess;
  let admin: Admin;
  let documentId: string;
  const tokens = {} as Record<'secretariat' | 'chair' | 'egypt', string>;
  const clients: TestClient[] = [];
  const connect = async (who: keyof typeof tokens) => {
    const c = await connectSynced(server.wsUrl, documentId, tokens[who]);
    clients.push(c);
    return c;
  };
  const refusalOf = async (client: TestClient, change: () => void) => {
    const denials = collectDenials(client);
    change();
    await waitFor(() => denials.length > 0, 'the refusal');
    return denials[0]!;
  };

  beforeAll(async () => {
    server = await startServerProcess();
    admin = await signInSecretariat(server);
    documentId = await admin.createDocument('Attribution');
    const invite = async (role: Role, delegation?: string) => (await admin.invite(documentId, role, delegation)).token;
    tokens.secretariat = await invite('secretariat');
    tokens.chair = await invite('chair');
    tokens.egypt = await invite('delegate', 'Egypt');
    const secretariat = await connect('secretariat');
    secretariat.body.insert(
      0,
      ['Member States shall ensure security of networks.', 'Open paragraph two.', 'Open paragraph three.'].map((text, i) => {
        const p = new Y.XmlElement('paragraph');
        p.setAttribute(BLOCK_ID_ATTR, `p${i}`);
        p.setAttribute(BLOCK_NUM_ATTR, `3.${i + 1}`);
        p.insert(0, [new Y.XmlText(text)]);
        return p;
      }),
    );
  });

  afterAll(async () => {
    for (const c of clients) c.destroy();
    await server?.stop();
  });

  it('refuses an agreement made offline on text that changed meanwhile, and tells the chair', async () => {
    const chair = await connect('chair');
    const egypt = await connect('egypt');
    chair.provider.disconnect();
    paragraphText(egypt, 1).insert(0, 'Amended. ');
    const watcher = await connect('secretariat');
    await waitFor(() => paragraphText(watcher, 1).toString().startsWith('Amended.'), 'the edit to reach the server');
    // The chair, offline, agrees 3.2 as it saw it; back online, the agreement reaches the server second.
    setParagraphStatus(chair.doc, { paragraphId: 'p1', status: 'agreed', actor: CHAIR });
    const reason = await refusalOf(chair, () => chair.provider.connect());
    expect(reason).toBe('3.2 changed since you looked: review and agree again');
    const fresh = await connect('secretariat');
    expect(paragraphStatus(fresh.doc, 'p1')).toBe('open');
  });

  it('refuses a delegate’s raw edits in proposals and pen-holder modes, and accepts proposals', async () => {
    const secretariat = await connect('secretariat');
    setDraftingMode(secretariat.doc, { mode: 'proposals', actor: SECRETARIAT });
    const egypt = await connect('egypt');
    await waitFor(() => egypt.doc.getMap('settings').has('draftingMode'), 'the mode to reach Egypt');
    expect(await refusalOf(egypt, () => paragraphText(egypt, 2).insert(0, 'Raw words. '))).toMatch(/In proposals mode/);

    const proposer = await connect('egypt');
    const denials = collectDenials(proposer);
    createBracket(proposer.doc, { paragraphId: 'p2', from: 5, to: 14, actor: EGYPT, propose: { text: '' } });
    const watcher = await connect('secretariat');
    await waitFor(() => listBracketGroups(watcher.doc).some((g) => g.options.some((o) => o.kind === 'delete' && o.proponents.includes('Egypt'))), 'the deletion proposal');
    expect(denials).toEqual([]);

    setDraftingMode(secretariat.doc, { mode: 'pen-holder', actor: SECRETARIAT });
    const late = await connect('egypt');
    await waitFor(() => (late.doc.getMap('settings').get('draftingMode') as { mode: string }).mode === 'pen-holder', 'pen-holder mode');
    expect(await refusalOf(late, () => paragraphText(late, 0).insert(0, 'Raw. '))).toMatch(/holds the pen/);
    const chair = await connect('chair');
    const chairDenials = collectDenials(chair);
    paragraphText(chair, 0).insert(0, 'Chair. ');
    await waitFor(() => paragraphText(watcher, 0).toString().startsWith('Chair. '), "the chair's edit");
    expect(chairDenials).toEqual([]);
    setDraftingMode(secretariat.doc, { mode: 'open', actor: SECRETARIAT });
  });
});

describe('documents stored by an older version', () => {
  it('are migrated once at load: the bracketing delegation is no longer the proponent of the original text', async () => {
    const first = await startServerProcess();
    const admin = await signInSecretariat(first);
    const id = await admin.createDocument('Legacy');
    const dataDir = first.dataDir;
    await first.stop();

    // As the version before `bracketedBy` stored it: Egypt's option A is the text Egypt bracketed.
    // Written into the stored data itself (the SQLite file, or the schema when the suite runs on PostgreSQL).
    const db = storedDataOf(dataDir, () => openDatabase(dataDir));
    const store = new DocumentStore(db);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, store.load(id).update);
    const before = Y.encodeStateVector(doc);
    doc.transact(() => {
      const p = new Y.XmlElement('paragraph');
      p.setAttribute(BLOCK_ID_ATTR, 'p0');
      p.insert(0, [new Y.XmlText('Member States shall ensure security.')]);
      doc.getXmlFragment('default').insert(0, [p]);
      const option = new Y.Map<unknown>([
        ['id', 'a'],
        ['kind', 'text'],
        ['proponents', new Y.Map<unknown>([['Egypt', { name: 'Egypt', at: '2026-11-01T10:00:00.000Z' }]])],
        ['supporters', new Y.Map<unknown>()],
        ['note', ''],
        ['createdBy', EGYPT],
        ['createdAt', '2026-11-01T10:00:00.000Z'],
      ]);
      const options = new Y.Array<Y.Map<unknown>>();
      options.push([option]);
      doc.getMap(BRACKETS_MAP).set(
        'g',
        new Y.Map<unknown>([
          ['paragraphId', 'p0'],
          ['createdBy', EGYPT],
          ['createdAt', '2026-11-01T10:00:00.000Z'],
          ['status', 'open'],
          ['options', options],
        ]),
      );
      (p.get(0) as Y.XmlText).format(20, 6, { [BRACKET_MARK]: { group: 'g', option: 'a' } });
    });
    store.append(id, Y.encodeStateAsUpdate(doc, before));
    db.close();

    const second = await startServerProcess({ dataDir });
    try {
      const token = (await (await signInSecretariat(second)).invite(id, 'delegate', 'Kenya')).token;
      const client = await connectSynced(second.wsUrl, id, token);
      const raw = (client.doc.getMap(BRACKETS_MAP).get('g') as Y.Map<unknown>).toJSON();
      expect(raw.bracketedBy).toHaveProperty(['Egypt']);
      expect(raw.options[0]).toMatchObject({ kind: 'original', proponents: {} });
      expect(second.logs.filter((l) => l.msg === 'document migrated to the current format')).toHaveLength(1);
      client.destroy();
    } finally {
      await second.stop();
    }
    const third = await startServerProcess({ dataDir });
    try {
      const token = (await (await signInSecretariat(third)).invite(id, 'delegate', 'Brazil')).token;
      const client = await connectSynced(third.wsUrl, id, token);
      expect(listBracketGroups(client.doc)[0]!.bracketedBy.map((b) => b.delegation)).toEqual(['Egypt']);
      // Idempotent: the stored document is already in the current format.
      expect(third.logs.some((l) => l.msg === 'document migrated to the current format')).toBe(false);
      client.destroy();
    } finally {
      await third.stop();
    }
  });
});
