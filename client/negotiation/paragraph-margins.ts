import type { GroupView, OptionView } from '../../shared/model/brackets.js';
import type { ThreadView } from '../../shared/model/comments.js';
import { agreementHolds, isLocked } from '../../shared/model/paragraph-status.js';
import type { ParagraphMeta, ParagraphStatus } from '../../shared/schema/negotiation.js';
import type { BlockTable } from './block-table.js';
import type { RecordTable } from './record-table.js';

/**
 * What the editor draws on and beside each paragraph (status badges, comment
 * and history markers, bracket labels), per paragraph id. Each part keeps its
 * identity while what it holds stays the same, so the editor's plugins redraw
 * only when one of them really changed, and only the paragraphs it names.
 */

export type LockedStatus = Exclude<ParagraphStatus, 'open'>;
/**
 * A locked paragraph (its stored status): `holds` is false when its text is
 * no longer the text agreed (the chair or the secretariat edited it since):
 * it reads as open (effectiveStatus) but stays locked until agreed again.
 */
export type LockedMark = { status: LockedStatus; holds: boolean };
export type ThreadCount = { open: number; total: number };
/** What a bracket's labels show of an option. */
export type OptionMarks = Pick<OptionView, 'id' | 'label' | 'kind' | 'proponents' | 'supporters'>;
export type OpenGroupMarks = {
  options: ReadonlyMap<string, OptionMarks>;
  deleteOption: OptionMarks | null;
  /** Who bracketed the original text (the original option's label names them: it has no proponent). */
  bracketedBy: readonly string[];
};

export type ParagraphMargins = {
  /** Agreed and agreed ad ref paragraphs (stored status): read-only for all but the chair. */
  locked: ReadonlyMap<string, LockedMark>;
  /** Comment threads of each paragraph that still exists. */
  threads: ReadonlyMap<string, ThreadCount>;
  /** Resolved brackets per paragraph they were created in. */
  resolved: ReadonlyMap<string, number>;
  /** The open bracket groups, as their labels show them. */
  openGroups: ReadonlyMap<string, OpenGroupMarks>;
  /** Paragraphs whose text carries bracket marks: where bracket labels are drawn. */
  bracketed: ReadonlySet<string>;
};

export const NO_MARGINS: ParagraphMargins = {
  locked: new Map(),
  threads: new Map(),
  resolved: new Map(),
  openGroups: new Map(),
  bracketed: new Set(),
};

/**
 * The locked paragraphs whose text is no longer the text agreed
 * (effectiveStatus open), by id: checked again for the paragraphs and
 * statuses a change touched, not for the whole document.
 */
export class UnheldAgreements {
  readonly ids = new Set<string>();

  constructor(
    private readonly statuses: RecordTable<ParagraphMeta>,
    private readonly blocks: BlockTable,
  ) {}

  /** Checks these paragraphs again; true when one of them changed side. */
  recheck(ids: Iterable<string>): boolean {
    let changed = false;
    for (const id of ids) {
      const meta = this.statuses.get(id);
      const at = meta && isLocked(meta.status) ? this.blocks.firstIndex.get(id) : undefined;
      const element = at === undefined ? undefined : this.blocks.entries[at]?.element;
      const unheld = meta !== undefined && element !== undefined && !agreementHolds(meta, element);
      if (unheld === this.ids.has(id)) continue;
      if (unheld) this.ids.add(id);
      else this.ids.delete(id);
      changed = true;
    }
    return changed;
  }

  /** Every locked paragraph, and those known not to hold (their status or block may be gone). */
  recheckAll(): boolean {
    const ids = new Set(this.ids);
    for (const [id, meta] of this.statuses.entries()) if (isLocked(meta.status)) ids.add(id);
    return this.recheck(ids);
  }
}

/** `unheld`: the locked paragraphs whose agreement no longer holds for their text (see NegotiationIndex). */
export function lockedOf(statuses: Iterable<[string, ParagraphMeta]>, unheld: ReadonlySet<string>): Map<string, LockedMark> {
  const locked = new Map<string, LockedMark>();
  for (const [id, meta] of statuses) {
    if (isLocked(meta.status)) locked.set(id, { status: meta.status as LockedStatus, holds: !unheld.has(id) });
  }
  return locked;
}

export function threadCountsOf(threads: ThreadView[]): Map<string, ThreadCount> {
  const counts = new Map<string, ThreadCount>();
  for (const thread of threads) {
    if (thread.orphaned) continue;
    const count = counts.get(thread.paragraphId) ?? { open: 0, total: 0 };
    count.total++;
    if (thread.status === 'open') count.open++;
    counts.set(thread.paragraphId, count);
  }
  return counts;
}

export function resolvedCountsOf(groups: GroupView[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const group of groups) {
    if (group.status === 'resolved') counts.set(group.paragraphId, (counts.get(group.paragraphId) ?? 0) + 1);
  }
  return counts;
}

export function openGroupsOf(groups: GroupView[]): Map<string, OpenGroupMarks> {
  const open = new Map<string, OpenGroupMarks>();
  for (const group of groups) {
    if (group.status !== 'open') continue;
    const options = group.options.map(({ id, label, kind, proponents, supporters }): OptionMarks => ({ id, label, kind, proponents, supporters }));
    open.set(group.id, {
      options: new Map(options.map((o) => [o.id, o])),
      deleteOption: options.find((o) => o.kind === 'delete') ?? null,
      bracketedBy: group.bracketedBy.map((entry) => entry.delegation),
    });
  }
  return open;
}

export function bracketedOf(blocks: BlockTable): Set<string> {
  const ids = new Set<string>();
  for (const block of blocks.marked) if (block.id && block.runs.length) ids.add(block.id);
  return ids;
}

/** A stable text of a part, to tell whether it changed. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner instanceof Map ? [...inner] : inner instanceof Set ? [...inner] : inner,
  );
}

/** `next`, unless it holds the same as `previous`: then `previous`, so its identity says "unchanged". */
export function keepIfSame<T>(previous: T, next: T): T {
  return previous === next || canonical(previous) === canonical(next) ? previous : next;
}

/** Ids whose entry differs between two maps of a part (added, removed or changed). */
export function changedIds<T>(before: ReadonlyMap<string, T> | ReadonlySet<string>, after: ReadonlyMap<string, T> | ReadonlySet<string>): Set<string> {
  const value = (part: ReadonlyMap<string, T> | ReadonlySet<string>, id: string) =>
    part instanceof Map ? canonical(part.get(id)) : String(part.has(id));
  const ids = new Set<string>();
  for (const id of before.keys()) if (value(before, id) !== value(after, id)) ids.add(id);
  for (const id of after.keys()) if (!before.has(id)) ids.add(id);
  return ids;
}
