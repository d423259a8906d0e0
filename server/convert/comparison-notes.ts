import type { ComparedParagraph, Comparison } from '../../shared/schema/readings.js';

/** What both comparison files (Word and HTML) say around the text. */

/** "Rev.1 → Rev.2", as both files head the comparison. */
export function comparisonLabel(comparison: Comparison): string {
  return `Changes from ${comparison.from.name} to ${comparison.to.name}`;
}

/** The lines the files list above the text: what moved or was renumbered (the text marks the rest inline). */
export function paragraphNotes(paragraphs: readonly ComparedParagraph[]): string[] {
  const notes: string[] = [];
  for (const p of paragraphs) {
    if (p.change === 'moved') notes.push(`Paragraph ${p.refAfter ?? p.refBefore ?? '(unnumbered)'} moved${p.refBefore && p.refBefore !== p.refAfter ? ` (was ${p.refBefore})` : ''}`);
    else if (p.refBefore && p.refAfter && p.refBefore !== p.refAfter) notes.push(`Paragraph ${p.refBefore} renumbered ${p.refAfter}`);
  }
  return notes;
}

/** Who a tracked change is by, as Word shows it. */
export function authorName(by: readonly string[]): string {
  return by.length ? by.join(', ') : 'Unknown';
}
