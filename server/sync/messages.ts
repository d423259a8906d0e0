import { decodeMessage, MalformedFrameError, type Message } from '../../shared/protocol/messages.js';
import { MalformedMessageError } from '../errors.js';

/**
 * The wire format lives in shared/protocol/messages.ts (the client, the tests
 * and the bench use it too). The server adds one thing: a malformed frame is
 * a MalformedMessageError, which closes only the connection that sent it (4400).
 */

export {
  encodeAwareness,
  encodePermissionDenied,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeSyncUpdate,
} from '../../shared/protocol/messages.js';

/** Decodes one frame a client sent; anything that is not exactly one well-formed message throws MalformedMessageError. */
export function decodeIncoming(frame: Uint8Array): Message {
  try {
    return decodeMessage(frame);
  } catch (err) {
    throw err instanceof MalformedFrameError ? new MalformedMessageError(err.message) : err;
  }
}
