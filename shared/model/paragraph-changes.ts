import type * as Y from 'yjs';
import { CHANGES_MAP, PARAGRAPH_CHANGES_KEPT, ParagraphChange, ParagraphChanges } from '../schema/negotiation.js';

/**
 * Who changed each paragraph lately (CHANGES_MAP): written by the server
 * alone, after it applied a change, from the delegation of the connection the
 * change arrived on (server/sync/change-record.ts). Participants only read it.
 */

/**
 * Changes of one paragraph by the same delegation, of the same kind, closer
 * than this to the line that records them write nothing: the record reads to
 * the minute ("Egypt, 10:42"), and a delegate typing a sentence would
 * otherwise store and send one more record with every keystroke.
 */
export const CHANGE_COALESCE_MS = 60_000;

/** The raw map: its values are not trusted (read them through paragraphChanges). */
export function changesMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap<unknown>(CHANGES_MAP);
}

/**
 * A stored value as a list of changes, newest first: the entries that read
 * well, at most the number kept; anything else (not a list, a malformed
 * line) is skipped, never trusted.
 */
export function readParagraphChanges(value: unknown): ParagraphChange[] {
  const whole = ParagraphChanges.safeParse(value);
  if (whole.success) return whole.data;
  if (!Array.isArray(value)) return [];
  const changes: ParagraphChange[] = [];
  for (const entry of value) {
    const parsed = ParagraphChange.safeParse(entry);
    if (parsed.success) changes.push(parsed.data);
    if (changes.length === PARAGRAPH_CHANGES_KEPT) break;
  }
  return changes;
}

/** The last changes of a paragraph, newest first ([] when nobody changed it since the record exists). */
export function paragraphChanges(doc: Y.Doc, paragraphId: string): ParagraphChange[] {
  return readParagraphChanges(changesMap(doc).get(paragraphId));
}

function sameRun(a: ParagraphChange, b: ParagraphChange): boolean {
  return a.delegation === b.delegation && a.kind === b.kind;
}

/** Milliseconds from `earlier` to `later` (ISO strings); NaN when either does not read as a date. */
function elapsed(earlier: string, later: string): number {
  return Date.parse(later) - Date.parse(earlier);
}

/**
 * The record of a paragraph after `change`, or null when nothing needs to be
 * written. A line stands for a run of changes by one delegation (of one kind),
 * stamped with the last time it changed the paragraph: the same delegation
 * again within CHANGE_COALESCE_MS of that time writes nothing, later it moves
 * the line's time (and names who spoke last); another delegation, or another
 * kind, starts a new line on top. The oldest lines beyond the number kept go.
 */
export function nextParagraphChanges(previous: readonly ParagraphChange[], change: ParagraphChange): ParagraphChange[] | null {
  const newest = previous[0];
  if (newest && sameRun(newest, change)) {
    // A clock set back (a negative age) counts as recent, so a line's time never moves backwards; a time that
    // does not read as one (NaN) as old, so the line is stamped again.
    if (elapsed(newest.at, change.at) < CHANGE_COALESCE_MS) return null;
    return [change, ...previous.slice(1, PARAGRAPH_CHANGES_KEPT)];
  }
  return [change, ...previous.slice(0, PARAGRAPH_CHANGES_KEPT - 1)];
}
