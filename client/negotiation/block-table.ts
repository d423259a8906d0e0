import type * as Y from 'yjs';
import { listBlocks, type Block } from '../../shared/model/paragraphs.js';
import { readBracketMark } from '../../shared/model/record-guards.js';
import { textRuns, type TextRun } from '../../shared/model/text-runs.js';
import { BRACKET_MARK } from '../../shared/schema/negotiation.js';

/** A run of text carrying a well-formed bracket mark. */
type MarkedRun = { run: TextRun; group: string; option: string };

/** A text block of the body, where it is among the blocks, and the bracket marks of its text. */
export type BlockEntry = Block & {
  index: number;
  runs: MarkedRun[];
  /** Bracket mark values that are not `{ group, option }`. */
  malformed: unknown[];
  /** Whether it has any text but spaces: an empty line is not counted as a paragraph (countedBlocks). */
  hasText: boolean;
};

const NONE: readonly never[] = [];

type ReadMarks = Pick<BlockEntry, 'runs' | 'malformed' | 'hasText'>;

function readRuns(element: Y.XmlElement): ReadMarks {
  const runs: MarkedRun[] = [];
  const malformed: unknown[] = [];
  let hasText = false;
  for (const run of textRuns(element)) {
    if (!hasText && run.insert.trim().length > 0) hasText = true;
    const value = run.attributes[BRACKET_MARK];
    const mark = readBracketMark(value);
    if (mark === 'malformed') malformed.push(value);
    else if (mark) runs.push({ run, group: mark.group, option: mark.option });
  }
  // Most paragraphs carry no bracket: they share one empty list instead of keeping their own.
  return { runs: runs.length ? runs : (NONE as never[]), malformed: malformed.length ? malformed : (NONE as never[]), hasText };
}

function sameRuns(a: BlockEntry, b: ReadMarks): boolean {
  if (a.runs.length !== b.runs.length || a.malformed.length !== b.malformed.length) return false;
  for (let i = 0; i < a.runs.length; i++) {
    const x = a.runs[i]!;
    const y = b.runs[i]!;
    if (x.group !== y.group || x.option !== y.option || x.run.start !== y.run.start || x.run.insert !== y.run.insert) return false;
  }
  return a.malformed.every((value, i) => JSON.stringify(value) === JSON.stringify(b.malformed[i]));
}

/**
 * The body's text blocks in document order, as the model lists them
 * (numbers and references resolved by listBlocks), with each block's
 * bracketed runs read once and kept until its text changes. Typing in a
 * paragraph re-reads that paragraph only; a change of the block structure
 * or of a block's number lists the blocks again, reusing what was read.
 */
export class BlockTable {
  entries: BlockEntry[] = [];
  private byElement = new Map<Y.XmlElement, BlockEntry>();
  /** Blocks whose text carries bracket marks: the only ones the bracket views read. */
  readonly marked = new Set<BlockEntry>();
  /** Where each paragraph id first occurs among the blocks. */
  firstIndex = new Map<string, number>();

  relist(doc: Y.Doc): void {
    const previous = this.byElement;
    this.byElement = new Map();
    this.marked.clear();
    this.firstIndex = new Map();
    this.entries = listBlocks(doc).map((block, index) => {
      if (block.id && !this.firstIndex.has(block.id)) this.firstIndex.set(block.id, index);
      const known = previous.get(block.element);
      const marks = known ? { runs: known.runs, malformed: known.malformed, hasText: known.hasText } : readRuns(block.element);
      const entry: BlockEntry = { ...block, index, ...marks };
      this.byElement.set(block.element, entry);
      if (entry.runs.length || entry.malformed.length) this.marked.add(entry);
      return entry;
    });
  }

  entryOf(element: Y.XmlElement): BlockEntry | undefined {
    return this.byElement.get(element);
  }

  /**
   * Reads a block's marks again: `marks` when they differ (text, offsets or
   * marks of its bracketed runs), `emptied` when it gained its first text or
   * lost its last (it joins or leaves the counted paragraphs).
   */
  reread(entry: BlockEntry): { marks: boolean; emptied: boolean } {
    const next = readRuns(entry.element);
    const marks = !sameRuns(entry, next);
    const emptied = entry.hasText !== next.hasText;
    // The runs point into the Y.XmlText as it is now: keep the fresh ones even when they read the same.
    entry.runs = next.runs;
    entry.malformed = next.malformed;
    entry.hasText = next.hasText;
    if (next.runs.length || next.malformed.length) this.marked.add(entry);
    else this.marked.delete(entry);
    return { marks, emptied };
  }

  /** The marked blocks in document order. */
  markedInOrder(): BlockEntry[] {
    return [...this.marked].sort((a, b) => a.index - b.index);
  }
}
