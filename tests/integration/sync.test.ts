import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { signInSecretariat, type Admin } from '../support/admin.js';
import { waitFor } from '../support/wait.js';
import { appendParagraph, connectSynced, paragraphText, type TestClient } from '../support/yjs-client.js';

describe('live sync through the real server', () => {
  let server: ServerProcess;
  let admin: Admin;
  const clients: TestClient[] = [];
  const client = async (id: string) => {
    const c = await connectSynced(server.wsUrl, id, await admin.token(id));
    clients.push(c);
    return c;
  };
  const createDocument = (_url: string, title: string) => admin.createDocument(title);

  beforeAll(async () => {
    server = await startServerProcess();
    admin = await signInSecretariat(server);
  });
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await server.stop();
  });

  it('gives a joining client the seed report before anything else', async () => {
    const a = await client('eg-itrs-final-report');
    expect(a.body.length).toBeGreaterThan(150);
    expect(a.text()).toContain('Draft final Report of the EG-ITRs to ITU Council 2026');
    expect(a.text()).not.toContain('[bookmark');
  });

  it('converges two clients after concurrent edits, and a late joiner gets everything', async () => {
    const id = await createDocument(server.url, 'Concurrent edits');
    const a = await client(id);
    const b = await client(id);
    appendParagraph(a, 'shared paragraph');
    await waitFor(() => b.body.length === 1, 'b to see the paragraph');

    // Both type into the same paragraph at the same moment, without waiting for each other.
    const textA = paragraphText(a, 0);
    const textB = paragraphText(b, 0);
    for (let i = 0; i < 50; i++) {
      textA.insert(0, 'a');
      textB.insert(textB.length, 'b');
      if (i % 10 === 0) textB.insert(3, 'X');
    }
    appendParagraph(a, 'from A');
    appendParagraph(b, 'from B');

    await waitFor(() => a.text() === b.text() && a.body.length === 3, 'a and b to converge');
    expect(a.text()).toBe(b.text());
    expect(a.text().split('\n')[0]!.match(/a/g)!.length).toBeGreaterThanOrEqual(50);
    expect(a.text().split('\n')[0]!.match(/b/g)!.length).toBe(50);
    expect(a.text()).toContain('from A');
    expect(a.text()).toContain('from B');

    const late = await client(id);
    expect(late.text()).toBe(a.text());
    expect(Y.encodeStateVector(late.doc)).toEqual(Y.encodeStateVector(a.doc));
  });

  it('shows in presence the name and delegation the server knows, whatever a client claims', async () => {
    const id = await createDocument(server.url, 'Presence identity');
    const egypt = await connectSynced(server.wsUrl, id, (await admin.invite(id, 'delegate', 'Egypt', { label: 'Amina Hassan' })).token);
    const watcher = await client(id);
    clients.push(egypt);
    egypt.provider.awareness.setLocalStateField('user', { name: 'The Chair', delegation: 'Chair', color: '#123456' });
    const seen = () => watcher.provider.awareness.getStates().get(egypt.doc.clientID)?.user as Record<string, unknown> | undefined;
    await waitFor(() => seen()?.delegation === 'Egypt', 'the stamped presence to arrive');
    expect(seen()).toMatchObject({ name: 'Amina Hassan', delegation: 'Egypt', role: 'delegate', color: '#123456' });

    // Nobody can move or hide another person's caret by sending a state under their client id.
    const impostor = await connectSynced(server.wsUrl, id, (await admin.invite(id, 'delegate', 'Ruritania')).token);
    clients.push(impostor);
    const { encodeAwarenessUpdate, Awareness } = await import('y-protocols/awareness');
    const forged = new Awareness(new Y.Doc());
    forged.clientID = egypt.doc.clientID;
    forged.setLocalState({ user: { name: 'Forged' } });
    forged.meta.set(egypt.doc.clientID, { clock: 1000, lastUpdated: Date.now() });
    const { encodeAwareness } = await import('../../server/sync/messages.js');
    (impostor.provider.ws as unknown as { send(data: Uint8Array): void }).send(encodeAwareness(encodeAwarenessUpdate(forged, [egypt.doc.clientID])));
    await new Promise((r) => setTimeout(r, 300));
    expect(seen()?.delegation).toBe('Egypt');
    forged.destroy();
  });

  /** Amina (a) seen by b, then her connection drops and her stock provider reconnects: seen again. */
  async function reconnected(title: string) {
    const id = await createDocument(server.url, title);
    const a = await connectSynced(server.wsUrl, id, (await admin.invite(id, 'delegate', 'Egypt', { label: 'Amina' })).token);
    clients.push(a);
    const b = await client(id);
    a.provider.awareness.setLocalStateField('user', { name: 'Amina', delegation: 'Egypt' });
    const visible = () => b.provider.awareness.getStates().has(a.doc.clientID);
    await waitFor(visible, 'b to see a');
    a.provider.disconnect();
    await waitFor(() => !visible(), 'a to leave when its connection closes');
    // The stock provider re-announces its state with the clock it had; the server had bumped that clock on leaving.
    a.provider.connect();
    await waitFor(visible, 'a to be visible again right after reconnecting', 3_000);
    return { a, b };
  }

  it('shows a person again as soon as their client reconnects, without waiting for a caret move', async () => {
    const { a, b } = await reconnected('Presence after reconnect');
    expect(b.provider.awareness.getStates().get(a.doc.clientID)?.user).toMatchObject({ delegation: 'Egypt' });
  });

  it('settles a reconnected person\'s presence: it does not go round the room again and again', async () => {
    const { a, b } = await reconnected('Presence echo after reconnect');
    a.provider.awareness.setLocalStateField('cursor', { anchor: 1, head: 1 });
    await waitFor(() => b.provider.awareness.getStates().get(a.doc.clientID)?.cursor !== undefined, 'the caret to arrive');
    // Nobody moves now: a's presence must stop changing (a stock client sends back whatever state of its own it is
    // sent, so a clock the server keeps moving ahead of it made the two trade it every relay interval, for good).
    await new Promise((r) => setTimeout(r, 500));
    let changes = 0;
    const count = ({ updated }: { updated: number[] }) => {
      if (updated.includes(a.doc.clientID)) changes++;
    };
    b.provider.awareness.on('update', count);
    await new Promise((r) => setTimeout(r, 1_000));
    b.provider.awareness.off('update', count);
    expect(changes).toBe(0);
    // And a's next move still reaches b.
    a.provider.awareness.setLocalStateField('cursor', { anchor: 2, head: 2 });
    await waitFor(() => (b.provider.awareness.getStates().get(a.doc.clientID)?.cursor as { anchor?: number } | undefined)?.anchor === 2, 'the next move');
  });

  it('relays presence (awareness) between clients', async () => {
    const id = await createDocument(server.url, 'Presence');
    const a = await connectSynced(server.wsUrl, id, (await admin.invite(id, 'delegate', 'Egypt', { label: 'Amina' })).token);
    clients.push(a);
    const b = await client(id);
    a.provider.awareness.setLocalStateField('user', { name: 'Amina', delegation: 'Egypt' });
    await waitFor(
      () => [...b.provider.awareness.getStates().values()].some((s) => s.user?.name === 'Amina'),
      'b to see a in the awareness states',
    );
    a.destroy();
    await waitFor(
      () => ![...b.provider.awareness.getStates().values()].some((s) => s.user?.name === 'Amina'),
      'a to leave the awareness states',
    );
  });
});
