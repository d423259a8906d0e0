import type * as decoding from 'lib0/decoding';
import { MessageType } from '../../shared/protocol/constants.js';
import { readPermissionDenied } from '../../shared/protocol/messages.js';
import type { TestClient } from './yjs-client.js';

/**
 * Collects the "permission denied" messages the server sends a client when it
 * refuses one of its updates (stock clients only log them).
 */
export function collectDenials(client: TestClient): string[] {
  const reasons: string[] = [];
  const handlers = (client.provider as unknown as { messageHandlers: unknown[] }).messageHandlers;
  handlers[MessageType.Auth] = (_encoder: unknown, decoder: decoding.Decoder) => {
    const reason = readPermissionDenied(decoder);
    if (reason !== null) reasons.push(reason);
  };
  return reasons;
}
