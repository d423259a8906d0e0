import { MAX_INVITATIONS_AT_ONCE, type CreatedInvitation, type InvitationSummary } from '../../shared/schema/auth.js';
import { roleLabel } from '../components/SessionBadge.js';

/** shared/schema/negotiation.ts `Delegation`. */
const MAX_DELEGATION = 80;

export type PastedList = {
  /** One delegation per non-empty line, trimmed, in the order pasted. */
  names: string[];
  /** What stops the list from being sent, said for the person; null when it can go. */
  problem: string | null;
  /** Names that appear more than once: each still gets a link of its own (two people of one delegation). */
  repeated: string[];
};

/** A list pasted from an e-mail or a spreadsheet column: one delegation a line, blank lines ignored. */
export function readPastedList(text: string): PastedList {
  const names = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const long = names.findIndex((n) => n.length > MAX_DELEGATION);
  const problem =
    names.length > MAX_INVITATIONS_AT_ONCE
      ? `At most ${MAX_INVITATIONS_AT_ONCE} invitations at once: this list has ${names.length} lines.`
      : long >= 0
        ? `“${names[long]!.slice(0, 30)}…” is longer than ${MAX_DELEGATION} characters.`
        : null;
  const seen = new Map<string, number>();
  for (const n of names) seen.set(n.toLowerCase(), (seen.get(n.toLowerCase()) ?? 0) + 1);
  const repeated = [...new Set(names.filter((n) => (seen.get(n.toLowerCase()) ?? 0) > 1))];
  return { names, problem, repeated };
}

/** Who an invitation is for, as the lists and the e-mail text say it: "Egypt (Head of delegation)". */
export function invitationFor(invitation: Pick<InvitationSummary, 'delegation' | 'label'>): string {
  const { delegation, label } = invitation;
  return label && label !== delegation ? `${delegation} (${label})` : delegation;
}

/** One line per link, to paste into an e-mail: "Egypt — Delegate — https://…/join/…". */
export function invitationsAsText(invitations: readonly CreatedInvitation[]): string {
  return invitations
    .map((i) => [invitationFor(i), `${roleLabel(i.role)}${i.personBound ? ', for one person' : ''}`, i.url].join(' — '))
    .join('\n');
}

export type InvitationState = 'active' | 'expired' | 'revoked';

export function invitationState(invitation: Pick<InvitationSummary, 'revokedAt' | 'expiresAt'>, now = new Date()): InvitationState {
  if (invitation.revokedAt) return 'revoked';
  if (invitation.expiresAt && new Date(invitation.expiresAt) <= now) return 'expired';
  return 'active';
}
