import { compactNames } from '../../shared/model/bracket-positions.js';
import type { OptionKind, ParagraphStatus, ResolutionOutcome } from '../../shared/schema/negotiation.js';

/** How statuses and outcomes read on screen. */
export const STATUS_LABELS: Record<ParagraphStatus, string> = {
  open: 'Open',
  agreed: 'Agreed',
  'agreed-ad-ref': 'Agreed ad ref',
};

/** A paragraph stored as agreed whose text changed since (effectiveStatus open): what it shows instead of "Agreed". */
export const CHANGED_SINCE_AGREED = {
  text: 'Changed since agreed',
  title: 'Changed since it was agreed: the agreement no longer holds. The chair must agree it again; until then only the chair or the secretariat can change it.',
} as const;

export const OUTCOME_LABELS: Record<ResolutionOutcome, string> = {
  chosen: 'option chosen',
  deleted: 'bracketed text deleted',
  compromise: 'brackets removed, text kept as edited',
};

/** What an option is, as its card heads it: the text bracketed, another wording, or dropping the text. */
export const OPTION_KIND_LABELS: Record<OptionKind, string> = {
  original: 'Original text',
  text: 'Alternative',
  delete: 'Delete',
};

/**
 * Who stands behind an option, in a few words for a label in the text: the
 * original text names who bracketed it (it has no proponent), the others
 * their proponents; supporters follow. Every name, compacted: "Egypt, Kenya
 * (+3)", never a bare count.
 */
export function optionBacking(option: { kind: OptionKind; proponents: readonly string[]; supporters: readonly string[] }, bracketedBy: readonly string[]): string {
  const who =
    option.kind === 'original'
      ? bracketedBy.length
        ? `bracketed by ${compactNames(bracketedBy)}`
        : 'original text'
      : compactNames(option.proponents) || 'no proponent left';
  return option.supporters.length ? `${who} · supported by ${compactNames(option.supporters)}` : who;
}

/** The same in full, for a title or a screen reader: "Option A, the original text, bracketed by Brazil; supported by Kenya". */
export function describeBacking(
  option: { label: string; kind: OptionKind; proponents: readonly string[]; supporters: readonly string[] },
  bracketedBy: readonly string[],
): string {
  const what =
    option.kind === 'original'
      ? `Option ${option.label}, the original text, ${bracketedBy.length ? `bracketed by ${bracketedBy.join(', ')}` : 'bracketed'}`
      : `Option ${option.label}${option.kind === 'delete' ? ' (delete the text)' : ''}, ${
          option.proponents.length ? `proposed by ${option.proponents.join(', ')}` : 'no proponent left'
        }`;
  return option.supporters.length ? `${what}; supported by ${option.supporters.join(', ')}` : what;
}

/** A delegation's place in a group, in one sentence: "Egypt supports B", "Brazil bracketed the original text and proposes B". */
export function positionSentence(
  delegation: string,
  position: { option: { label: string; kind: OptionKind }; as: 'proponent' | 'supporter' } | null,
  bracketed: boolean,
): string {
  const held = position
    ? position.option.kind === 'delete'
      ? `${position.as === 'proponent' ? 'proposes' : 'supports'} deleting the text (${position.option.label})`
      : position.option.kind === 'original'
        ? `supports keeping the original text (${position.option.label})`
        : `${position.as === 'proponent' ? 'proposes' : 'supports'} ${position.option.label}`
    : null;
  if (bracketed) return held ? `${delegation} bracketed the original text and ${held}` : `${delegation} bracketed the original text`;
  return held ? `${delegation} ${held}` : `${delegation} has taken no position here`;
}
