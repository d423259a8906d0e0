import type { EditorState } from '@tiptap/pm/state';
import { addAlternative, createBracket } from '../../shared/model/brackets.js';
import { paragraphStatus } from '../../shared/model/paragraph-status.js';
import { findBlock } from '../../shared/model/paragraphs.js';
import { canBracket, canEditParagraph } from '../../shared/model/permissions.js';
import { NEGOTIATION_ORIGIN } from '../editor/negotiation-origin.js';
import { bracketableSelection } from '../editor/positions.js';
import { act, type NegotiationEnv } from './env.js';

/**
 * Negotiation operations that change the text. The model writes into the
 * shared body directly (not through ProseMirror), so the paragraph lock that
 * guards typing is checked here too.
 */

/** "3.3" for people, or a neutral phrase for an unnumbered paragraph. */
export function paragraphName(env: NegotiationEnv, paragraphId: string): string {
  const ref = findBlock(env.ydoc, paragraphId)?.ref;
  return ref ? `Paragraph ${ref}` : 'This paragraph';
}

export function lockedMessage(env: NegotiationEnv, paragraphId: string): string {
  const status = paragraphStatus(env.ydoc, paragraphId) === 'agreed-ad-ref' ? 'agreed ad ref' : 'agreed';
  return `${paragraphName(env, paragraphId)} is ${status}; ask the chair to reopen it`;
}

/** True when this person may change the text of the paragraph; otherwise says why. */
export function mayEditParagraph(env: NegotiationEnv, paragraphId: string): boolean {
  if (canEditParagraph(env.role, paragraphStatus(env.ydoc, paragraphId))) return true;
  env.notify(canBracket(env.role) ? lockedMessage(env, paragraphId) : 'Your role does not allow changing the text');
  return false;
}

/** Puts the selected words in brackets as option A of this person's delegation; returns the new group. */
export function bracketSelection(env: NegotiationEnv, state: EditorState): string | null {
  if (!canBracket(env.role)) {
    env.notify('Your role does not allow putting text in brackets');
    return null;
  }
  const selection = bracketableSelection(state);
  if (!selection.ok) {
    env.notify(selection.reason);
    return null;
  }
  if (!mayEditParagraph(env, selection.paragraphId)) return null;
  const created = act(env, (actor) =>
    createBracket(env.ydoc, { paragraphId: selection.paragraphId, from: selection.from, to: selection.to, actor }, NEGOTIATION_ORIGIN),
  );
  if (!created) return null;
  env.selectGroup(created.value.groupId);
  return created.value.groupId;
}

/** Adds an alternative wording (empty text: the "delete" option) after the group's last option. */
export function proposeAlternative(env: NegotiationEnv, groupId: string, paragraphId: string, text: string): boolean {
  if (!canBracket(env.role)) {
    env.notify('Your role does not allow proposing text');
    return false;
  }
  if (!mayEditParagraph(env, paragraphId)) return false;
  return act(env, (actor) => addAlternative(env.ydoc, { groupId, text, actor }, NEGOTIATION_ORIGIN)) !== null;
}
