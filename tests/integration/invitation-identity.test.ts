import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addThread, commentThreads, editComment, listThreads } from '../../shared/model/comments.js';
import { DocumentAccess } from '../../shared/schema/auth.js';
import { BLOCK_ID_ATTR, CommentMessageKeys, CommentThreadKeys, type Actor } from '../../shared/schema/negotiation.js';
import { signInSecretariat, jsonBody, type Admin } from '../support/admin.js';
import { collectDenials } from '../support/denials.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { waitFor } from '../support/wait.js';
import { connectSynced, type TestClient } from '../support/yjs-client.js';

/**
 * Each commenter and observer invitation speaks for itself alone: the server
 * gives it a delegation no other invitation of the document holds, so the
 * rules that compare a comment's author delegation with the sender's make
 * every comment belong to the invitation that wrote it.
 */
describe('commenter and observer invitations each have their own identity', () => {
  let server: ServerProcess;
  let admin: Admin;
  let documentId: string;
  const clients: TestClient[] = [];
  const connect = async (token: string) => {
    const c = await connectSynced(server.wsUrl, documentId, token);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    server = await startServerProcess();
    admin = await signInSecretariat(server);
    documentId = await admin.createDocument('Identities');
    const secretariat = await connect(await admin.token(documentId));
    const p = new Y.XmlElement('paragraph');
    p.setAttribute(BLOCK_ID_ATTR, 'p0');
    p.insert(0, [new Y.XmlText('Member States shall cooperate.')]);
    secretariat.body.push([p]);
  });

  afterAll(async () => {
    for (const c of clients) c.destroy();
    await server.stop();
  });

  it('names each invitation uniquely within the document, from its delegation or label', async () => {
    const made = await Promise.all([
      admin.invite(documentId, 'commenter', undefined, { label: 'Jane Doe' }),
      admin.invite(documentId, 'commenter', undefined, { label: 'Jane Doe' }),
      admin.invite(documentId, 'commenter'),
      admin.invite(documentId, 'commenter'),
      admin.invite(documentId, 'commenter', 'Egypt'),
      admin.invite(documentId, 'observer'),
      admin.invite(documentId, 'observer', 'Observer', { label: 'Press' }),
    ]);
    const delegations = made.map((m) => m.delegation);
    expect(new Set(delegations.map((d) => d.toLowerCase())).size).toBe(delegations.length);
    expect(delegations).toEqual(
      expect.arrayContaining(['Commenter: Jane Doe', 'Commenter: Jane Doe (2)', 'Commenter', 'Commenter (2)', 'Commenter: Egypt', 'Observer', 'Observer (2)']),
    );
    // The list and the person's own access say the same.
    const listed = (await (await admin.api(`/api/documents/${documentId}/invitations`)).json()) as { invitations: Array<{ id: string; delegation: string }> };
    for (const m of made) expect(listed.invitations.find((i) => i.id === m.id)?.delegation).toBe(m.delegation);
    const access = await fetch(`${server.url}/api/documents/${documentId}/access`, { headers: { authorization: `Bearer ${made[0]!.token}` } });
    expect(DocumentAccess.parse(await access.json()).delegation).toBe('Commenter: Jane Doe');
  });

  it('keeps delegate and chair delegations shared, but not equal to a commenter\'s own name', async () => {
    const a = await admin.invite(documentId, 'delegate', 'Kenya');
    const b = await admin.invite(documentId, 'delegate', 'Kenya', { label: 'Adviser' });
    expect([a.delegation, b.delegation]).toEqual(['Kenya', 'Kenya']);
    const refused = await admin.api(`/api/documents/${documentId}/invitations`, jsonBody('POST', { role: 'delegate', delegation: 'Commenter (2)' }));
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { message: string }).message).toMatch(/commenter's invitation/);
  });

  it("refuses one commenter's edit of another commenter's comment", async () => {
    const invA = await admin.invite(documentId, 'commenter', undefined, { label: 'Ana Silva' });
    const invB = await admin.invite(documentId, 'commenter', undefined, { label: 'Ben Okafor' });
    expect(invA.delegation).not.toBe(invB.delegation);
    const ana: Actor = { name: 'Ana Silva', delegation: invA.delegation };
    const ben: Actor = { name: 'Ben Okafor', delegation: invB.delegation };

    const a = await connect(invA.token);
    const b = await connect(invB.token);
    await waitFor(() => a.body.length === 1, 'commenter A to see the paragraph');
    const aDenials = collectDenials(a);
    const { threadId } = addThread(a.doc, { paragraphId: 'p0', text: 'Ana: please define cooperate', actor: ana });
    await waitFor(() => listThreads(b.doc).some((t) => t.id === threadId), 'commenter B to see the comment');
    const messageId = listThreads(b.doc).find((t) => t.id === threadId)!.messages[0]!.id;

    // B claims to be A (a hostile client can put anything in its own copy)...
    const bDenials = collectDenials(b);
    editComment(b.doc, { threadId, messageId, text: 'Ben rewrote this', actor: ana });
    await waitFor(() => bDenials.length === 1, 'the server to refuse B claiming to be A');
    expect(bDenials[0]).toMatch(/Only its author edits or deletes a comment/);
    // ...or, from a fresh copy, writes straight into A's message: refused the same way.
    const b2 = await connect(invB.token);
    const b2Denials = collectDenials(b2);
    expect(() => editComment(b2.doc, { threadId, messageId, text: 'x', actor: ben })).toThrow();
    const messages = (commentThreads(b2.doc).get(threadId) as Y.Map<unknown>).get(CommentThreadKeys.messages) as Y.Array<Y.Map<unknown>>;
    messages.get(0).set(CommentMessageKeys.text, 'Ben deleted your point');
    await waitFor(() => b2Denials.length === 1, 'the server to refuse the direct write');
    expect(b2Denials[0]).toMatch(/Only its author edits or deletes a comment/);

    // A fresh client sees A's words; A itself may still edit them.
    const fresh = await connect(await admin.token(documentId));
    expect(listThreads(fresh.doc).find((t) => t.id === threadId)!.messages[0]!.text).toBe('Ana: please define cooperate');
    editComment(a.doc, { threadId, messageId, text: 'Ana: please define "cooperate"', actor: ana });
    await waitFor(() => listThreads(fresh.doc).find((t) => t.id === threadId)!.messages[0]!.text === 'Ana: please define "cooperate"', "A's own edit");
    expect(aDenials).toEqual([]);
  });
});
