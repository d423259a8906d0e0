import type * as Y from 'yjs';
import type { ParagraphMeta, ParagraphStatus } from '../schema/negotiation.js';
import { listBracketGroups, type GroupView } from './brackets.js';
import { effectiveStatus, paragraphStatuses } from './paragraph-status.js';
import { countedBlocks, listBlocks, type Block } from './paragraphs.js';

export type Consensus = {
  /** Paragraphs the room counts (countedBlocks: no headings, titles or empty lines). */
  paragraphs: number;
  /** Of those, agreed, and agreed ad referendum, as they read now (effectiveStatus). */
  agreed: number;
  agreedAdRef: number;
  /** Counted paragraphs holding the text of an open bracket. */
  withOpenBrackets: number;
  openGroups: number;
  resolvedGroups: number;
};

/**
 * A counted paragraph with the status readers show and count. `changed`: an
 * agreement was recorded but the text has moved on since, so it reads open.
 */
export type CountedParagraph = { block: Block; status: ParagraphStatus; changed: boolean };

/** Where each paragraph's status record is, for readers that hold them in a table of their own (the client's index). */
type MetaOf = (paragraphId: string) => ParagraphMeta | undefined;

/** The paragraphs of the figures, with their status as it reads now: one rule for the consensus figure and the exports' titles. */
export function countedParagraphs(blocks: readonly Block[], metaOf: MetaOf): CountedParagraph[] {
  return countedBlocks(blocks).map((block) => {
    const meta = metaOf(block.id!);
    const status = effectiveStatus(meta, block.element);
    return { block, status, changed: meta !== undefined && meta.status !== 'open' && status === 'open' };
  });
}

/**
 * The figure from blocks, status records and groups already read: the
 * client's index calls this with its own tables, `consensus` with the
 * document's, so both count alike.
 */
export function consensusFrom(blocks: readonly Block[], metaOf: MetaOf, groups: readonly GroupView[]): Consensus {
  const bracketed = new Set(groups.filter((g) => g.status === 'open' && g.block?.id).map((g) => g.block!.id));
  const counted = countedParagraphs(blocks, metaOf);
  return {
    paragraphs: counted.length,
    agreed: counted.filter((p) => p.status === 'agreed').length,
    agreedAdRef: counted.filter((p) => p.status === 'agreed-ad-ref').length,
    withOpenBrackets: counted.filter((p) => bracketed.has(p.block.id)).length,
    openGroups: groups.filter((g) => g.status === 'open').length,
    resolvedGroups: groups.filter((g) => g.status === 'resolved').length,
  };
}

/**
 * The figure the chair reads out: how far the room is from an agreed text.
 * A caller that has just listed the groups passes them: reading every record
 * again on each refresh would double the cost on a long report.
 */
export function consensus(doc: Y.Doc, groups: GroupView[] = listBracketGroups(doc)): Consensus {
  const statuses = paragraphStatuses(doc);
  return consensusFrom(listBlocks(doc), (id) => statuses.get(id), groups);
}
