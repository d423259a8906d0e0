import type * as Y from 'yjs';
import { ownRuns, reportMarks, type GroupRun, type MalformedMark } from '../../shared/model/bracket-marks.js';
import { describeGroup, type GroupView } from '../../shared/model/brackets.js';
import { threadViewsOf, type ThreadView } from '../../shared/model/comments.js';
import { consensusFrom, type Consensus, type CountedParagraph } from '../../shared/model/consensus.js';
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

export type BlockInfo = {
  id: string;
  ref: string | null;
  section: string | null;
  /** The stored status: what locks the paragraph. */
  status: ParagraphStatus;
  /** Stored as agreed (or ad ref) but its text changed since: it reads and counts as open until agreed again. */
  changedSinceAgreed: boolean;
  index: number;
};

/** A bracket group as panels show it: plain data, where it is now. */
export type GroupItem = Omit<GroupView, 'block'> & {
  /** The paragraph holding its text now, else the one it was created in. */
  where: string;
  ref: string | null;
  section: string | null;
};

const statusOf = (statuses: RecordTable<ParagraphMeta>, id: string): ParagraphStatus => statuses.get(id)?.status ?? 'open';

/** Each paragraph id once (its first block), with its number and status; `unheld`: agreements that no longer hold. */
export function blockInfos(blocks: BlockTable, statuses: RecordTable<ParagraphMeta>, unheld: ReadonlySet<string>): Record<string, BlockInfo> {
  const infos: Record<string, BlockInfo> = {};
  for (const { id, ref, section, index } of blocks.entries) {
    if (id && !infos[id]) infos[id] = { id, ref, section, status: statusOf(statuses, id), changedSinceAgreed: unheld.has(id), index };
  }
  return infos;
}

/** The one position a delegation holds in a group as the card shows it (stanceOf's answer, read from the view). */
export function positionIn(group: Pick<GroupView, 'options'>, delegation: string): { option: GroupView['options'][number]; as: 'proponent' | 'supporter' } | null {
  for (const option of group.options) {
    if (option.proponents.includes(delegation)) return { option, as: 'proponent' };
    if (option.supporters.includes(delegation)) return { option, as: 'supporter' };
  }
  return null;
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

/** The figure the chair reads out: the model's own count (consensusFrom), from the tables. */
export function consensusOf(blocks: BlockEntry[], statuses: RecordTable<ParagraphMeta>, groups: GroupView[]): Consensus {
  return consensusFrom(blocks, (id) => statuses.get(id), groups);
}

/** What the figure counts of the groups: how many are open and resolved, and which paragraphs hold open ones. */
export function groupCountsKey(groups: GroupView[]): string {
  const open = groups.filter((g) => g.status === 'open');
  const bracketed = [...new Set(open.map((g) => g.block?.id ?? ''))].sort();
  return `${open.length}/${groups.length - open.length}/${bracketed.join(' ')}`;
}

/** What agreeing several paragraphs at once (a section, a selection) would set, and what the chair is told first. */
export type AgreePlan = {
  /** The paragraphs to agree: counted ones not agreed yet (an agreement that no longer holds counts as not agreed). */
  ids: string[];
  refs: string[];
  /** Counted paragraphs in scope already agreed: left as they are. */
  alreadyAgreed: number;
  /** Of those to agree, how many are agreed ad ref now (they become agreed). */
  adRef: number;
  /** Of those to agree, how many still hold open brackets. */
  withOpenBrackets: number;
};

/** `counted`: the counted paragraphs in scope (countedParagraphs), in document order. */
export function agreePlan(counted: readonly CountedParagraph[], groups: readonly GroupItem[]): AgreePlan {
  const bracketed = new Set(groups.filter((g) => g.status === 'open').map((g) => g.where));
  const plan: AgreePlan = { ids: [], refs: [], alreadyAgreed: 0, adRef: 0, withOpenBrackets: 0 };
  const seen = new Set<string>();
  for (const { block, status } of counted) {
    if (!block.id || seen.has(block.id)) continue;
    seen.add(block.id);
    // As it reads now: an agreement the text has moved on from is agreed again.
    if (status === 'agreed') {
      plan.alreadyAgreed++;
      continue;
    }
    plan.ids.push(block.id);
    if (block.ref) plan.refs.push(block.ref);
    if (status === 'agreed-ad-ref') plan.adRef++;
    if (bracketed.has(block.id)) plan.withOpenBrackets++;
  }
  return plan;
}
