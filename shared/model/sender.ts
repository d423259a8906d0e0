import type { Actor } from '../schema/negotiation.js';
import type { Role } from '../schema/roles.js';

/** Who sends an update, as the server knows the connection. `principal`: the invitation or account behind it (who owns the Yjs client ids it writes under). */
export type Sender = { role: Role; delegation: string; principal: string };

/** Attribution fields (proposed by, written by) must name the sender's own delegation. */
export function speaksFor(value: unknown, sender: Sender): string | null {
  const delegation = (value as Partial<Actor> | undefined)?.delegation;
  return delegation === sender.delegation ? null : `You can only speak for ${sender.delegation}, not for ${String(delegation)}`;
}
