import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { listBracketGroups } from '../../shared/model/brackets.js';
import { addAlternative, createBracket } from '../../shared/model/bracket-proposals.js';
import { addThread, listThreads, reply } from '../../shared/model/comments.js';
import { BLOCK_ID_ATTR, BLOCK_NUM_ATTR, type Actor } from '../../shared/schema/negotiation.js';
import { signInSecretariat } from '../support/admin.js';
import { collectDenials } from '../support/denials.js';
import { digest } from '../support/digest.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { waitFor } from '../support/wait.js';
import { connectSynced, type TestClient } from '../support/yjs-client.js';

const EGYPT: Actor = { name: 'Amina Hassan', delegation: 'Egypt' };
const USA: Actor = { name: 'John Smith', delegation: 'United States' };
const TEXT = 'Member States shall ensure the security and resilience of international telecommunication networks.';

/**
 * Two delegations working on the same words at the same moment, through the
 * real server: each acts on its own replica before seeing the other's change.
 */
describe('concurrent negotiation through the server', () => {
  let server: ServerProcess;
  let egypt: TestClient;
  let usa: TestClient;
  let documentId: string;
  const same = () => JSON.stringify(digest(egypt.doc)) === JSON.stringify(digest(usa.doc));

  beforeAll(async () => {
    server = await startServerProcess();
    const admin = await signInSecretariat(server);
    documentId = await admin.createDocument('Concurrency');
    const secretariat = await connectSynced(server.wsUrl, documentId, await admin.token(documentId));
    secretariat.body.insert(
      0,
      [TEXT, 'Second paragraph under discussion.', 'Third paragraph, with comments.'].map((text, i) => {
        const p = new Y.XmlElement('paragraph');
        p.setAttribute(BLOCK_ID_ATTR, `p${i}`);
        p.setAttribute(BLOCK_NUM_ATTR, `3.${i + 1}`);
        p.insert(0, [new Y.XmlText(text)]);
        return p;
      }),
    );
    egypt = await connectSynced(server.wsUrl, documentId, (await admin.invite(documentId, 'delegate', 'Egypt')).token);
    usa = await connectSynced(server.wsUrl, documentId, (await admin.invite(documentId, 'delegate', 'United States')).token);
    await waitFor(() => egypt.body.length === 3 && usa.body.length === 3, 'both delegations to have the text');
    secretariat.destroy();
  });
  afterAll(async () => {
    egypt?.destroy();
    usa?.destroy();
    await server.stop();
  });

  it('keeps both brackets set at once on overlapping words, and the text untouched', async () => {
    const denied = [...collectDenials(egypt), ...collectDenials(usa)];
    createBracket(egypt.doc, { paragraphId: 'p0', from: 20, to: 35, actor: EGYPT }); // "ensure the secu"
    createBracket(usa.doc, { paragraphId: 'p0', from: 27, to: 52, actor: USA }); // "the security and resilience"
    await waitFor(() => listBracketGroups(egypt.doc).length === 2 && listBracketGroups(usa.doc).length === 2 && same(), 'both replicas to converge');
    expect(denied).toEqual([]);
    const groups = listBracketGroups(egypt.doc);
    expect(groups.map((g) => g.bracketedBy[0]?.delegation).sort()).toEqual(['Egypt', 'United States']);
    expect(groups.every((g) => g.options[0]!.kind === 'original' && g.options[0]!.proponents.length === 0)).toBe(true);
    // Each keeps some of its words; where they overlap one bracket holds them, none is lost.
    for (const g of groups) expect(g.options[0]!.text.length).toBeGreaterThan(0);
    expect(egypt.text().split('\n')[0]).toBe(TEXT);
  });

  it('keeps both alternatives added at once to the same bracket, and both supporters', async () => {
    const group = listBracketGroups(egypt.doc).find((g) => g.bracketedBy[0]?.delegation === 'Egypt')!;
    addAlternative(egypt.doc, { groupId: group.id, text: ' promote', actor: EGYPT });
    addAlternative(usa.doc, { groupId: group.id, text: ' encourage', actor: USA });
    await waitFor(() => listBracketGroups(usa.doc).find((g) => g.id === group.id)?.options.length === 3 && same(), 'three options on both');
    const options = listBracketGroups(usa.doc).find((g) => g.id === group.id)!.options;
    expect(options.map((o) => o.text).slice(1).sort()).toEqual([' encourage', ' promote']);
    expect(options.map((o) => o.proponents[0]).slice(1).sort()).toEqual(['Egypt', 'United States']);
  });

  it('keeps comments and replies written at once on the same paragraph', async () => {
    addThread(egypt.doc, { paragraphId: 'p2', text: 'Egypt cannot accept 3.3 as drafted', actor: EGYPT });
    addThread(usa.doc, { paragraphId: 'p2', text: 'The United States supports 3.3', actor: USA });
    await waitFor(() => listThreads(egypt.doc).length === 2 && same(), 'both threads on both');
    const thread = listThreads(egypt.doc)[0]!;
    reply(egypt.doc, { threadId: thread.id, text: 'Egypt replies', actor: EGYPT });
    reply(usa.doc, { threadId: thread.id, text: 'The United States replies', actor: USA });
    await waitFor(() => listThreads(usa.doc).find((t) => t.id === thread.id)?.messages.length === 3 && same(), 'both replies on both');
  });

  it('moves the threads of a paragraph deleted while someone replies to them to the orphaned list', async () => {
    const thread = listThreads(usa.doc).find((t) => t.paragraphId === 'p2')!;
    egypt.body.delete(2, 1);
    reply(usa.doc, { threadId: thread.id, text: 'A reply while the paragraph goes', actor: USA });
    await waitFor(() => egypt.body.length === 2 && usa.body.length === 2 && same(), 'the deletion to converge');
    const threads = listThreads(egypt.doc);
    expect(threads).toHaveLength(2);
    expect(threads.every((t) => t.orphaned)).toBe(true);
    expect(threads.find((t) => t.id === thread.id)!.messages.map((m) => m.text)).toContain('A reply while the paragraph goes');
  });
});
