import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { settings } from '../../shared/model/drafting-mode.js';
import { readFocus, setFocus } from '../../shared/model/meeting-focus.js';
import { CreatedInvitation } from '../../shared/schema/auth.js';
import { BLOCK_ID_ATTR, BLOCK_NUM_ATTR, SettingKeys, type Actor } from '../../shared/schema/negotiation.js';
import { jsonBody, signInSecretariat, type Admin } from '../support/admin.js';
import { collectDenials } from '../support/denials.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { waitFor } from '../support/wait.js';
import { connectSynced, type TestClient } from '../support/yjs-client.js';

const CHAIR: Actor = { name: 'Chair', delegation: 'Chair' };
const EGYPT: Actor = { name: 'Egypt', delegation: 'Egypt' };

/** Long enough for the server to have relayed anything it was going to relay. */
const settle = () => new Promise((r) => setTimeout(r, 400));

describe('the paragraph under discussion and the plenary screen, through the real server', () => {
  let server: ServerProcess;
  let admin: Admin;
  let documentId: string;
  const clients: TestClient[] = [];
  const connect = async (token: string) => {
    const c = await connectSynced(server.wsUrl, documentId, token);
    clients.push(c);
    return c;
  };
  const screenInvitation = async (body: Record<string, unknown>) =>
    admin.api(`/api/documents/${documentId}/invitations`, jsonBody('POST', { role: 'observer', kind: 'screen', ...body }));
  let chair: TestClient;
  let egypt: TestClient;
  let watcher: TestClient;

  beforeAll(async () => {
    server = await startServerProcess();
    admin = await signInSecretariat(server);
    documentId = await admin.createDocument('Focus');
    const secretariat = await connect((await admin.invite(documentId, 'secretariat')).token);
    secretariat.body.insert(
      0,
      ['3.4', '3.5', '3.6'].map((num) => {
        const p = new Y.XmlElement('paragraph');
        p.setAttribute(BLOCK_ID_ATTR, `p${num}`);
        p.setAttribute(BLOCK_NUM_ATTR, num);
        p.insert(0, [new Y.XmlText(`Paragraph ${num}.`)]);
        return p;
      }),
    );
    chair = await connect((await admin.invite(documentId, 'chair')).token);
    egypt = await connect((await admin.invite(documentId, 'delegate', 'Egypt', { label: 'Amina Hassan' })).token);
    watcher = await connect((await admin.invite(documentId, 'delegate', 'United States')).token);
    await waitFor(() => [chair, egypt, watcher].every((c) => c.body.length === 3), 'everyone to see the paragraphs');
  });

  afterAll(async () => {
    for (const c of clients) c.destroy();
    await server?.stop();
  });

  it("relays the chair's focus to another client", async () => {
    setFocus(chair.doc, { paragraphId: 'p3.5', actor: CHAIR });
    await waitFor(() => readFocus(watcher.doc)?.paragraphId === 'p3.5', "the chair's focus to arrive");
    expect(readFocus(watcher.doc)).toMatchObject({ ref: '3.5', by: CHAIR, moved: false });
  });

  it("refuses a delegate's focus, in the chair's name or its own", async () => {
    const denials = collectDenials(egypt);
    setFocus(egypt.doc, { paragraphId: 'p3.6', actor: CHAIR });
    await waitFor(() => denials.length === 1, 'the forged focus to be refused');
    settings(egypt.doc).set(SettingKeys.focus, { paragraphId: 'p3.4', anchor: null, by: EGYPT, at: new Date().toISOString() });
    await waitFor(() => denials.length === 2, "the delegate's own focus to be refused");
    expect(denials.join('\n')).toMatch(/Only the chair or the secretariat/);
    await settle();
    expect(readFocus(watcher.doc)).toMatchObject({ paragraphId: 'p3.5', by: CHAIR });
    // A fresh client, as a screen opening now, gets the chair's focus from the server's copy.
    const late = await connect((await admin.invite(documentId, 'observer')).token);
    expect(readFocus(late.doc)).toMatchObject({ paragraphId: 'p3.5', by: CHAIR });
  });

  it('stamps presence: a crafted claim to be the chair is the delegate again, and `following` reaches others as a boolean', async () => {
    egypt.provider.awareness.setLocalState({
      user: { name: 'Chair', delegation: 'Chair', role: 'chair' },
      following: true,
      focus: { paragraphId: 'p3.6' },
      cursor: null,
    });
    const seen = () => watcher.provider.awareness.getStates().get(egypt.doc.clientID) as Record<string, unknown> | undefined;
    await waitFor(() => seen()?.following === true, "egypt's following to arrive");
    expect(seen()?.user).toMatchObject({ name: 'Amina Hassan', delegation: 'Egypt', role: 'delegate', screen: false });
    // Other fields are the client's own, as every presence field is: the focus shown is the document's, not this.
    expect(readFocus(watcher.doc)?.paragraphId).toBe('p3.5');
    egypt.provider.awareness.setLocalStateField('following', 'yes');
    await waitFor(() => seen() !== undefined && !('following' in seen()!), 'a non-boolean following to be dropped');
    egypt.provider.awareness.setLocalStateField('following', false);
    await waitFor(() => seen()?.following === false, 'following: false to arrive');
  });

  it('makes a screen invitation: an observer named "Plenary screen" that cannot write', async () => {
    expect((await screenInvitation({ role: 'delegate', delegation: 'Egypt' })).status).toBe(400);
    const batch = await admin.api(
      `/api/documents/${documentId}/invitations/batch`,
      jsonBody('POST', { role: 'observer', kind: 'screen', delegations: ['Egypt'] }),
    );
    expect(batch.status).toBe(400);
    const made = await screenInvitation({});
    expect(made.status).toBe(201);
    const invitation = CreatedInvitation.parse(await made.json());
    expect(invitation).toMatchObject({ role: 'observer', kind: 'screen', label: 'Plenary screen', delegation: 'Plenary screen' });
    const second = CreatedInvitation.parse(await (await screenInvitation({})).json());
    expect(second).toMatchObject({ kind: 'screen', label: 'Plenary screen (2)', delegation: 'Plenary screen (2)' });
    const listed = (await (await admin.api(`/api/documents/${documentId}/invitations`)).json()) as { invitations: Array<{ id: string; kind: string }> };
    expect(listed.invitations.find((i) => i.id === invitation.id)?.kind).toBe('screen');

    const screen = await connect(invitation.token);
    expect(readFocus(screen.doc)).toMatchObject({ paragraphId: 'p3.5' });
    const denials = collectDenials(screen);
    const before = watcher.text();
    ((screen.body.get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(0, 'Screen typed ');
    setFocus(screen.doc, { paragraphId: 'p3.4', actor: { name: 'Plenary screen', delegation: invitation.delegation } });
    await waitFor(() => denials.length === 2, "the screen's updates to be refused");
    await settle();
    expect(watcher.text()).toBe(before);
    expect(readFocus(watcher.doc)?.paragraphId).toBe('p3.5');

    screen.provider.awareness.setLocalState({ user: { name: 'Projector laptop' }, following: true });
    const seen = () => watcher.provider.awareness.getStates().get(screen.doc.clientID) as Record<string, unknown> | undefined;
    await waitFor(() => seen() !== undefined, "the screen's presence to arrive");
    expect(seen()?.user).toMatchObject({ name: 'Plenary screen', role: 'observer', screen: true });
    expect(seen()).not.toHaveProperty('following');
  });

  it('moves every client to the nearest remaining paragraph when the one under discussion is deleted', async () => {
    setFocus(chair.doc, { paragraphId: 'p3.4', actor: CHAIR });
    await waitFor(() => readFocus(watcher.doc)?.paragraphId === 'p3.4', 'the new focus to arrive');
    chair.body.delete(0, 1);
    await waitFor(() => readFocus(watcher.doc)?.moved === true, 'the deletion to arrive');
    expect(readFocus(watcher.doc)).toMatchObject({ paragraphId: 'p3.5', ref: '3.5', moved: true });
    const late = await connect((await admin.invite(documentId, 'observer')).token);
    expect(readFocus(late.doc)).toMatchObject({ paragraphId: 'p3.5', moved: true });
  });
});
