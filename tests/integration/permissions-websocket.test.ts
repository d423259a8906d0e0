import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { listBracketGroups, resolveBracket } from '../../shared/model/brackets.js';
import { addAlternative, createBracket, supportOption } from '../../shared/model/bracket-proposals.js';
import { addThread, editComment, listThreads } from '../../shared/model/comments.js';
import { setParagraphStatus } from '../../shared/model/paragraph-status.js';
import { CloseCode } from '../../shared/protocol/constants.js';
import { BLOCK_ID_ATTR, BLOCK_NUM_ATTR, BRACKET_MARK, type Actor } from '../../shared/schema/negotiation.js';
import type { Role } from '../../shared/schema/roles.js';
import { signInSecretariat, type Admin } from '../support/admin.js';
import { collectDenials } from '../support/denials.js';
import { digest } from '../support/digest.js';
import { openRaw } from '../support/raw-socket.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { storedDataOf } from '../support/stored-data.js';
import { waitFor } from '../support/wait.js';
import { connectSynced, paragraphText, type TestClient } from '../support/yjs-client.js';
import Database from 'better-sqlite3';
import path from 'node:path';

const EGYPT: Actor = { name: 'Egypt', delegation: 'Egypt' };
const USA: Actor = { name: 'United States', delegation: 'United States' };
const CHAIR: Actor = { name: 'Chair', delegation: 'Chair' };
const COMMENTER: Actor = { name: 'Commenter', delegation: 'Commenter' };

describe('every update is checked against the sender role, over the websocket', () => {
  let server: ServerProcess;
  let admin: Admin;
  let documentId: string;
  let watcher: TestClient;
  const tokens = {} as Record<'chair' | 'egypt' | 'usa' | 'commenter' | 'observer' | 'secretariat', string>;
  const clients: TestClient[] = [];
  const connect = async (token: string) => {
    const c = await connectSynced(server.wsUrl, documentId, token);
    clients.push(c);
    return c;
  };
  let groupId = '';

  beforeAll(async () => {
    server = await startServerProcess();
    admin = await signInSecretariat(server);
    documentId = await admin.createDocument('Permissions');
    const invite = async (role: Role, delegation?: string) => (await admin.invite(documentId, role, delegation)).token;
    tokens.secretariat = await invite('secretariat');
    tokens.chair = await invite('chair');
    tokens.egypt = await invite('delegate', 'Egypt');
    tokens.usa = await invite('delegate', 'United States');
    tokens.commenter = await invite('commenter');
    tokens.observer = await invite('observer');

    // The starting point, built through the real server by the people allowed to.
    const secretariat = await connect(tokens.secretariat);
    secretariat.body.insert(
      0,
      ['Member States shall ensure security of networks.', 'Agreed text of paragraph two.', 'Open paragraph three.', 'Open paragraph four.'].map(
        (text, i) => {
          const p = new Y.XmlElement('paragraph');
          p.setAttribute(BLOCK_ID_ATTR, `p${i}`);
          p.setAttribute(BLOCK_NUM_ATTR, String(i + 1));
          p.insert(0, [new Y.XmlText(text)]);
          return p;
        },
      ),
    );
    const chair = await connect(tokens.chair);
    await waitFor(() => chair.body.length === 4, 'the chair to see the paragraphs');
    setParagraphStatus(chair.doc, { paragraphId: 'p1', status: 'agreed', actor: CHAIR });
    const egypt = await connect(tokens.egypt);
    await waitFor(() => egypt.body.length === 4, 'egypt to see the paragraphs');
    groupId = createBracket(egypt.doc, { paragraphId: 'p0', from: 20, to: 26, actor: EGYPT }).groupId;
    addThread(egypt.doc, { paragraphId: 'p2', text: 'Egypt has concerns', actor: EGYPT });
    const usa = await connect(tokens.usa);
    await waitFor(() => listBracketGroups(usa.doc).length === 1 && listThreads(usa.doc).length === 1, 'usa to see the bracket');
    addAlternative(usa.doc, { groupId, text: 'promote', actor: USA });
    addThread(usa.doc, { paragraphId: 'p3', text: 'United States comment', actor: USA });

    watcher = await connect(tokens.secretariat);
    await waitFor(() => listThreads(watcher.doc).length === 2 && listBracketGroups(watcher.doc)[0]?.options.length === 2, 'the setup to settle');
  });

  afterAll(async () => {
    for (const c of clients) c.destroy();
    await server.stop();
  });

  type Case = { who: keyof typeof tokens; does: string; run: (c: TestClient) => void; accepted: boolean; because?: RegExp };
  const option = (c: TestClient, label: string) => listBracketGroups(c.doc)[0]!.options.find((o) => o.label === label)!.id;
  const usaThread = (c: TestClient) => listThreads(c.doc).find((t) => t.paragraphId === 'p3')!;

  const cases: Case[] = [
    { who: 'observer', does: 'append a paragraph', accepted: false, because: /Observers/, run: (c) => c.body.push([new Y.XmlElement('paragraph')]) },
    { who: 'observer', does: 'comment', accepted: false, because: /Observers/, run: (c) => addThread(c.doc, { paragraphId: 'p2', text: 'x', actor: { name: 'O', delegation: 'Observer' } }) },
    { who: 'commenter', does: 'edit the body', accepted: false, because: /commenter\) cannot edit/, run: (c) => paragraphText(c, 2).insert(0, 'commenter was here ') },
    { who: 'commenter', does: 'set a paragraph status', accepted: false, because: /status of a paragraph/, run: (c) => setParagraphStatus(c.doc, { paragraphId: 'p2', status: 'agreed', actor: COMMENTER }) },
    { who: 'egypt', does: 'resolve a bracket', accepted: false, because: /resolve or remove brackets/, run: (c) => resolveBracket(c.doc, { groupId, outcome: 'chosen', optionId: option(c, 'A'), actor: EGYPT }) },
    { who: 'egypt', does: 'strip the bracket marks from the text', accepted: false, because: /remove brackets/, run: (c) => paragraphText(c, 0).format(0, 40, { [BRACKET_MARK]: null }) },
    { who: 'egypt', does: 'bracket text in the name of the United States', accepted: false, because: /speak for Egypt/, run: (c) => createBracket(c.doc, { paragraphId: 'p3', from: 0, to: 4, actor: USA }) },
    { who: 'egypt', does: 'support an option in the name of the United States', accepted: false, because: /speak for Egypt/, run: (c) => supportOption(c.doc, { groupId, optionId: option(c, 'A'), actor: USA }) },
    { who: 'egypt', does: 'edit an agreed paragraph', accepted: false, because: /Paragraph 2 is agreed/, run: (c) => paragraphText(c, 1).insert(5, 'not so ') },
    { who: 'egypt', does: 'delete an agreed paragraph', accepted: false, because: /Paragraph 2 is agreed/, run: (c) => c.body.delete(1, 1) },
    { who: 'egypt', does: 'mark a paragraph agreed', accepted: false, because: /status of a paragraph/, run: (c) => setParagraphStatus(c.doc, { paragraphId: 'p2', status: 'agreed', actor: EGYPT }) },
    { who: 'egypt', does: 'edit a comment of the United States', accepted: false, because: /Only its author/, run: (c) => { const t = usaThread(c); editComment(c.doc, { threadId: t.id, messageId: t.messages[0]!.id, text: 'rewritten', actor: USA }); } },
    { who: 'chair', does: 'bracket text in the name of Egypt', accepted: false, because: /speak for Chair/, run: (c) => createBracket(c.doc, { paragraphId: 'p3', from: 5, to: 14, actor: EGYPT }) },
    {
      who: 'egypt',
      does: 'credit itself as proponent of the text it brackets',
      accepted: false,
      because: /original text has no proponents/,
      run: (c) =>
        c.doc.transact(() => {
          const { groupId: id, optionId } = createBracket(c.doc, { paragraphId: 'p3', from: 0, to: 4, actor: EGYPT });
          const options = (c.doc.getMap('brackets').get(id) as Y.Map<unknown>).get('options') as Y.Array<Y.Map<unknown>>;
          const original = options.toArray().find((o) => o.get('id') === optionId)!;
          (original.get('proponents') as Y.Map<unknown>).set('Egypt', { name: 'Egypt', at: new Date().toISOString() });
        }),
    },
    { who: 'chair', does: 'support an option', accepted: false, because: /take no positions/, run: (c) => supportOption(c.doc, { groupId, optionId: option(c, 'B'), actor: CHAIR }) },
    { who: 'egypt', does: 'edit an open paragraph', accepted: true, run: (c) => paragraphText(c, 2).insert(0, 'Egypt: ') },
    {
      who: 'egypt',
      does: 'type plain text right after a bracket, as the editor does',
      accepted: true,
      run: (c) => {
        const end = paragraphText(c, 0).toDelta().findIndex((op: { attributes?: object }) => op.attributes) + 2;
        const runs = paragraphText(c, 0).toDelta() as Array<{ insert: string }>;
        const offset = runs.slice(0, end).reduce((n, op) => n + op.insert.length, 0);
        paragraphText(c, 0).insert(offset, ' plain', {});
      },
    },
    {
      who: 'egypt',
      does: 'type inside the option of the United States',
      accepted: false,
      because: /wording of United States/,
      run: (c) => {
        const ops = paragraphText(c, 0).toDelta() as Array<{ insert: string; attributes?: Record<string, unknown> }>;
        const i = ops.findIndex((op) => op.attributes && listBracketGroups(c.doc)[0]!.options[1]!.id === (op.attributes[BRACKET_MARK] as { option: string }).option);
        const offset = ops.slice(0, i).reduce((n, op) => n + op.insert.length, 0) + 2;
        paragraphText(c, 0).insert(offset, 'XX', ops[i]!.attributes);
      },
    },
    { who: 'egypt', does: 'support the option of the United States', accepted: true, run: (c) => supportOption(c.doc, { groupId, optionId: option(c, 'B'), actor: EGYPT }) },
    { who: 'egypt', does: 'bracket text as its own proposal', accepted: true, run: (c) => createBracket(c.doc, { paragraphId: 'p3', from: 0, to: 4, actor: EGYPT }) },
    {
      who: 'usa',
      does: 'take back the bracket Egypt proposed',
      accepted: false,
      because: /resolve or remove brackets/,
      run: (c) => {
        const group = listBracketGroups(c.doc).find((g) => g.options.length === 1 && g.bracketedBy[0]?.delegation === 'Egypt')!;
        c.doc.transact(() => {
          c.doc.getMap('brackets').delete(group.id);
          paragraphText(c, 3).format(0, 20, { [BRACKET_MARK]: null });
        });
      },
    },
    { who: 'commenter', does: 'comment', accepted: true, run: (c) => addThread(c.doc, { paragraphId: 'p2', text: 'A remark', actor: COMMENTER }) },
    { who: 'chair', does: 'edit an agreed paragraph', accepted: true, run: (c) => paragraphText(c, 1).insert(0, 'Chair: ') },
    { who: 'chair', does: 'resolve a bracket', accepted: true, run: (c) => resolveBracket(c.doc, { groupId, outcome: 'chosen', optionId: option(c, 'B'), actor: CHAIR }) },
  ];

  for (const { who, does, run, accepted, because } of cases) {
    it(`${accepted ? 'lets' : 'refuses'} ${who}: ${does}`, async () => {
      const before = digest(watcher.doc);
      const client = await connect(tokens[who]);
      const denials = collectDenials(client);
      run(client);
      if (accepted) {
        await waitFor(() => JSON.stringify(digest(watcher.doc)) !== JSON.stringify(before), 'the change to reach the others');
        expect(denials).toEqual([]);
      } else {
        await waitFor(() => denials.length > 0, 'the refusal');
        expect(denials[0]).toMatch(because!);
        const fresh = await connect(tokens.secretariat);
        expect(digest(fresh.doc)).toEqual(before);
        expect(digest(watcher.doc)).toEqual(before);
        expect(server.logs.some((l) => l.msg === 'update refused' && l.delegation !== undefined && l.reason === denials[0])).toBe(true);
      }
      client.destroy();
    });
  }

  it('lets a delegation undo its own new bracket (Ctrl+Z)', async () => {
    const egypt = await connect(tokens.egypt);
    const denials = collectDenials(egypt);
    const undo = new Y.UndoManager([egypt.body, egypt.doc.getMap('brackets')], { trackedOrigins: new Set(['ui']) });
    const { groupId: created } = createBracket(egypt.doc, { paragraphId: 'p2', from: 0, to: 5, actor: EGYPT }, 'ui');
    await waitFor(() => listBracketGroups(watcher.doc).some((g) => g.id === created), 'the bracket to reach the others');
    const withBracket = digest(watcher.doc);
    undo.undo();
    await waitFor(() => !listBracketGroups(watcher.doc).some((g) => g.id === created), 'the undo to reach the others');
    expect(denials).toEqual([]);
    expect(digest(watcher.doc)).not.toEqual(withBracket);
    egypt.destroy();
  });

  it('closes connections without credentials (4401), for another document (4403), from a foreign page (4403)', async () => {
    const otherDoc = await admin.createDocument('Another meeting');
    const otherToken = (await admin.invite(otherDoc, 'delegate', 'Egypt')).token;
    const cases: Array<[string | undefined, Record<string, string>, number]> = [
      [undefined, {}, CloseCode.Unauthenticated],
      ['not-a-real-token-but-long-enough', {}, CloseCode.Unauthenticated],
      [otherToken, {}, CloseCode.Forbidden],
      [tokens.egypt, { origin: 'http://evil.example' }, CloseCode.Forbidden],
    ];
    for (const [token, headers, code] of cases) {
      const { closed } = await openRaw(server.wsUrl, documentId, token, headers);
      expect((await closed).code).toBe(code);
    }
  });

  it('refuses expired and revoked invitations, and disconnects the holder of a revoked one', async () => {
    const revoked = await admin.invite(documentId, 'delegate', 'Kenya');
    const holder = await connect(revoked.token);
    let closeCode = 0;
    holder.provider.on('connection-close', (event) => (closeCode ||= event?.code ?? 0));
    expect((await admin.api(`/api/documents/${documentId}/invitations/${revoked.id}`, { method: 'DELETE' })).status).toBe(200);
    await waitFor(() => closeCode === CloseCode.Forbidden, 'the revoked holder to be disconnected');
    const again = await openRaw(server.wsUrl, documentId, revoked.token);
    expect((await again.closed).code).toBe(CloseCode.Unauthenticated);

    const expiring = await admin.invite(documentId, 'delegate', 'Brazil', { expiresInHours: 1 });
    // Time passes: the invitation's expiry is moved into the past in the real database.
    const db = storedDataOf(server.dataDir, () => new Database(path.join(server.dataDir, 'drafts.sqlite3')));
    db.prepare('UPDATE invitations SET expires_at = ? WHERE id = ?').run('2000-01-01T00:00:00.000Z', expiring.id);
    db.close();
    const expired = await openRaw(server.wsUrl, documentId, expiring.token);
    const { code, reason } = await expired.closed;
    expect(code).toBe(CloseCode.Unauthenticated);
    expect(reason).toContain('expired');
  });
});
