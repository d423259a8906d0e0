import type * as Y from 'yjs';
import { ownRuns, reportMarks, type GroupRun, type MalformedMark } from '../../shared/model/bracket-marks.js';
import { describeGroup, type GroupView } from '../../shared/model/brackets.js';
import { threadViewsOf, type ThreadView } from '../../shared/model/comments.js';
import type { Consensus } from '../../shared/model/consensus.js';
import { compareCreation } from '../../shared/model/creation-order.js';
import type { GroupRecord, OnDamaged, ThreadRecord } from '../../shared/model/record-guards.js';
import type { ParagraphMeta, ParagraphStatus } from '../../shared/schema/negotiation.js';
import type { BlockEntry, BlockTable } from './block-table.js';
import type { RecordTable } from './record-table.js';

/**
 * What the panels show, derived from the index's tables exactly as the
 * model's readers derive it from the whole document (listBracketGroups,
 * listThreads, consensus: tests/unit/negotiation-index.test.ts holds the two
 * side by side), but from the blocks that carry brackets and the records
 * that were read, not from a walk over the body.
 */

export type BlockInfo = { id: string; ref: string | null; section: string | null; status: ParagraphStatus; index: number };

/** A bracket group as panels show it: plain data, where it is now. */
export type GroupItem = Omit<GroupView, 'block'> & {
  /** The paragraph holding its text now, else the one it was created in. */
  where: string;
  ref: string | null;
  section: string | null;
};

const statusOf = (statuses: RecordTable<ParagraphMeta>, id: string): ParagraphStatus => statuses.get(id)?.status ?? 'open';

/** Each paragraph id once (its first block), with its number and status. */
export function blockInfos(blocks: BlockTable, statuses: RecordTable<ParagraphMeta>): Record<string, BlockInfo> {
  const infos: Record<string, BlockInfo> = {};
  for (const { id, ref, section, index } of blocks.entries) {
    if (id && !infos[id]) infos[id] = { id, ref, section, status: statusOf(statuses, id), index };
  }
  return infos;
}

/**
 * Every readable bracket group, open ones in document order first, then the
 * resolved ones (listBracketGroups' order); marks that point nowhere are
 * reported to `onDamaged`.
 */
export function groupViews(groups: RecordTable<GroupRecord>, blocks: BlockTable, onDamaged: OnDamaged): GroupView[] {
  const runs = new Map<string, GroupRun[]>();
  const malformed: MalformedMark[] = [];
  for (const block of blocks.markedInOrder()) {
    for (const value of block.malformed) malformed.push({ block, index: block.index, value });
    for (const { run, group, option } of block.runs) {
      const list = runs.get(group) ?? [];
      list.push({ block, index: block.index, run, group, option });
      runs.set(group, list);
    }
  }
  const records = new Map(groups.entries());
  reportMarks(records, groups.unreadable(), runs, malformed, onDamaged);
  const positions = new Map<string, number>();
  const views = [...records].map(([id, group]) => {
    const first = ownRuns(group, runs.get(id))[0];
    positions.set(id, first ? first.index * 1e7 + first.run.start : Number.MAX_SAFE_INTEGER);
    return describeGroup(id, group, runs.get(id));
  });
  const position = (g: GroupView) => positions.get(g.id)!;
  const created = (a: GroupView, b: GroupView) =>
    compareCreation(records.get(a.id)!.map as Y.AbstractType<unknown>, records.get(b.id)!.map as Y.AbstractType<unknown>);
  return views.sort((a, b) => (a.status === b.status ? position(a) - position(b) || created(a, b) : a.status === 'open' ? -1 : 1));
}

export function groupItem({ block, ...group }: GroupView, blocks: Record<string, BlockInfo>): GroupItem {
  const where = block?.id ?? group.paragraphId;
  return { ...group, where, ref: blocks[where]?.ref ?? null, section: blocks[where]?.section ?? null };
}

/** Every readable thread, in paragraph order, orphaned ones last (listThreads' order). */
export function threadViews(threads: RecordTable<ThreadRecord>, blocks: BlockTable): ThreadView[] {
  return threadViewsOf(new Map(threads.entries()), blocks.firstIndex);
}

/** The figure the chair reads out (the model's consensus(), from the tables). */
export function consensusOf(blocks: BlockEntry[], statuses: RecordTable<ParagraphMeta>, groups: GroupView[]): Consensus {
  const bracketed = new Set(groups.filter((g) => g.status === 'open' && g.block).map((g) => g.block!.id));
  let paragraphs = 0;
  let agreed = 0;
  let agreedAdRef = 0;
  let withOpenBrackets = 0;
  for (const { id } of blocks) {
    if (id === null) continue;
    paragraphs++;
    const status = statuses.get(id)?.status;
    if (status === 'agreed') agreed++;
    if (status === 'agreed-ad-ref') agreedAdRef++;
    if (bracketed.has(id)) withOpenBrackets++;
  }
  return {
    paragraphs,
    agreed,
    agreedAdRef,
    withOpenBrackets,
    openGroups: groups.filter((g) => g.status === 'open').length,
    resolvedGroups: groups.filter((g) => g.status === 'resolved').length,
  };
}
