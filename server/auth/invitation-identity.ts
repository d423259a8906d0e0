import type { Role } from '../../shared/schema/roles.js';
import { SCREEN_PRESENCE_NAME } from '../../shared/schema/auth.js';
import { BadRequestError } from '../errors.js';
import { SECRETARIAT_DELEGATION } from './authenticator.js';

/**
 * The delegation an invitation speaks for: the name its comments, brackets
 * and supports carry, and the one the update rules compare to decide whose
 * comment it is (shared/model/update-rules.ts). A delegate's invitations
 * share their delegation on purpose (a head of delegation and an adviser
 * speak for the same country), and so do the chair's. A commenter or observer
 * speaks for nobody but itself: each such invitation gets a name no other
 * invitation of the document holds ("Commenter: Jane Doe", "Commenter (2)"),
 * decided here when it is created, so one commenter cannot edit or delete
 * another's comments.
 */

const MAX_DELEGATION = 80; // shared/schema/negotiation.ts `Delegation`

/** The delegation a role speaks for when the invitation names none. */
const DEFAULT_DELEGATION: Record<Exclude<Role, 'delegate'>, string> = {
  secretariat: SECRETARIAT_DELEGATION,
  chair: 'Chair',
  commenter: 'Commenter',
  observer: 'Observer',
};

const PERSONAL_ROLES: ReadonlySet<Role> = new Set(['commenter', 'observer']);

export type ExistingInvitation = { role: Role; delegation: string };

const key = (name: string) => name.trim().toLowerCase();

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

/**
 * The delegation of a new invitation of `role` in a document whose
 * invitations (revoked and expired ones included: their comments stay) are
 * `existing`.
 */
export function invitationDelegation(
  input: { role: Role; delegation?: string | undefined; label?: string | undefined; screen?: boolean },
  existing: readonly ExistingInvitation[],
): string {
  const { role } = input;
  const named = input.delegation?.trim() || undefined;
  if (role === 'delegate' && !named) throw new BadRequestError('A delegate invitation must name the delegation');
  if (!PERSONAL_ROLES.has(role)) {
    const delegation = named ?? DEFAULT_DELEGATION[role as Exclude<Role, 'delegate'>];
    const personal = existing.find((i) => PERSONAL_ROLES.has(i.role) && key(i.delegation) === key(delegation));
    if (personal) {
      throw new BadRequestError(`"${delegation}" is the name of a ${personal.role}'s invitation in this document; choose another delegation`);
    }
    return delegation;
  }
  // A screen invitation is an observer's named for the room's projector: "Plenary screen", "Plenary screen (2)".
  const title = input.screen ? SCREEN_PRESENCE_NAME : DEFAULT_DELEGATION[role as 'commenter' | 'observer'];
  const qualifier = named ?? (input.label?.trim() || undefined);
  const base = qualifier && key(qualifier) !== key(title) ? `${title}: ${qualifier}` : title;
  // Every name in use, and those the secretariat and the chair speak as even before anyone is invited so.
  const taken = new Set([...existing.map((i) => key(i.delegation)), key(SECRETARIAT_DELEGATION), key(DEFAULT_DELEGATION.chair)]);
  for (let n = 1; ; n++) {
    const suffix = n === 1 ? '' : ` (${n})`;
    const candidate = truncate(base, MAX_DELEGATION - suffix.length) + suffix;
    if (!taken.has(key(candidate))) return candidate;
  }
}
