import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CloseCode } from '../../shared/protocol/constants.js';
import { encodeSyncUpdate } from '../../shared/protocol/messages.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { signInSecretariat } from '../support/admin.js';
import { openRaw } from '../support/raw-socket.js';
import { waitFor } from '../support/wait.js';
import { appendParagraph, connectSynced, type TestClient } from '../support/yjs-client.js';

const DOC = 'eg-itrs-final-report';
const MAX_MESSAGE_BYTES = 64 * 1024;

const syncUpdateFrame = encodeSyncUpdate;

/** A genuine update (a paragraph with some text), as a client would send it. */
function realUpdate(): Uint8Array {
  const doc = new Y.Doc();
  const p = new Y.XmlElement('paragraph');
  p.insert(0, [new Y.XmlText('an intruding paragraph with enough text to be cut in half')]);
  doc.getXmlFragment('default').insert(0, [p]);
  return Y.encodeStateAsUpdate(doc);
}

describe('malformed websocket input closes only the sender', () => {
  let server: ServerProcess;
  let bystander: TestClient;
  let before: string;
  let token: string;

  beforeAll(async () => {
    server = await startServerProcess({ env: { MAX_MESSAGE_BYTES: String(MAX_MESSAGE_BYTES) } });
    token = await (await signInSecretariat(server)).token(DOC);
    bystander = await connectSynced(server.wsUrl, DOC, token);
    before = bystander.text();
  });
  afterAll(async () => {
    bystander.destroy();
    await server.stop();
  });

  const update = realUpdate();
  const cases: Array<{ name: string; frame: () => Uint8Array | string; codes: number[] }> = [
    { name: 'random bytes', frame: () => Uint8Array.from([0x07, 0x13, 0x99, 0x42, 0xde, 0xad, 0xbe, 0xef]), codes: [CloseCode.MalformedMessage] },
    { name: 'a truncated message', frame: () => syncUpdateFrame(update).subarray(0, 20), codes: [CloseCode.MalformedMessage] },
    { name: 'trailing bytes after a message', frame: () => Uint8Array.from([...syncUpdateFrame(update), 1, 2, 3]), codes: [CloseCode.MalformedMessage] },
    { name: 'an update Yjs cannot read', frame: () => syncUpdateFrame(update.subarray(0, update.length >> 1)), codes: [CloseCode.RejectedUpdate] },
    { name: 'a frame over the size limit', frame: () => new Uint8Array(MAX_MESSAGE_BYTES + 1024), codes: [CloseCode.MessageTooBig] },
    { name: 'a text frame', frame: () => 'hello', codes: [CloseCode.MalformedMessage] },
    { name: 'an unknown sync step', frame: () => Uint8Array.from([0, 9, 0]), codes: [CloseCode.MalformedMessage] },
    { name: 'a malformed awareness update', frame: () => Uint8Array.from([1, 3, 1, 2, 3]), codes: [CloseCode.MalformedMessage] },
  ];

  for (const { name, frame, codes } of cases) {
    it(`closes the connection that sent ${name}, with a code and a reason`, async () => {
      const { ws, closed } = await openRaw(server.wsUrl, DOC, token);
      ws.send(frame());
      const { code, reason } = await closed;
      expect(codes).toContain(code);
      // 1009 is sent by the websocket layer itself, which gives no reason; the code says it.
      if (code !== CloseCode.MessageTooBig) expect(reason.length).toBeGreaterThan(0);

      // Everyone else keeps working and the document is intact.
      const fresh = await connectSynced(server.wsUrl, DOC, token);
      expect(fresh.text()).toBe(before);
      fresh.destroy();
      expect(bystander.provider.wsconnected).toBe(true);
    });
  }

  it('keeps serving the room after all of that', async () => {
    const other = await connectSynced(server.wsUrl, DOC, token);
    appendParagraph(bystander, 'after the attacks');
    await waitFor(() => other.text().endsWith('after the attacks'), 'the edit to reach the other client');
    other.destroy();
    const health = await fetch(`${server.url}/api/health`);
    expect(health.status).toBe(200);
    expect(server.logs.filter((l) => l.msg === 'closing connection after bad frame').length).toBeGreaterThanOrEqual(7);
    expect(server.logs.some((l) => l.msg === 'websocket error' && String(l.err).includes('payload'))).toBe(true);
  });

  it('refuses an unknown or invalid document id with 4404 and a reason', async () => {
    const admin = await signInSecretariat(server);
    for (const id of ['no-such-document', 'bad%20id%21']) {
      const { closed } = await openRaw(server.wsUrl, id, undefined, { cookie: admin.cookie });
      const { code, reason } = await closed;
      expect(code).toBe(CloseCode.UnknownDocument);
      expect(reason).toContain('No document');
    }
  });

  it('answers 404 to an upgrade outside /collab', async () => {
    const res = await fetch(`${server.url}/elsewhere`, { headers: { connection: 'upgrade', upgrade: 'websocket' } }).catch((e: Error) => e);
    // Either the socket is ended with a 404 status line or fetch fails on it; it is never upgraded.
    if (res instanceof Response) expect(res.status).not.toBe(101);
  });
});
