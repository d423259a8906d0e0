import type * as Y from 'yjs';
import { ModelError } from '../../shared/model/errors.js';
import type { Actor } from '../../shared/schema/negotiation.js';
import type { Role } from '../../shared/schema/roles.js';
import type { Identity } from '../identity.js';

/**
 * What editor extensions and panels need to act in the negotiation. The
 * editor (and its plugins) is built once per document, while the identity,
 * role and React callbacks change: plugins hold this object and read the
 * current values through it at the moment of use.
 */
export type NegotiationEnv = {
  readonly ydoc: Y.Doc;
  identity: Identity;
  role: Role;
  notify: (message: string) => void;
  /** Show a paragraph's comment threads (comment badge clicked). */
  openThreads: (paragraphId: string) => void;
  /** Show the resolution records of a paragraph (history marker clicked). */
  openResolutions: (paragraphId: string) => void;
  /** Show one bracket group's details (null closes them). */
  selectGroup: (groupId: string | null) => void;
};

export function createNegotiationEnv(ydoc: Y.Doc, identity: Identity, role: Role): NegotiationEnv {
  const noop = () => {};
  return { ydoc, identity, role, notify: noop, openThreads: noop, openResolutions: noop, selectGroup: noop };
}

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
export function act<T>(env: NegotiationEnv, operation: (actor: Actor) => T): { value: T } | null {
  const actor = actorOf(env.identity);
  if (!actor) {
    env.notify('Set your delegation first (click your name at the top right): proposals are recorded per delegation.');
    return null;
  }
  try {
    return { value: operation(actor) };
  } catch (err) {
    if (err instanceof ModelError) {
      env.notify(err.message);
      return null;
    }
    console.error(err);
    env.notify('That did not work. Please try again.');
    return null;
  }
}
