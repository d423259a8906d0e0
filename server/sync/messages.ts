import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { AUTH_PERMISSION_DENIED, MessageType } from '../../shared/protocol/constants.js';
import { MalformedMessageError } from '../errors.js';

/**
 * The y-websocket wire format, decoded and encoded here and nowhere else.
 * A frame is one message: varUint type, then for sync a varUint sub-type and a
 * length-prefixed payload, for awareness a length-prefixed awareness update.
 */

const SyncStep = { Step1: 0, Step2: 1, Update: 2 } as const;

export type IncomingMessage =
  | { readonly kind: 'sync-step1'; readonly stateVector: Uint8Array }
  | { readonly kind: 'sync-step2'; readonly update: Uint8Array }
  | { readonly kind: 'sync-update'; readonly update: Uint8Array }
  | { readonly kind: 'awareness'; readonly update: Uint8Array }
  | { readonly kind: 'query-awareness' }
  | { readonly kind: 'auth' };

/** Decodes one frame; anything that is not exactly one well-formed message throws MalformedMessageError. */
export function decodeIncoming(frame: Uint8Array): IncomingMessage {
  try {
    const decoder = decoding.createDecoder(frame);
    const message = readMessage(decoder);
    if (decoding.hasContent(decoder)) throw new Error('trailing bytes after the message');
    return message;
  } catch (err) {
    if (err instanceof MalformedMessageError) throw err;
    throw new MalformedMessageError(`Malformed message: ${(err as Error).message}`);
  }
}

function readMessage(decoder: decoding.Decoder): IncomingMessage {
  const type = decoding.readVarUint(decoder);
  switch (type) {
    case MessageType.Sync: {
      const step = decoding.readVarUint(decoder);
      const payload = decoding.readVarUint8Array(decoder);
      if (step === SyncStep.Step1) return { kind: 'sync-step1', stateVector: payload };
      if (step === SyncStep.Step2) return { kind: 'sync-step2', update: payload };
      if (step === SyncStep.Update) return { kind: 'sync-update', update: payload };
      throw new MalformedMessageError(`Malformed message: unknown sync step ${step}`);
    }
    case MessageType.Awareness:
      return { kind: 'awareness', update: decoding.readVarUint8Array(decoder) };
    case MessageType.QueryAwareness:
      return { kind: 'query-awareness' };
    case MessageType.Auth:
      // The stock client never sends one; its content is ignored, but it must still be well-formed.
      decoding.readVarUint(decoder);
      decoding.readVarString(decoder);
      return { kind: 'auth' };
    default:
      throw new MalformedMessageError(`Malformed message: unknown message type ${type}`);
  }
}

function syncMessage(step: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Sync);
  encoding.writeVarUint(encoder, step);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

export const encodeSyncStep1 = (stateVector: Uint8Array): Uint8Array => syncMessage(SyncStep.Step1, stateVector);
export const encodeSyncStep2 = (update: Uint8Array): Uint8Array => syncMessage(SyncStep.Step2, update);
export const encodeSyncUpdate = (update: Uint8Array): Uint8Array => syncMessage(SyncStep.Update, update);

export function encodeAwareness(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Awareness);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

/** Tells a client its update was refused; stock clients log it, ours reload the document. */
export function encodePermissionDenied(reason: string): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Auth);
  encoding.writeVarUint(encoder, AUTH_PERMISSION_DENIED);
  encoding.writeVarString(encoder, reason);
  return encoding.toUint8Array(encoder);
}
