import type * as Y from 'yjs';
import { nowIso } from '../../shared/model/ids.js';
import { changesMap, nextParagraphChanges, paragraphChanges } from '../../shared/model/paragraph-changes.js';
import { ParagraphChange } from '../../shared/schema/negotiation.js';
import type { TouchedParagraphs } from '../check/touched-paragraphs.js';
import type { TransactionOrigin } from './origin.js';

/** The origin of the record's transactions: stored in the log and sent to everyone like any change. */
export const CHANGE_RECORD_ORIGIN: TransactionOrigin = Object.freeze({ source: 'server', reason: 'change record' });

/** Who sent a change, as the server knows the connection (never as the update says). */
export type ChangeAuthor = { delegation: string; name: string };

/** As long as a name in the record may be (shared/schema/negotiation.ts `PersonName`, `Delegation`). */
const MAX_NAME = 80;

/** A name as the record holds it: an invitation's label, which names a script's connection, may be longer. */
function recorded(name: string): string {
  const trimmed = name.trim();
  return trimmed.length <= MAX_NAME ? trimmed : `${trimmed.slice(0, MAX_NAME - 1).trimEnd()}…`;
}

/**
 * Writes who changed which paragraphs into the record (CHANGES_MAP), for a
 * change that was applied: one server transaction, or none when every line
 * stays as it is (the same delegation typing on within the minute). Returns
 * how many paragraphs' lines it wrote.
 */
export function recordParagraphChanges(doc: Y.Doc, paragraphs: TouchedParagraphs, author: ChangeAuthor, at: string = nowIso()): number {
  if (paragraphs.edited.size === 0 && paragraphs.deleted.size === 0) return 0;
  const delegation = recorded(author.delegation);
  const name = recorded(author.name) || delegation;
  // Parsed, so a line the readers would skip is never written: it would hide the change rather than record it.
  const line = (kind: ParagraphChange['kind']) => ParagraphChange.parse({ delegation, name, at, kind });
  const writes: Array<[string, ParagraphChange[]]> = [];
  const plan = (ids: ReadonlySet<string>, change: ParagraphChange) => {
    for (const id of ids) {
      const next = nextParagraphChanges(paragraphChanges(doc, id), change);
      if (next) writes.push([id, next]);
    }
  };
  if (paragraphs.edited.size > 0) plan(paragraphs.edited, line('edited'));
  if (paragraphs.deleted.size > 0) plan(paragraphs.deleted, line('deleted'));
  if (writes.length === 0) return 0;
  const record = changesMap(doc);
  doc.transact(() => {
    for (const [id, changes] of writes) record.set(id, changes);
  }, CHANGE_RECORD_ORIGIN);
  return writes.length;
}
