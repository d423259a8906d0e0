import type { Transaction } from '@tiptap/pm/state';
import { canBracket, canEditParagraph } from '../../shared/model/permissions.js';
import type { Actor } from '../../shared/schema/negotiation.js';
import type { NegotiationStorage } from '../editor/extensions/negotiation.js';
import type { NegotiationIndex } from './negotiation-index.js';
import { act } from './participant.js';

/**
 * What the negotiation commands share: the rules they check before acting,
 * and how they act. The model writes into the shared document directly (not
 * through ProseMirror), so the paragraph lock that guards typing is checked
 * here too.
 */

export type Negotiation = NegotiationStorage & { index: NegotiationIndex };

/** "3.3" for people, or a neutral phrase for an unnumbered paragraph. */
function paragraphName(negotiation: Negotiation, paragraphId: string): string {
  const ref = negotiation.index.snapshot().blocks[paragraphId]?.ref;
  return ref ? `Paragraph ${ref}` : 'This paragraph';
}

export function lockedMessage(negotiation: Negotiation, paragraphId: string): string {
  const status = negotiation.index.statusOf(paragraphId) === 'agreed-ad-ref' ? 'agreed ad ref' : 'agreed';
  return `${paragraphName(negotiation, paragraphId)} is ${status}; ask the chair to reopen it`;
}

/** Why this person may not change the text of the paragraph, or null when they may. */
export function editRefusal(negotiation: Negotiation, paragraphId: string): string | null {
  const { role } = negotiation.participant;
  if (canEditParagraph(role, negotiation.index.statusOf(paragraphId))) return null;
  return canBracket(role) ? lockedMessage(negotiation, paragraphId) : 'Your role does not allow changing the text';
}

/**
 * A command stopped by a rule: says why when it was asked to act, keeps
 * quiet when only asked whether it could (`editor.can()`, no dispatch).
 */
export function refuse(negotiation: Negotiation, dispatch: unknown, message: string): false {
  if (dispatch) negotiation.notify(message);
  return false;
}

/**
 * Runs a model operation for a command. The model writes into the Yjs
 * document and the binding turns that into a ProseMirror transaction of its
 * own while the command runs, so the command's transaction, made from the
 * state before, must not be dispatched after it.
 */
export function actFor<T>(negotiation: Negotiation, tr: Transaction, operation: (actor: Actor) => T): { value: T } | null {
  tr.setMeta('preventDispatch', true);
  return act(negotiation.participant.identity, negotiation.notify, operation);
}
