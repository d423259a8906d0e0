import type { GroupRecord, OptionRecord } from './record-guards.js';

/**
 * Where each delegation stands in a bracket group. Bracketing the original
 * text is an objection; proposing an option, or supporting one, is a
 * position, and a delegation holds one position per group: it cannot both
 * support option A and propose deleting it. Changing its mind moves the
 * position (see brackets.ts). The server checks the result of every update
 * with `positionProblem`, so no client can leave a contradiction behind.
 */

export type Stance = { optionId: string; as: 'proponent' | 'supporter' };

/** The one position a delegation holds in a group, if any. */
export function stanceOf(group: GroupRecord, delegation: string): Stance | null {
  for (const option of group.options) {
    if (option.proponents.includes(delegation)) return { optionId: option.fields.id, as: 'proponent' };
    if (option.supporters.includes(delegation)) return { optionId: option.fields.id, as: 'supporter' };
  }
  return null;
}

/** The original text of a group: its first option, of kind `original`, proposed by nobody (absent in an insertion proposal). */
function originalOption(group: GroupRecord): OptionRecord | null {
  const first = group.options[0];
  return first?.fields.kind === 'original' ? first : null;
}

export function hasBracketed(group: GroupRecord, delegation: string): boolean {
  return (group.bracketedBy ?? []).some((entry) => entry.delegation === delegation);
}

/** Is anyone but `delegation` part of this group (bracketing, proposing or supporting)? */
export function othersIn(group: GroupRecord, delegation: string): boolean {
  const other = (d: string) => d !== delegation;
  return (
    (group.bracketedBy ?? []).some((entry) => other(entry.delegation)) ||
    group.options.some((option) => option.proponents.some(other) || option.supporters.some(other))
  );
}

/**
 * What is wrong with the positions recorded in a group, or null: the
 * original text credited to a proponent, an original option that is not the
 * first, a delegation holding two positions, or supporting the text it
 * bracketed. Groups made before `bracketedBy` existed are not judged (their
 * option A is its maker's, until the migration rewrites them).
 */
export function positionProblem(group: GroupRecord): string | null {
  if (group.bracketedBy === null) return null;
  const seen = new Set<string>();
  for (const [index, option] of group.options.entries()) {
    if (option.fields.kind === 'original') {
      if (index > 0) return 'Only the first option of a bracket is the original text';
      if (option.proponents.length > 0) return 'The original text has no proponents: bracketing text objects to it';
    }
    for (const delegation of [...option.proponents, ...option.supporters]) {
      if (seen.has(delegation)) return `${delegation} can hold one position in a bracket: supporting or proposing another option moves it`;
      seen.add(delegation);
    }
  }
  const original = originalOption(group);
  const both = original?.supporters.find((delegation) => hasBracketed(group, delegation));
  if (both) return `${both} bracketed this text and cannot also support keeping it: withdraw the bracket instead`;
  return null;
}

/** "Egypt, Kenya (+3)" where space is short; the full list goes in a title or a footnote. */
export function compactNames(names: readonly string[], shown = 2): string {
  if (names.length <= shown + 1) return names.join(', ');
  return `${names.slice(0, shown).join(', ')} (+${names.length - shown})`;
}

/**
 * Why this delegation may not change the text of an option of an open group
 * (type in it, delete from it), or null when it may. An alternative is its
 * proponents' wording; the original text stays as it was bracketed (propose
 * an alternative instead). The chair and the secretariat may: they edit a
 * compromise into the brackets before resolving them.
 */
export function optionTextRefusal(option: { kind: string; proponents: readonly string[] }, delegation: string, presiding: boolean): string | null {
  if (presiding) return null;
  if (option.kind === 'original') return 'Bracketed text stays as it was: propose an alternative instead';
  if (option.proponents.includes(delegation)) return null;
  return `This is the wording of ${option.proponents.join(', ') || 'another delegation'}: only its proponents change it; propose an alternative instead`;
}
