import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import { MalformedMessageError } from '../../server/errors.js';
import {
  decodeIncoming,
  encodeAwareness,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeSyncUpdate,
} from '../../server/sync/messages.js';

describe('protocol messages', () => {
  const payload = Uint8Array.from([1, 2, 3, 250]);

  it('decodes what it encodes', () => {
    expect(decodeIncoming(encodeSyncStep1(payload))).toEqual({ kind: 'sync-step1', stateVector: payload });
    expect(decodeIncoming(encodeSyncStep2(payload))).toEqual({ kind: 'sync-step2', update: payload });
    expect(decodeIncoming(encodeSyncUpdate(payload))).toEqual({ kind: 'sync-update', update: payload });
    expect(decodeIncoming(encodeAwareness(payload))).toEqual({ kind: 'awareness', update: payload });
    expect(decodeIncoming(Uint8Array.from([3]))).toEqual({ kind: 'query-awareness' });
  });

  it('decodes an auth message and ignores its content', () => {
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, 2);
    encoding.writeVarUint(e, 0);
    encoding.writeVarString(e, 'denied');
    expect(decodeIncoming(encoding.toUint8Array(e))).toEqual({ kind: 'auth' });
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
  });
});
