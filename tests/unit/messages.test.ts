import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as authProtocol from 'y-protocols/auth';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { MalformedMessageError } from '../../server/errors.js';
import { decodeIncoming } from '../../server/sync/messages.js';
import { MessageType } from '../../shared/protocol/constants.js';
import {
  decodeMessage,
  encodeAwareness,
  encodeAwarenessStates,
  encodePermissionDenied,
  encodeQueryAwareness,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeSyncUpdate,
  MalformedFrameError,
  readAwarenessStates,
  readPermissionDenied,
} from '../../shared/protocol/messages.js';

const payload = Uint8Array.from([1, 2, 3, 250]);

function docWith(text: string): Y.Doc {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, text);
  return doc;
}

/** A frame written the way y-websocket writes it: the message type, then y-protocols' own writer. */
function stockFrame(type: number, write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, type);
  write(encoder);
  return encoding.toUint8Array(encoder);
}

describe('protocol messages', () => {
  it('decodes what it encodes', () => {
    const doc = docWith('agreed language');
    expect(decodeMessage(encodeSyncStep1(doc))).toEqual({ kind: 'sync-step1', stateVector: Y.encodeStateVector(doc) });
    expect(decodeMessage(encodeSyncStep2(payload))).toEqual({ kind: 'sync-step2', update: payload });
    expect(decodeMessage(encodeSyncUpdate(payload))).toEqual({ kind: 'sync-update', update: payload });
    expect(decodeMessage(encodeAwareness(payload))).toEqual({ kind: 'awareness', update: payload });
    expect(decodeMessage(encodeQueryAwareness())).toEqual({ kind: 'query-awareness' });
    expect(decodeMessage(Uint8Array.from([3]))).toEqual({ kind: 'query-awareness' });
    expect(decodeMessage(encodePermissionDenied('Paragraph 3 is agreed'))).toEqual({ kind: 'auth', permissionDenied: 'Paragraph 3 is agreed' });
    // The server's decode is the same one.
    expect(decodeIncoming(encodeSyncUpdate(payload))).toEqual({ kind: 'sync-update', update: payload });
  });

  it('reads back the awareness states it writes, removals and any text included', () => {
    const states = [
      { clientId: 1, clock: 0, state: { user: { name: 'Amina Hassan', delegation: 'Égypte' } } },
      { clientId: 2 ** 32 - 1, clock: 2 ** 31, state: null },
      { clientId: 1, clock: 1, state: { cursor: null } },
    ];
    expect(readAwarenessStates(encodeAwarenessStates(states))).toEqual(states);
    expect(readAwarenessStates(encodeAwarenessStates([]))).toEqual([]);
  });

  it('decodes an auth message and ignores its content', () => {
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, 2);
    encoding.writeVarUint(e, 0);
    encoding.writeVarString(e, 'denied');
    expect(decodeIncoming(encoding.toUint8Array(e))).toEqual({ kind: 'auth', permissionDenied: 'denied' });
    // A sub-type y-protocols does not know: still one string after it, as the server always required.
    const otherSubType = stockFrame(MessageType.Auth, (enc) => {
      encoding.writeVarUint(enc, 5);
      encoding.writeVarString(enc, 'x');
    });
    expect(decodeIncoming(otherSubType)).toEqual({ kind: 'auth', permissionDenied: null });
    expect(() => decodeIncoming(Uint8Array.from([2, 5]))).toThrow(MalformedMessageError);
  });

  it('writes every message byte for byte as y-protocols and y-websocket do', () => {
    const doc = docWith('the parties agree');
    const theirs = docWith('the parties note');
    const sv = Y.encodeStateVector(theirs);
    expect(encodeSyncStep1(doc)).toEqual(stockFrame(MessageType.Sync, (e) => syncProtocol.writeSyncStep1(e, doc)));
    expect(encodeSyncStep1(new Y.Doc())).toEqual(Uint8Array.from([0, 0, 1, 0]));
    expect(encodeSyncStep2(Y.encodeStateAsUpdate(doc, sv))).toEqual(stockFrame(MessageType.Sync, (e) => syncProtocol.writeSyncStep2(e, doc, sv)));
    expect(encodeSyncStep2(Y.encodeStateAsUpdate(doc))).toEqual(stockFrame(MessageType.Sync, (e) => syncProtocol.writeSyncStep2(e, doc)));
    expect(encodeSyncUpdate(payload)).toEqual(stockFrame(MessageType.Sync, (e) => syncProtocol.writeUpdate(e, payload)));
    expect(encodePermissionDenied('no')).toEqual(stockFrame(MessageType.Auth, (e) => authProtocol.writePermissionDenied(e, 'no')));
    expect(encodeQueryAwareness()).toEqual(stockFrame(MessageType.QueryAwareness, () => {}));

    const awareness = new awarenessProtocol.Awareness(doc);
    awareness.setLocalState({ user: { name: 'Amina' }, cursor: { anchor: 1, head: 4 } });
    const update = awarenessProtocol.encodeAwarenessUpdate(awareness, [doc.clientID]);
    expect(encodeAwareness(update)).toEqual(stockFrame(MessageType.Awareness, (e) => encoding.writeVarUint8Array(e, update)));
    expect(encodeAwarenessStates(readAwarenessStates(update))).toEqual(update);
    awareness.destroy();
  });

  it('reads a permission denied as y-protocols reads it, from past the message type', () => {
    const decoder = decoding.createDecoder(encodePermissionDenied('Paragraph 3 is agreed'));
    expect(decoding.readVarUint(decoder)).toBe(MessageType.Auth);
    expect(readPermissionDenied(decoder)).toBe('Paragraph 3 is agreed');
    expect(readPermissionDenied(decoding.createDecoder(Uint8Array.from([7])))).toBeNull();
  });

  it.each([
    ['empty frame', []],
    ['unknown type', [9]],
    ['unknown sync step', [0, 7, 0]],
    ['length beyond the frame', [0, 2, 100, 1, 2]],
    ['trailing bytes', [...encodeSyncUpdate(payload), 0]],
    ['unterminated varint', [0xff, 0xff, 0xff]],
  ])('rejects %s as malformed', (_name, bytes) => {
    expect(() => decodeIncoming(Uint8Array.from(bytes))).toThrow(MalformedMessageError);
    expect(() => decodeMessage(Uint8Array.from(bytes))).toThrow(MalformedFrameError);
  });

  it('says what is wrong with a malformed frame, for the close reason', () => {
    expect(() => decodeMessage(Uint8Array.from([...encodeSyncUpdate(payload), 0]))).toThrow('Malformed message: trailing bytes after the message');
    expect(() => decodeMessage(Uint8Array.from([0, 7, 0]))).toThrow('Malformed message: unknown sync step 7');
    expect(() => decodeMessage(Uint8Array.from([9]))).toThrow('Malformed message: unknown message type 9');
    expect(() => decodeMessage(Uint8Array.from([0, 2, 100, 1, 2]))).toThrow(/^Malformed message: /);
  });
});

/** Just enough of a browser WebSocket for a stock WebsocketProvider: records what it sends, is fed what a server would send. */
class RecordingSocket {
  static last: RecordingSocket | undefined;
  readonly OPEN = 1;
  readyState = 1;
  binaryType = 'arraybuffer';
  sent: Uint8Array[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: ArrayBuffer }) => void) | null = null;
  onclose: ((event: unknown) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  constructor() {
    RecordingSocket.last = this;
  }
  send(data: Uint8Array): void {
    this.sent.push(new Uint8Array(data));
  }
  close(): void {
    this.readyState = 3;
  }
  receive(frame: Uint8Array): void {
    this.onmessage?.({ data: frame.slice().buffer });
  }
  take(): ReturnType<typeof decodeMessage>[] {
    return this.sent.splice(0).map(decodeMessage);
  }
}

describe('a stock y-websocket client and the protocol module', () => {
  const cleanups: Array<() => void> = [];
  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
    vi.restoreAllMocks();
  });

  function stockClient(): { doc: Y.Doc; provider: WebsocketProvider; socket: RecordingSocket } {
    const doc = new Y.Doc();
    const provider = new WebsocketProvider('ws://server.invalid/collab', 'doc', doc, {
      WebSocketPolyfill: RecordingSocket as unknown as typeof WebSocket,
      disableBc: true,
      connect: false,
    });
    provider.awareness.setLocalState({ user: { name: 'Amina', delegation: 'Egypt' } });
    provider.connect();
    const socket = RecordingSocket.last!;
    socket.onopen?.();
    cleanups.push(() => {
      provider.destroy();
      doc.destroy();
    });
    return { doc, provider, socket };
  }

  it('decodes each message a stock client sends', () => {
    const { doc, provider, socket } = stockClient();
    const [step1, presence, ...rest] = socket.take();
    expect(rest).toEqual([]);
    expect(step1).toEqual({ kind: 'sync-step1', stateVector: Y.encodeStateVector(doc) });
    expect(presence?.kind).toBe('awareness');
    expect(readAwarenessStates((presence as { update: Uint8Array }).update)).toEqual([
      { clientId: doc.clientID, clock: provider.awareness.meta.get(doc.clientID)!.clock, state: { user: { name: 'Amina', delegation: 'Egypt' } } },
    ]);

    doc.getText('t').insert(0, 'retain or delete');
    const [update] = socket.take();
    const copy = new Y.Doc();
    Y.applyUpdate(copy, (update as { kind: 'sync-update'; update: Uint8Array }).update);
    expect(update?.kind).toBe('sync-update');
    expect(copy.getText('t').toString()).toBe('retain or delete');

    // Its answer to the server's step 1 is a step 2 with what the server lacks.
    socket.receive(encodeSyncStep1(new Y.Doc()));
    const [step2] = socket.take();
    expect(step2?.kind).toBe('sync-step2');
    const server = new Y.Doc();
    Y.applyUpdate(server, (step2 as { update: Uint8Array }).update);
    expect(server.getText('t').toString()).toBe('retain or delete');

    // Asked for presence, it answers with its awareness.
    socket.receive(encodeQueryAwareness());
    const [answer] = socket.take();
    expect(answer?.kind).toBe('awareness');
    expect(readAwarenessStates((answer as { update: Uint8Array }).update).map((s) => s.clientId)).toEqual([doc.clientID]);
    expect(provider.wsconnected).toBe(true);
  });

  it('is understood by a stock client: the document, presence and a refusal', () => {
    const { doc, provider, socket } = stockClient();
    const server = docWith('the parties agree');
    socket.receive(encodeSyncStep2(Y.encodeStateAsUpdate(server)));
    expect(provider.synced).toBe(true);
    expect(doc.getText('t').toString()).toBe('the parties agree');

    server.getText('t').insert(17, ' to consider');
    socket.receive(encodeSyncUpdate(Y.encodeStateAsUpdate(server, Y.encodeStateVector(doc))));
    expect(doc.getText('t').toString()).toBe('the parties agree to consider');

    socket.receive(encodeAwareness(encodeAwarenessStates([{ clientId: 7, clock: 1, state: { user: { name: 'Juan' } } }])));
    expect(provider.awareness.getStates().get(7)).toEqual({ user: { name: 'Juan' } });

    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    socket.receive(encodePermissionDenied('Paragraph 3 is agreed'));
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('Paragraph 3 is agreed'));
  });
});
