import type { ParagraphStatus, ResolutionOutcome } from '../../shared/schema/negotiation.js';

/** How statuses and outcomes read on screen. */
export const STATUS_LABELS: Record<ParagraphStatus, string> = {
  open: 'Open',
  agreed: 'Agreed',
  'agreed-ad-ref': 'Agreed ad ref',
};

export const OUTCOME_LABELS: Record<ResolutionOutcome, string> = {
  chosen: 'option chosen',
  deleted: 'bracketed text deleted',
  compromise: 'brackets removed, text kept as edited',
};

/** "Egypt, China", or a dash when nobody is left. */
export function delegationList(delegations: readonly string[]): string {
  return delegations.length ? delegations.join(', ') : '—';
}
