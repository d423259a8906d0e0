import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import { type BusMessage, decodeBusMessage, encodeBusMessage, readBusMessage, writeBusMessage } from '../../server/cluster/bus-message.js';

const messages: BusMessage[] = [
  { kind: 'update', documentId: 'eg-itrs-final-report', update: new Uint8Array([1, 2, 3, 255]) },
  { kind: 'presence', documentId: 'd', update: new Uint8Array([0]) },
  { kind: 'disconnect', documentId: 'd', invitationId: 'i-1', closeCode: 4403, reason: 'Your invitation was revoked' },
  { kind: 'evict', documentId: 'd', closeCode: 4410, reason: 'This document was deleted' },
  { kind: 'resync', documentIds: null },
  { kind: 'resync', documentIds: ['eg-itrs-final-report', 'd'] },
  { kind: 'online', documentId: 'd', counts: [['i-1', 2], ['i-2', 1]] },
  { kind: 'online', documentId: 'd', counts: [] },
];

describe('what one server process tells the others, on the Redis stream', () => {
  it.each(messages)('reads back a $kind message as written, with who sent it', (message) => {
    expect(decodeBusMessage(encodeBusMessage('host-12-ab', message))).toEqual({ from: 'host-12-ab', message });
  });

  it('reads several messages written one after the other into one encoder', () => {
    const encoder = encoding.createEncoder();
    for (const m of messages) writeBusMessage(encoder, 'p', m);
    const decoder = decoding.createDecoder(encoding.toUint8Array(encoder));
    expect(messages.map(() => readBusMessage(decoder).message)).toEqual(messages);
  });

  it('refuses an entry of an unknown kind', () => {
    const encoder = encoding.createEncoder();
    encoding.writeVarString(encoder, 'p');
    encoding.writeVarUint(encoder, 99);
    expect(() => decodeBusMessage(encoding.toUint8Array(encoder))).toThrow(/unknown/);
  });
});
