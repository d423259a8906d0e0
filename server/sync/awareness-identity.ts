import type { ResolvedAccess } from '../auth/authenticator.js';
import { encodeAwarenessStates, readAwarenessStates, type AwarenessState } from '../../shared/protocol/messages.js';
import { MalformedMessageError } from '../errors.js';

/**
 * Presence is what people see next to a caret: "Amina Hassan (Egypt)". A
 * modified client could claim any name or delegation there, or send states
 * for other people's client ids to move or hide their carets. Before an
 * awareness update is applied, the `user` of every state is set to the name
 * and delegation the server knows for this connection, and states for client
 * ids another connection owns are dropped. The update is taken apart and
 * written again with the shared protocol's awareness state functions
 * (y-protocols' modifyAwarenessUpdate cannot drop a state or move its clock).
 */
export function stampIdentity(
  update: Uint8Array,
  access: ResolvedAccess,
  ownedElsewhere: (clientId: number) => boolean,
  clockFor: (clientId: number, clock: number) => number = (_, clock) => clock,
): Uint8Array {
  let states: AwarenessState[];
  try {
    states = readAwarenessStates(update);
  } catch (err) {
    throw new MalformedMessageError(`Malformed awareness update: ${(err as Error).message}`);
  }
  return encodeAwarenessStates(
    states.flatMap(({ clientId, clock, state }) =>
      ownedElsewhere(clientId) ? [] : [{ clientId, clock: clockFor(clientId, clock), state: withIdentity(state, access) }],
    ),
  );
}

function withIdentity(state: unknown, access: ResolvedAccess): unknown {
  if (state === null || typeof state !== 'object' || Array.isArray(state)) return state;
  const record = state as Record<string, unknown>;
  const user = record.user && typeof record.user === 'object' ? (record.user as Record<string, unknown>) : {};
  return { ...record, user: { ...user, name: access.name, delegation: access.delegation, role: access.role } };
}
