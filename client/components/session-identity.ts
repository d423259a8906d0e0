import type { Role } from '../../shared/schema/roles.js';

/**
 * How the header names who is signed in: the person, the delegation they
 * speak for and their role, short enough to stay whole in a narrow header and
 * complete in the badge's menu.
 */

const ROLE_LABELS: Record<Role, string> = {
  secretariat: 'Secretariat',
  chair: 'Chair',
  delegate: 'Delegate',
  commenter: 'Commenter',
  observer: 'Observer',
};

/** What each role may do here, in one line (README, "Who may do what"): the menu says it under the role. */
const ROLE_SUMMARIES: Record<Role, string> = {
  secretariat: 'Edits, resolves brackets, agrees paragraphs, sets the drafting mode, and manages the document and its invitations.',
  chair: 'Edits any paragraph, resolves brackets, agrees paragraphs and sets the drafting mode; takes no positions.',
  delegate: 'Edits open paragraphs as the drafting mode allows; brackets, proposes and supports for the delegation; comments.',
  commenter: 'Reads the text and comments on it.',
  observer: 'Reads the text as it is drafted.',
};

export function roleLabel(role: Role): string {
  return ROLE_LABELS[role];
}

export function roleSummary(role: Role): string {
  return ROLE_SUMMARIES[role];
}

export type BadgeParts = {
  name: string;
  /** The delegation, without what the role already says ("Observer: UNESCO" reads "UNESCO" beside "Observer"); null when nothing is left. */
  delegation: string | null;
  role: string | null;
};

/**
 * The badge's parts. The server names commenters and observers after their
 * role ("Observer: UNESCO", "Commenter"), and the chair and the secretariat
 * speak as "Chair" and "Secretariat": beside the role tag that would say the
 * same twice, in the header's narrowest spot.
 */
export function badgeParts(name: string, delegation: string, role: Role | null): BadgeParts {
  const label = role ? roleLabel(role) : null;
  let shown = delegation.trim();
  if (label) {
    const lower = shown.toLowerCase();
    const prefix = `${label.toLowerCase()}:`;
    if (lower === label.toLowerCase()) shown = '';
    else if (lower.startsWith(prefix)) shown = shown.slice(prefix.length).trim();
  }
  return { name, delegation: shown || null, role: label };
}
