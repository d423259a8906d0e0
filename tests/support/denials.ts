import * as decoding from 'lib0/decoding';
import { MessageType } from '../../shared/protocol/constants.js';
import type { TestClient } from './yjs-client.js';

/**
 * Collects the "permission denied" messages the server sends a client when it
 * refuses one of its updates (stock clients only log them).
 */
export function collectDenials(client: TestClient): string[] {
  const reasons: string[] = [];
  const handlers = (client.provider as unknown as { messageHandlers: unknown[] }).messageHandlers;
  handlers[MessageType.Auth] = (_encoder: unknown, decoder: decoding.Decoder) => {
    decoding.readVarUint(decoder);
    reasons.push(decoding.readVarString(decoder));
  };
  return reasons;
}
