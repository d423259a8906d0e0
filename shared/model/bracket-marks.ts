import type * as Y from 'yjs';
import { BRACKET_MARK, type BracketMarkAttrs } from '../schema/negotiation.js';
import { listBlocks, type Block } from './paragraphs.js';
import { describeValue, readBracketMark, type GroupRecord, type OnDamaged } from './record-guards.js';
import { textRuns, type TextRun } from './text-runs.js';

/**
 * The bracket marks of the body, as the bracket model reads them. A mark is
 * text's claim to belong to an option; the `brackets` map says whether that
 * option exists. A claim that points nowhere (a malformed value, an unknown
 * group or option) is not trusted: its text reads as plain text, and the
 * claim is reported.
 */

/** A bracketed run; `index` is its block's place among the blocks. */
export type GroupRun = { block: Block; index: number; run: TextRun; group: string; option: string };
/** A bracket mark that is not `{ group, option }` strings, where it is (reported by listBracketGroups). */
export type MalformedMark = { block: Block; index: number; value: unknown };

/** The `{ group, option }` of a run's bracket mark; null when it has none or something malformed. */
export function markOf(run: TextRun): BracketMarkAttrs | null {
  const mark = readBracketMark(run.attributes[BRACKET_MARK]);
  return mark === 'malformed' ? null : mark;
}

/** Every bracketed run of the body, by group, in document order (one pass over the document). */
export function collectGroupRuns(doc: Y.Doc, malformed?: MalformedMark[]): Map<string, GroupRun[]> {
  const byGroup = new Map<string, GroupRun[]>();
  listBlocks(doc).forEach((block, index) => {
    for (const run of textRuns(block.element)) {
      const mark = readBracketMark(run.attributes[BRACKET_MARK]);
      if (mark === 'malformed') malformed?.push({ block, index, value: run.attributes[BRACKET_MARK] });
      if (!mark || mark === 'malformed') continue;
      const list = byGroup.get(mark.group) ?? [];
      list.push({ block, index, run, group: mark.group, option: mark.option });
      byGroup.set(mark.group, list);
    }
  });
  return byGroup;
}

/** The runs of a group that belong to one of its options (a run naming an unknown option reads as plain text). */
export function ownRuns(group: GroupRecord, runs: GroupRun[] | undefined): GroupRun[] {
  if (!runs) return [];
  const known = new Set(group.options.map((o) => o.fields.id));
  return runs.filter((r) => known.has(r.option));
}

/** Where a damaged bracket mark is: its paragraph's id, or its place among the blocks. */
function placeOf(block: Block, index: number): string {
  return block.id ?? `block ${index + 1}`;
}

/**
 * Reports the bracket marks that point nowhere: malformed values, and marks
 * naming a group or an option that does not exist. A mark of a damaged group
 * or option is not reported again: the record itself is. Readers treat the
 * text of such a mark as plain text.
 */
export function reportMarks(
  records: Map<string, GroupRecord>,
  damagedGroups: Set<string>,
  runs: Map<string, GroupRun[]>,
  malformed: MalformedMark[],
  onDamaged: OnDamaged,
): void {
  const reported = new Set<string>();
  const report = (id: string, problem: string) => {
    const key = `${id}\u0000${problem}`;
    if (reported.has(key)) return;
    reported.add(key);
    onDamaged({ where: 'body', id, problem });
  };
  for (const m of malformed) report(placeOf(m.block, m.index), `bracket mark is not { group, option }: ${describeValue(m.value)}`);
  for (const [groupId, list] of runs) {
    if (damagedGroups.has(groupId)) continue;
    const group = records.get(groupId);
    for (const r of list) {
      const where = placeOf(r.block, r.index);
      if (!group) report(where, `bracket mark names group ${groupId}, which does not exist`);
      else if (!group.options.some((o) => o.fields.id === r.option) && !group.damagedOptionIds.has(r.option)) {
        report(where, `bracket mark names option ${r.option}, which group ${groupId} does not have`);
      }
    }
  }
}
