import type { ParagraphStatus } from '../schema/negotiation.js';
import type { Role } from '../schema/roles.js';
import { isLocked } from './paragraph-status.js';

/**
 * Who may do what, as pure answers. The client uses them to show only the
 * controls a person can use; the server uses the same answers to refuse.
 */

/** The chair, or the secretariat holding the pen. */
export function presides(role: Role): boolean {
  return role === 'chair' || role === 'secretariat';
}

export function canEditText(role: Role): boolean {
  return presides(role) || role === 'delegate';
}

/** Agreed paragraphs are read-only for everyone but the chair and the secretariat. */
export function canEditParagraph(role: Role, status: ParagraphStatus): boolean {
  return canEditText(role) && (!isLocked(status) || presides(role));
}

/**
 * Takes positions in brackets: brackets text (an objection), proposes and
 * supports options. Delegations only: the chair and the secretariat are
 * neutral, they resolve.
 */
export function canBracket(role: Role): boolean {
  return role === 'delegate';
}

export function canResolveBrackets(role: Role): boolean {
  return presides(role);
}

export function canSetParagraphStatus(role: Role): boolean {
  return presides(role);
}

export function canComment(role: Role): boolean {
  return role !== 'observer';
}

/**
 * Until invitations assign roles, a person's role follows the delegation they
 * joined as: "Chair" and "Secretariat" preside, everyone else is a delegate.
 */
export function roleForDelegation(delegation: string): Role {
  const normalised = delegation.trim().toLowerCase();
  if (normalised === 'chair') return 'chair';
  if (normalised === 'secretariat') return 'secretariat';
  return 'delegate';
}
