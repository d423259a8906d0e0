import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addThread } from '../../shared/model/comments.js';
import { changesMap, paragraphChanges } from '../../shared/model/paragraph-changes.js';
import { findBlockByRef } from '../../shared/model/paragraphs.js';
import { CHANGE_RECORD_IS_THE_SERVERS } from '../../shared/model/update-rules.js';
import type { ParagraphChange } from '../../shared/schema/negotiation.js';
import type { Role } from '../../shared/schema/roles.js';
import { signInSecretariat } from '../support/admin.js';
import { collectDenials } from '../support/denials.js';
import { startServerProcess, tempDataDir, type ServerProcess } from '../support/server-process.js';
import { waitFor } from '../support/wait.js';
import { connectSynced, type TestClient } from '../support/yjs-client.js';

const DOCUMENT = 'eg-itrs-final-report';

/** The id and the text of a numbered paragraph of the seed report, as a client sees it. */
function paragraph(client: TestClient, ref: string): { id: string; element: Y.XmlElement; text: Y.XmlText } {
  const block = findBlockByRef(client.doc, ref);
  if (!block?.id) throw new Error(`no paragraph ${ref}`);
  const text = block.element.toArray().find((child): child is Y.XmlText => child instanceof Y.XmlText);
  if (!text) throw new Error(`paragraph ${ref} holds no text`);
  return { id: block.id, element: block.element, text };
}

const who = (changes: ParagraphChange[]) => changes.map((c) => `${c.delegation} (${c.name}) ${c.kind}`);

describe('the server records who changed each paragraph', () => {
  const dataDir = tempDataDir();
  let server: ServerProcess;
  const tokens = {} as Record<'egypt' | 'brazil' | 'secretariat', string>;
  const clients: TestClient[] = [];
  const connect = async (token: string) => {
    const client = await connectSynced(server.wsUrl, DOCUMENT, token);
    clients.push(client);
    return client;
  };
  let egypt: TestClient;
  let brazil: TestClient;
  let p34 = '';
  let p43 = '';

  beforeAll(async () => {
    server = await startServerProcess({ dataDir });
    const admin = await signInSecretariat(server);
    const invite = async (role: Role, delegation?: string, label?: string) => (await admin.invite(DOCUMENT, role, delegation, { label })).token;
    tokens.egypt = await invite('delegate', 'Egypt', 'Amina Hassan');
    tokens.brazil = await invite('delegate', 'Brazil', 'Ana Souza');
    tokens.secretariat = await invite('secretariat');
    egypt = await connect(tokens.egypt);
    brazil = await connect(tokens.brazil);
    p34 = paragraph(egypt, '3.4').id;
    p43 = paragraph(egypt, '4.3').id;
  });

  afterAll(async () => {
    for (const client of clients.splice(0)) client.destroy();
    await server?.stop();
  });

  it('names Egypt on the paragraph Egypt types in, as every other client sees it', async () => {
    expect(paragraphChanges(brazil.doc, p34)).toEqual([]);
    paragraph(egypt, '3.4').text.insert(0, 'Egypt: ');
    const seen = (await waitFor(() => paragraphChanges(brazil.doc, p34)[0], 'Brazil to see the record of 3.4'))!;
    expect(seen).toMatchObject({ delegation: 'Egypt', name: 'Amina Hassan', kind: 'edited' });
    expect(Number.isNaN(Date.parse(seen.at))).toBe(false);

    // Typing on within the minute: the line stays one.
    paragraph(egypt, '3.4').text.insert(0, 'Again ');
    await waitFor(() => paragraph(brazil, '3.4').text.toString().startsWith('Again Egypt: '), 'Brazil to see the second edit');
    expect(who(paragraphChanges(brazil.doc, p34))).toEqual(['Egypt (Amina Hassan) edited']);
  });

  it('names Brazil on a paragraph Brazil deletes whole', async () => {
    const { element } = paragraph(brazil, '4.3');
    const parent = element.parent as Y.XmlFragment;
    parent.delete(parent.toArray().indexOf(element), 1);
    await waitFor(() => paragraphChanges(egypt.doc, p43).length > 0, 'Egypt to see the record of 4.3');
    expect(who(paragraphChanges(egypt.doc, p43))).toEqual(['Brazil (Ana Souza) deleted']);
    expect(findBlockByRef(egypt.doc, '4.3')?.id).not.toBe(p43);
  });

  it('records nothing for a change of the negotiation maps alone', async () => {
    const p32 = paragraph(brazil, '3.2').id;
    addThread(brazil.doc, { paragraphId: p32, text: 'Brazil would like to discuss this paragraph', actor: { name: 'Ana Souza', delegation: 'Brazil' } });
    await waitFor(() => egypt.doc.getMap('comments').size > 0, 'Egypt to see the comment');
    expect(changesMap(egypt.doc).has(p32)).toBe(false);
  });

  it('refuses a record written by a participant, the secretariat included, and stores none of it', async () => {
    const forged: ParagraphChange = { delegation: 'Kenya', name: 'Nobody', at: new Date().toISOString(), kind: 'edited' };
    const attempts: Array<[keyof typeof tokens, string, (doc: Y.Doc) => void]> = [
      ['egypt', 'Egypt blames Kenya for 3.2', (doc) => changesMap(doc).set(paragraph(egypt, '3.2').id, [forged])],
      ['brazil', 'Brazil erases its deletion', (doc) => changesMap(doc).delete(p43)],
      ['secretariat', 'the secretariat rewrites who changed 3.4', (doc) => changesMap(doc).set(p34, [forged])],
      ['secretariat', 'the secretariat erases the record of 4.3', (doc) => changesMap(doc).delete(p43)],
    ];
    for (const [sender, what, forge] of attempts) {
      const forger = await connect(tokens[sender]);
      const denials = collectDenials(forger);
      forge(forger.doc);
      await waitFor(() => denials.length > 0, `the server to refuse: ${what}`);
      expect(denials[0], what).toContain(CHANGE_RECORD_IS_THE_SERVERS);
      forger.destroy();
    }
    const reader = await connect(tokens.secretariat);
    expect(who(paragraphChanges(reader.doc, p34))).toEqual(['Egypt (Amina Hassan) edited']);
    expect(who(paragraphChanges(reader.doc, p43))).toEqual(['Brazil (Ana Souza) deleted']);
    expect(changesMap(reader.doc).has(paragraph(reader, '3.2').id)).toBe(false);
  });

  it('keeps the record across a restart', async () => {
    for (const client of clients.splice(0)) client.destroy();
    expect(await server.stop('SIGTERM')).toBe(0);
    server = await startServerProcess({ dataDir });
    const reader = await connect(tokens.egypt);
    expect(who(paragraphChanges(reader.doc, p34))).toEqual(['Egypt (Amina Hassan) edited']);
    expect(who(paragraphChanges(reader.doc, p43))).toEqual(['Brazil (Ana Souza) deleted']);
  });
});
