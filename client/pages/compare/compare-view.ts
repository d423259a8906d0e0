import type { ComparedParagraph, Comparison, NegotiationEvent } from '../../../shared/schema/readings.js';

/**
 * What the comparison view shows of a Comparison: the paragraphs and events,
 * narrowed to one delegation when asked, and with or without the paragraphs
 * that did not change. Pure: the page only draws the result.
 */

export type CompareFilter = {
  /** Only what this delegation did; null for everyone. */
  delegation: string | null;
  /** Unchanged paragraphs too, for context. */
  unchanged: boolean;
};

export type ComparisonView = { paragraphs: ComparedParagraph[]; events: NegotiationEvent[] };

/** A paragraph changed in any way: its words, its place, its number or its status. */
function hasChanged(p: ComparedParagraph): boolean {
  return p.change !== 'same' || p.refBefore !== p.refAfter || p.statusBefore !== p.statusAfter;
}

function touchedBy(p: ComparedParagraph, delegation: string): boolean {
  return p.changedBy.includes(delegation) || p.pieces.some((piece) => piece.kind !== 'same' && piece.by.includes(delegation));
}

export function viewOf(comparison: Comparison, filter: CompareFilter): ComparisonView {
  const { delegation, unchanged } = filter;
  const eventParagraphs = new Set(
    comparison.events.filter((e) => delegation === null || e.who === delegation).flatMap((e) => (e.paragraphId ? [e.paragraphId] : [])),
  );
  const paragraphs = comparison.paragraphs.filter((p) => {
    if (delegation !== null) return touchedBy(p, delegation) || eventParagraphs.has(p.id);
    return unchanged || hasChanged(p) || eventParagraphs.has(p.id);
  });
  const events = delegation === null ? comparison.events : comparison.events.filter((e) => e.who === delegation);
  return { paragraphs, events };
}

/** Every delegation named in the comparison, for the filter, in alphabetical order. */
export function delegationsIn(comparison: Comparison): string[] {
  const names = new Set<string>();
  for (const p of comparison.paragraphs) {
    for (const name of p.changedBy) names.add(name);
    for (const piece of p.pieces) for (const name of piece.by) names.add(name);
  }
  for (const e of comparison.events) if (e.who) names.add(e.who);
  return [...names].sort((a, b) => a.localeCompare(b));
}

/** "3.3", "3.2 → 3.3" when renumbered, or null when the paragraph has no number on either side. */
export function refLabel(p: Pick<ComparedParagraph, 'refBefore' | 'refAfter'>): string | null {
  const { refBefore, refAfter } = p;
  if (refBefore && refAfter && refBefore !== refAfter) return `${refBefore} → ${refAfter}`;
  return refAfter ?? refBefore;
}

/** The words that tell a reader what kind of change a paragraph is, or null for a paragraph changed in place. */
export const CHANGE_LABELS: Record<ComparedParagraph['change'], string | null> = {
  same: null,
  changed: null,
  inserted: 'New paragraph',
  deleted: 'Paragraph deleted',
  moved: 'Moved',
};

/** "inserted by Egypt", "deleted by Brazil and Egypt", or the bare verb when nobody is known. */
export function pieceTitle(kind: 'inserted' | 'deleted', by: readonly string[]): string {
  if (by.length === 0) return kind;
  const names = by.length === 1 ? by[0] : `${by.slice(0, -1).join(', ')} and ${by[by.length - 1]}`;
  return `${kind} by ${names}`;
}
