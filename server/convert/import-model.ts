/**
 * What every importer produces before it becomes a Y.Doc: blocks with inline
 * content, in the body's own terms (see README, "Document format"). One
 * builder (build-ydoc.ts) turns it into Yjs, so every format lands in the same
 * shape and the negotiation layer (ids, numbers, comment threads) is set once.
 */

/** The marks of a run of text (build-ydoc.ts writes them the way y-tiptap stores marks). */
export type Marks = { bold?: true; italic?: true; underline?: true; link?: string };

export type Inline =
  | { kind: 'text'; text: string; marks: Marks }
  /** A footnote at this place; its text is the note's whole content. */
  | { kind: 'footnote'; text: string }
  | { kind: 'break' };

/** One comment thread: the first message and its replies, oldest first. */
export type ImportedThread = Array<{ author: string; text: string }>;

export type TextBlock = {
  kind: 'paragraph' | 'heading';
  /** Heading level 1-3. */
  level?: number;
  num?: string | null;
  indent?: number;
  inlines: Inline[];
  threads?: ImportedThread[];
};

export type ListBlock = { kind: 'list'; ordered: boolean; items: ImportBlock[][] };

export type ImportBlock = TextBlock | ListBlock;

/** What an importer hands back: a Yjs update of a fresh document, ready for DocumentStore.create. */
export type ImportedContent = { update: Uint8Array; paragraphCount: number; warnings: string[] };

export function text(value: string, marks: Marks = {}): Inline {
  return { kind: 'text', text: value, marks };
}

/** True when a block has nothing a reader would see. */
export function isEmptyBlock(block: TextBlock): boolean {
  return !block.num && block.inlines.every((i) => i.kind === 'text' && i.text.trim() === '');
}

/**
 * A paragraph number typed before the text: "1.2.3", "1.", "a)", "(b)", "iv)",
 * "2)". It counts only when a TAB separates it from the text, as in Word's and
 * the seeds' text: "2012 was…" or "a) as said…" typed with a space stay text.
 */
const NUMBER_THEN_TAB = /^(\d+(?:\.\d+)*\.?|\(?[a-z]\)|\(?[ivxlc]{1,6}\)|\(?\d+\))[ \u00a0]*\t+/;

/** Splits a typed paragraph number off the start of a line of text. */
export function splitNumber(line: string): { num: string; rest: string } | null {
  const match = NUMBER_THEN_TAB.exec(line);
  return match ? { num: match[1]!, rest: line.slice(match[0].length) } : null;
}

/**
 * Moves a number typed at the start of a block into its `num`, and leading
 * TABs into its `indent`, as the seeds' plain text means them. The number may
 * span formatting ("<b>1.2</b><TAB>text"), so the leading text runs are read
 * as one string.
 */
export function takeTypedNumber(block: TextBlock): TextBlock {
  let lead = '';
  for (const inline of block.inlines) {
    if (inline.kind !== 'text') break;
    lead += inline.text;
  }
  const spaces = /^[\s\u00a0]*/.exec(lead)![0];
  const tabs = spaces.split('\t').length - 1;
  const split = block.num ? null : splitNumber(lead.slice(spaces.length));
  return {
    ...block,
    num: split?.num ?? block.num ?? null,
    indent: Math.max(block.indent ?? 0, tabs),
    inlines: dropChars(block.inlines, lead.length - (split ? split.rest : lead.slice(spaces.length)).length),
  };
}

/** The inlines without their first `n` characters of text. */
function dropChars(inlines: Inline[], n: number): Inline[] {
  let left = n;
  const out: Inline[] = [];
  for (const inline of inlines) {
    if (left > 0 && inline.kind === 'text') {
      const cut = Math.min(left, inline.text.length);
      left -= cut;
      if (cut < inline.text.length) out.push({ ...inline, text: inline.text.slice(cut) });
    } else {
      out.push(inline);
    }
  }
  return out;
}

/** Joins adjacent text with the same marks and trims the block's ends. */
export function normaliseInlines(inlines: Inline[]): Inline[] {
  const out: Inline[] = [];
  for (const inline of inlines) {
    const prev = out[out.length - 1];
    if (inline.kind === 'text' && inline.text === '') continue;
    if (inline.kind === 'text' && prev?.kind === 'text' && sameMarks(prev.marks, inline.marks)) {
      out[out.length - 1] = { ...prev, text: prev.text + inline.text };
    } else {
      out.push(inline);
    }
  }
  const first = out[0];
  if (first?.kind === 'text') out[0] = { ...first, text: first.text.replace(/^[ \u00a0\n]+/, '') };
  const last = out[out.length - 1];
  if (last?.kind === 'text') out[out.length - 1] = { ...last, text: last.text.replace(/[\s\u00a0]+$/, '') };
  while (out[out.length - 1]?.kind === 'break') out.pop();
  return out.filter((i) => i.kind !== 'text' || i.text !== '');
}

function sameMarks(a: Marks, b: Marks): boolean {
  return a.bold === b.bold && a.italic === b.italic && a.underline === b.underline && a.link === b.link;
}

/** Only links a reader can safely follow survive an import: http(s) and mail. */
export function safeHref(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  try {
    const url = new URL(raw.trim());
    return ['http:', 'https:', 'mailto:'].includes(url.protocol) ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** Word bookmarks left in exported text (`[bookmark: _Toc123]`): never negotiation text. */
export const BOOKMARK = /\[bookmark: [^\]]*\]/g;
