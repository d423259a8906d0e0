import type { ThreadView } from '../../shared/model/comments.js';
import type { ThreadStatus } from '../../shared/schema/negotiation.js';

/**
 * Which comment threads the pane lists. Threads come in the order the model
 * gives them (paragraph order, orphaned ones last: threadViewsOf), and the
 * pane keeps it: filtering only leaves some out.
 */
export type ThreadFilter = {
  status: ThreadStatus | 'all';
  /** Threads this delegation wrote in (started or replied). */
  delegation: string | null;
  /** Threads on paragraphs of this top-level section ("3" for 3.5 b)). */
  section: string | null;
};

export const ALL_THREADS: ThreadFilter = { status: 'all', delegation: null, section: null };

/** The section of a paragraph that still exists; undefined for a deleted one. */
export type SectionOf = (paragraphId: string) => string | null | undefined;

export function isFiltered(filter: ThreadFilter): boolean {
  return filter.status !== 'all' || filter.delegation !== null || filter.section !== null;
}

/** The delegations that wrote in a thread, each once, in the order they first wrote. */
function delegationsOf(thread: ThreadView): string[] {
  const seen = new Set<string>();
  for (const message of thread.messages) if (!message.deleted) seen.add(message.author.delegation);
  return [...seen];
}

export function threadMatches(thread: ThreadView, filter: ThreadFilter, sectionOf: SectionOf): boolean {
  if (filter.status !== 'all' && thread.status !== filter.status) return false;
  if (filter.delegation !== null && !delegationsOf(thread).includes(filter.delegation)) return false;
  if (filter.section !== null && (thread.orphaned || sectionOf(thread.paragraphId) !== filter.section)) return false;
  return true;
}

export function filterThreads(threads: readonly ThreadView[], filter: ThreadFilter, sectionOf: SectionOf): ThreadView[] {
  return isFiltered(filter) ? threads.filter((t) => threadMatches(t, filter, sectionOf)) : [...threads];
}

/**
 * What the filters offer: the delegations that wrote (alphabetical) and the
 * sections that hold threads (in document order, as the threads come). A
 * choice in force stays offered even when nothing matches it any more, so the
 * select still shows it.
 */
export function filterChoices(threads: readonly ThreadView[], sectionOf: SectionOf, filter: ThreadFilter = ALL_THREADS): { delegations: string[]; sections: string[] } {
  const delegations = new Set<string>(filter.delegation === null ? [] : [filter.delegation]);
  const sections: string[] = [];
  for (const thread of threads) {
    for (const delegation of delegationsOf(thread)) delegations.add(delegation);
    const section = thread.orphaned ? null : sectionOf(thread.paragraphId);
    if (section && !sections.includes(section)) sections.push(section);
  }
  if (filter.section !== null && !sections.includes(filter.section)) sections.push(filter.section);
  return { delegations: [...delegations].sort((a, b) => a.localeCompare(b)), sections };
}

/**
 * The thread after (step 1) or before (step -1) the current one among those
 * shown; from none (or one filtered out), the first or the last. Null at
 * either end: the list does not wrap, so the reader knows they saw them all.
 */
export function stepThread(shown: readonly ThreadView[], currentId: string | null, step: 1 | -1): ThreadView | null {
  const at = currentId === null ? -1 : shown.findIndex((t) => t.id === currentId);
  if (at < 0) return (step === 1 ? shown[0] : shown[shown.length - 1]) ?? null;
  return shown[at + step] ?? null;
}
