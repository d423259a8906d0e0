import type { Node as PMNode } from '@tiptap/pm/model';
import { Mapping, StepMap } from '@tiptap/pm/transform';
import { type Decoration, DecorationSet } from '@tiptap/pm/view';
import { blockId, eachTextblock } from './positions.js';

/**
 * Decorations drawn per text block (status badges, comment and history
 * markers, bracket punctuation), kept up to date with what changed rather
 * than rebuilt over the whole document on every keystroke.
 *
 * What changed is found by comparing the documents' top-level blocks, not
 * from the transaction's steps: the Yjs binding applies every remote change
 * as one step replacing the whole document, while the nodes it did not
 * change stay the same objects. Comparing them finds the paragraph a remote
 * keystroke touched as cheaply as a local one.
 */

/** Builds the decorations of one text block, at its position. */
export type BlockDecorator = (node: PMNode, pos: number, id: string | null) => Decoration[];

type Placed = { node: PMNode; pos: number };

export type BlockDiff = {
  /** Positions of the old document in the new one; inside a changed block they count as deleted. */
  mapping: Mapping;
  /** The changed top-level blocks, before and after. */
  before: Placed[];
  after: Placed[];
};

const same = (a: PMNode, b: PMNode) => a === b || a.eq(b);

/** The last comparison: every plugin asks the same question about the same transaction. */
let last: { before: PMNode; after: PMNode; diff: BlockDiff | null } | null = null;

/** The top-level blocks that differ between two documents; null when none does. */
export function diffBlocks(before: PMNode, after: PMNode): BlockDiff | null {
  if (before === after) return null;
  if (last?.before !== before || last.after !== after) last = { before, after, diff: compare(before, after) };
  return last.diff;
}

function compare(before: PMNode, after: PMNode): BlockDiff | null {
  const a = before.content;
  const b = after.content;
  let start = 0;
  let pos = 0;
  while (start < a.childCount && start < b.childCount && same(a.child(start), b.child(start))) {
    pos += a.child(start).nodeSize;
    start++;
  }
  let endA = a.childCount;
  let endB = b.childCount;
  while (endA > start && endB > start && same(a.child(endA - 1), b.child(endB - 1))) {
    endA--;
    endB--;
  }
  if (start === endA && start === endB) return null;
  const ranges: number[] = [];
  const changedBefore: Placed[] = [];
  const changedAfter: Placed[] = [];
  let posA = pos;
  let posB = pos;
  if (endA - start === endB - start) {
    // As many blocks on both sides (typing, formatting): only those that differ, one by one.
    for (let i = start; i < endA; i++) {
      const x = a.child(i);
      const y = b.child(i);
      if (!same(x, y)) {
        ranges.push(posA, x.nodeSize, y.nodeSize);
        changedBefore.push({ node: x, pos: posA });
        changedAfter.push({ node: y, pos: posB });
      }
      posA += x.nodeSize;
      posB += y.nodeSize;
    }
  } else {
    // Blocks came or went: the stretch between the unchanged ends, as one.
    for (let i = start; i < endA; i++) {
      changedBefore.push({ node: a.child(i), pos: posA });
      posA += a.child(i).nodeSize;
    }
    for (let i = start; i < endB; i++) {
      changedAfter.push({ node: b.child(i), pos: posB });
      posB += b.child(i).nodeSize;
    }
    ranges.push(pos, posA - pos, posB - pos);
  }
  return { mapping: new Mapping([new StepMap(ranges)]), before: changedBefore, after: changedAfter };
}

/** The text blocks inside some top-level blocks (themselves, or those in a list). */
export function textblocksIn(blocks: Placed[], visit: (node: PMNode, pos: number, id: string | null) => void): void {
  for (const { node, pos } of blocks) {
    if (node.isTextblock) visit(node, pos, blockId(node));
    else eachTextblock(node, (child, offset, id) => visit(child, pos + 1 + offset, id));
  }
}

export function decorateAll(doc: PMNode, decorate: BlockDecorator): DecorationSet {
  const decorations: Decoration[] = [];
  eachTextblock(doc, (node, pos, id) => decorations.push(...decorate(node, pos, id)));
  return decorations.length ? DecorationSet.create(doc, decorations) : DecorationSet.empty;
}

/** Moves the decorations of unchanged blocks, drops those of changed ones and draws these again. */
export function redecorateChanged(set: DecorationSet, diff: BlockDiff, doc: PMNode, decorate: BlockDecorator): DecorationSet {
  let next = set.map(diff.mapping, doc);
  const added: Decoration[] = [];
  textblocksIn(diff.after, (node, pos, id) => added.push(...decorate(node, pos, id)));
  if (added.length) next = next.add(doc, added);
  return next;
}

/** Draws again the text blocks with these ids (what they show changed, not their text). */
export function redecorateIds(set: DecorationSet, doc: PMNode, ids: ReadonlySet<string>, decorate: BlockDecorator): DecorationSet {
  if (ids.size === 0) return set;
  let next = set;
  eachTextblock(doc, (node, pos, id) => {
    if (!id || !ids.has(id)) return;
    const end = pos + node.nodeSize;
    const stale = next.find(pos, end).filter((d) => d.from >= pos && d.to <= end);
    next = next.remove(stale).add(doc, decorate(node, pos, id));
  });
  return next;
}
