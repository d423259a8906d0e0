import type * as Y from 'yjs';
import { listBracketGroups } from './brackets.js';
import { listThreads } from './comments.js';
import { paragraphStatuses } from './paragraph-status.js';
import type { DamagedPlace, DamagedRecord, OnDamaged } from './record-guards.js';

/**
 * What the readers of a document skipped, collected in one place for the
 * people who can do something about it: the server's log and the
 * secretariat's notice. The readers decide (see record-guards.ts); this only
 * gathers and words their reports.
 */

/** A collector for the readers' `onDamaged`: each record once, however many readers report it. */
export function damageCollector(): { onDamaged: OnDamaged; records: DamagedRecord[] } {
  const records: DamagedRecord[] = [];
  const seen = new Set<string>();
  return {
    records,
    onDamaged: (record) => {
      const key = damagedKey(record);
      if (seen.has(key)) return;
      seen.add(key);
      records.push(record);
    },
  };
}

/** One key per damaged entry and problem: what "reported once" counts. */
export function damagedKey(record: DamagedRecord): string {
  return `${record.where}\u0000${record.id}\u0000${record.problem}`;
}

/** Everything the readers of this document skip, in the order brackets, comments, statuses, marks. */
export function damagedRecords(doc: Y.Doc): DamagedRecord[] {
  const { onDamaged, records } = damageCollector();
  listBracketGroups(doc, onDamaged);
  listThreads(doc, onDamaged);
  paragraphStatuses(doc, onDamaged);
  return records;
}

const NOUNS: Record<DamagedPlace, { one: string; many: string; verb: string }> = {
  brackets: { one: 'damaged bracket record', many: 'damaged bracket records', verb: 'skipped' },
  comments: { one: 'damaged comment record', many: 'damaged comment records', verb: 'skipped' },
  paragraphs: { one: 'damaged paragraph status', many: 'damaged paragraph statuses', verb: 'skipped' },
  body: { one: 'damaged bracket mark in the text', many: 'damaged bracket marks in the text', verb: 'ignored' },
};
const ORDER: DamagedPlace[] = ['brackets', 'comments', 'paragraphs', 'body'];
/** Ids named in a sentence; the rest are counted (the notice lists them all under "What is wrong"). */
const MAX_IDS = 3;

/**
 * One sentence per kind, for people: "1 damaged bracket record was skipped:
 * <id>". `name` turns an id into what people call it (a paragraph's number).
 */
export function describeDamaged(records: DamagedRecord[], name: (record: DamagedRecord) => string = (r) => r.id): string[] {
  return ORDER.flatMap((where) => {
    const found = records.filter((r) => r.where === where);
    if (found.length === 0) return [];
    const ids = [...new Set(found.map(name))];
    const shown = ids.slice(0, MAX_IDS).join(', ') + (ids.length > MAX_IDS ? ` and ${ids.length - MAX_IDS} more` : '');
    const noun = NOUNS[where];
    const n = found.length;
    return [`${n} ${n === 1 ? noun.one : noun.many} ${n === 1 ? 'was' : 'were'} ${noun.verb}: ${shown}`];
  });
}
