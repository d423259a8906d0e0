import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as authProtocol from 'y-protocols/auth';
import * as syncProtocol from 'y-protocols/sync';
import type * as Y from 'yjs';
import { MessageType } from './constants.js';

/**
 * The y-websocket wire format, encoded and decoded here and nowhere else: by
 * the server, the client, the tests and the bench. A frame is one message:
 * the varUint message type (y-websocket's envelope, which y-websocket itself
 * writes by hand), then the body y-protocols defines for that type, written
 * and read with y-protocols' own functions wherever they fit. The few
 * hand-written functions below say why y-protocols could not be used.
 * Browser-safe: lib0 and y-protocols only.
 */

export type Message =
  | { readonly kind: 'sync-step1'; readonly stateVector: Uint8Array }
  | { readonly kind: 'sync-step2'; readonly update: Uint8Array }
  | { readonly kind: 'sync-update'; readonly update: Uint8Array }
  | { readonly kind: 'awareness'; readonly update: Uint8Array }
  | { readonly kind: 'query-awareness' }
  /** `permissionDenied`: the reason of y-protocols' only auth message, null for a sub-type it does not know. */
  | { readonly kind: 'auth'; readonly permissionDenied: string | null };

/** One presence state of an awareness update: `state` is the JSON value, null when the client left. */
export type AwarenessState = { readonly clientId: number; readonly clock: number; readonly state: unknown };

/** A frame that is not exactly one well-formed message; the message says what is wrong, for a close reason. */
export class MalformedFrameError extends Error {}

function encodeWith(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  write(encoder);
  return encoding.toUint8Array(encoder);
}

/** Sync step 1: the state vector of `doc` (what a client or the server has), asking for what is missing. */
export const encodeSyncStep1 = (doc: Y.Doc): Uint8Array =>
  encodeWith((encoder) => {
    encoding.writeVarUint(encoder, MessageType.Sync);
    syncProtocol.writeSyncStep1(encoder, doc);
  });

/**
 * Sync step 2: `update`, the answer to a step 1. Hand-written: y-protocols'
 * writeSyncStep2 encodes the state itself from a Y.Doc on every call, while
 * the server answers from state it has already encoded (one full state shared
 * by a whole reconnect storm). Same bytes: the sub-type, then the update as a
 * varUint8Array (a unit test compares it with writeSyncStep2).
 */
export const encodeSyncStep2 = (update: Uint8Array): Uint8Array =>
  encodeWith((encoder) => {
    encoding.writeVarUint(encoder, MessageType.Sync);
    encoding.writeVarUint(encoder, syncProtocol.messageYjsSyncStep2);
    encoding.writeVarUint8Array(encoder, update);
  });

/** A document update, as every change travels after the initial sync. */
export const encodeSyncUpdate = (update: Uint8Array): Uint8Array =>
  encodeWith((encoder) => {
    encoding.writeVarUint(encoder, MessageType.Sync);
    syncProtocol.writeUpdate(encoder, update);
  });

/** An awareness (presence) update, as y-protocols' encodeAwarenessUpdate or encodeAwarenessStates wrote it. */
export const encodeAwareness = (update: Uint8Array): Uint8Array =>
  encodeWith((encoder) => {
    encoding.writeVarUint(encoder, MessageType.Awareness);
    encoding.writeVarUint8Array(encoder, update);
  });

/** Asks for everyone's presence; the type alone. */
export const encodeQueryAwareness = (): Uint8Array => encodeWith((encoder) => encoding.writeVarUint(encoder, MessageType.QueryAwareness));

/** Tells a client its update was refused; stock clients log it, ours reload the document. */
export const encodePermissionDenied = (reason: string): Uint8Array =>
  encodeWith((encoder) => {
    encoding.writeVarUint(encoder, MessageType.Auth);
    authProtocol.writePermissionDenied(encoder, reason);
  });

/**
 * The body of an auth message (the decoder is past the message type, as in
 * y-websocket's message handlers): the reason if it is "permission denied",
 * null for a sub-type y-protocols does not know (whose content is not read).
 */
export function readPermissionDenied(decoder: decoding.Decoder): string | null {
  let reason: string | null = null;
  // readAuthMessage only hands its document argument on to the handler, which ignores it.
  authProtocol.readAuthMessage(decoder, undefined as unknown as Y.Doc, (_doc, denied) => {
    reason = denied;
  });
  return reason;
}

/** Decodes one frame; anything that is not exactly one well-formed message throws MalformedFrameError. */
export function decodeMessage(frame: Uint8Array): Message {
  const decoder = decoding.createDecoder(frame);
  let message: Message;
  try {
    message = readMessage(decoder);
  } catch (err) {
    if (err instanceof MalformedFrameError) throw err;
    throw new MalformedFrameError(`Malformed message: ${(err as Error).message}`);
  }
  if (decoding.hasContent(decoder)) throw new MalformedFrameError('Malformed message: trailing bytes after the message');
  return message;
}

/**
 * Hand-written: y-protocols' readers apply what they read to a Y.Doc at once
 * (readSyncMessage answers a step 1 and applies a step 2 or an update), but the
 * server must check an update before anything is applied, so the message is
 * read into a typed value first. The sync body is what writeSyncStep1,
 * writeSyncStep2 and writeUpdate write: the sub-type, then a varUint8Array.
 */
function readMessage(decoder: decoding.Decoder): Message {
  const type = decoding.readVarUint(decoder);
  switch (type) {
    case MessageType.Sync: {
      const step = decoding.readVarUint(decoder);
      const payload = decoding.readVarUint8Array(decoder);
      if (step === syncProtocol.messageYjsSyncStep1) return { kind: 'sync-step1', stateVector: payload };
      if (step === syncProtocol.messageYjsSyncStep2) return { kind: 'sync-step2', update: payload };
      if (step === syncProtocol.messageYjsUpdate) return { kind: 'sync-update', update: payload };
      throw new MalformedFrameError(`Malformed message: unknown sync step ${step}`);
    }
    case MessageType.Awareness:
      return { kind: 'awareness', update: decoding.readVarUint8Array(decoder) };
    case MessageType.QueryAwareness:
      return { kind: 'query-awareness' };
    case MessageType.Auth: {
      const permissionDenied = readPermissionDenied(decoder);
      // A sub-type y-protocols does not know must still be followed by a string, as the server always required.
      if (permissionDenied === null) decoding.readVarString(decoder);
      return { kind: 'auth', permissionDenied };
    }
    default:
      throw new MalformedFrameError(`Malformed message: unknown message type ${type}`);
  }
}

/**
 * The states of an awareness update: varUint count, then per state varUint
 * clientID, varUint clock, varString JSON state. Throws lib0's or JSON's error
 * for garbage. Hand-written, like encodeAwarenessStates: y-protocols reads an
 * update only into an Awareness (applyAwarenessUpdate), and its
 * modifyAwarenessUpdate can change a state but neither drop one nor move its
 * clock, which the server does before applying (server/sync/awareness-identity.ts).
 */
export function readAwarenessStates(update: Uint8Array): AwarenessState[] {
  const decoder = decoding.createDecoder(update);
  const states: AwarenessState[] = [];
  const count = decoding.readVarUint(decoder);
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    states.push({ clientId, clock, state: JSON.parse(decoding.readVarString(decoder)) as unknown });
  }
  return states;
}

/**
 * An awareness update made of entries (client id, clock, state) already
 * encoded one by one: the count, then the entries as they are. The server's
 * relay joins them per connection without encoding a state twice.
 */
export function joinAwarenessEntries(entries: readonly Uint8Array[]): Uint8Array {
  return encodeWith((encoder) => {
    encoding.writeVarUint(encoder, entries.length);
    for (const entry of entries) encoding.writeUint8Array(encoder, entry);
  });
}

/** An awareness update holding exactly `states`, in the layout of y-protocols' encodeAwarenessUpdate. */
export function encodeAwarenessStates(states: readonly AwarenessState[]): Uint8Array {
  return encodeWith((encoder) => {
    encoding.writeVarUint(encoder, states.length);
    for (const { clientId, clock, state } of states) {
      encoding.writeVarUint(encoder, clientId);
      encoding.writeVarUint(encoder, clock);
      encoding.writeVarString(encoder, JSON.stringify(state));
    }
  });
}
