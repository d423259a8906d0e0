import * as encoding from 'lib0/encoding';

/**
 * The few y-websocket frames the bench's raw sockets send, built with lib0
 * only, so the light-socket process never loads Yjs.
 */

export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const SYNC_STEP1 = 0;
export const SYNC_STEP2 = 1;
export const SYNC_UPDATE = 2;

function syncMessage(step: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  encoding.writeVarUint(encoder, step);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

export const syncStep1 = (stateVector: Uint8Array): Uint8Array => syncMessage(SYNC_STEP1, stateVector);
export const syncStep2 = (update: Uint8Array): Uint8Array => syncMessage(SYNC_STEP2, update);
export const syncUpdate = (update: Uint8Array): Uint8Array => syncMessage(SYNC_UPDATE, update);

export function awarenessMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

/** Sync step 1 of a client that has nothing: the empty state vector is the single varUint 0. */
export const EMPTY_SYNC_STEP1 = syncStep1(new Uint8Array([0]));
