import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { ResolvedAccess } from '../auth/authenticator.js';
import { MalformedMessageError } from '../errors.js';

/**
 * Presence is what people see next to a caret: "Amina Hassan (Egypt)". A
 * modified client could claim any name or delegation there, or send states
 * for other people's client ids to move or hide their carets. Before an
 * awareness update is applied, the `user` of every state is set to the name
 * and delegation the server knows for this connection, and states for client
 * ids another connection owns are dropped.
 *
 * Wire format (y-protocols awareness): varUint count, then per state varUint
 * clientID, varUint clock, varString JSON state.
 */
export function stampIdentity(
  update: Uint8Array,
  access: ResolvedAccess,
  ownedElsewhere: (clientId: number) => boolean,
  clockFor: (clientId: number, clock: number) => number = (_, clock) => clock,
): Uint8Array {
  const states: Array<{ clientId: number; clock: number; json: string }> = [];
  try {
    const decoder = decoding.createDecoder(update);
    const count = decoding.readVarUint(decoder);
    for (let i = 0; i < count; i++) {
      const clientId = decoding.readVarUint(decoder);
      const clock = decoding.readVarUint(decoder);
      const state = JSON.parse(decoding.readVarString(decoder)) as unknown;
      if (ownedElsewhere(clientId)) continue;
      states.push({ clientId, clock: clockFor(clientId, clock), json: JSON.stringify(withIdentity(state, access)) });
    }
  } catch (err) {
    throw new MalformedMessageError(`Malformed awareness update: ${(err as Error).message}`);
  }
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, states.length);
  for (const { clientId, clock, json } of states) {
    encoding.writeVarUint(encoder, clientId);
    encoding.writeVarUint(encoder, clock);
    encoding.writeVarString(encoder, json);
  }
  return encoding.toUint8Array(encoder);
}

function withIdentity(state: unknown, access: ResolvedAccess): unknown {
  if (state === null || typeof state !== 'object' || Array.isArray(state)) return state;
  const record = state as Record<string, unknown>;
  const user = record.user && typeof record.user === 'object' ? (record.user as Record<string, unknown>) : {};
  return { ...record, user: { ...user, name: access.name, delegation: access.delegation, role: access.role } };
}
