import type * as Y from 'yjs';
import { listBracketGroups, type GroupView } from './brackets.js';
import { paragraphStatuses } from './paragraph-status.js';
import { listBlocks } from './paragraphs.js';

export type Consensus = {
  paragraphs: number;
  agreed: number;
  agreedAdRef: number;
  withOpenBrackets: number;
  openGroups: number;
  resolvedGroups: number;
};

/**
 * The figure the chair reads out: how far the room is from an agreed text.
 * A caller that has just listed the groups passes them: reading every record
 * again on each refresh would double the cost on a long report.
 */
export function consensus(doc: Y.Doc, groups: GroupView[] = listBracketGroups(doc)): Consensus {
  const blocks = listBlocks(doc).filter((b) => b.id !== null);
  const bracketed = new Set(groups.filter((g) => g.status === 'open' && g.block).map((g) => g.block!.id));
  const statuses = paragraphStatuses(doc);
  let agreed = 0;
  let agreedAdRef = 0;
  for (const block of blocks) {
    const status = statuses.get(block.id!)?.status;
    if (status === 'agreed') agreed++;
    if (status === 'agreed-ad-ref') agreedAdRef++;
  }
  return {
    paragraphs: blocks.length,
    agreed,
    agreedAdRef,
    withOpenBrackets: blocks.filter((b) => bracketed.has(b.id)).length,
    openGroups: groups.filter((g) => g.status === 'open').length,
    resolvedGroups: groups.filter((g) => g.status === 'resolved').length,
  };
}
