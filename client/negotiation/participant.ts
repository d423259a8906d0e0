import { ModelError } from '../../shared/model/errors.js';
import type { Actor } from '../../shared/schema/negotiation.js';
import type { Identity } from '../identity.js';

/**
 * Who acts: the person speaking for their delegation. Proposals and support
 * are recorded per delegation, so without one there is nobody to attribute
 * them to.
 */
export function actorOf(identity: Identity): Actor | null {
  const name = identity.name.trim();
  const delegation = identity.delegation.trim();
  return name && delegation ? { name, delegation } : null;
}

/**
 * Runs one model operation as this person: `{ value }` when it happened, null
 * when it did not. Broken negotiation rules come back as ModelError with a
 * sentence for people: shown as a notice, never thrown into React or
 * ProseMirror.
 */
export function act<T>(identity: Identity, notify: (message: string) => void, operation: (actor: Actor) => T): { value: T } | null {
  const actor = actorOf(identity);
  if (!actor) {
    notify('Set your delegation first (click your name at the top right): proposals are recorded per delegation.');
    return null;
  }
  try {
    return { value: operation(actor) };
  } catch (err) {
    if (err instanceof ModelError) {
      notify(err.message);
      return null;
    }
    console.error(err);
    notify('That did not work. Please try again.');
    return null;
  }
}
