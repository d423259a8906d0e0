import { buildDocument } from './build-ydoc.js';
import {
  BOOKMARK,
  splitNumber,
  text,
  type ImportedContent,
  type ImportedThread,
  type Inline,
  type TextBlock,
} from './import-model.js';

export type { ImportedContent } from './import-model.js';

/** "–<TAB>text", also with spaces around the TAB or several spaces instead, as Word's lists export. */
const DASHED = /^[–-](?:[ \u00a0]*\t|[ \u00a0]{2,})[\s\u00a0]*(.*)$/;
/** A reviewer's comment exported at the end of its paragraph, or on a line of its own after it. */
const COMMENT = /\t(Comment|Reply) by ([^:\t]{1,120}): ([^\t]*)/g;
/** Footnote N's text, where Word's plain-text export put it: `[N: text]`, inline or on its own line. */
const FOOTNOTE_TEXT = /\[(\d{1,4}):[ \u00a0]+([^\]]*)\]/g;
/** Where footnote N is referenced. */
const FOOTNOTE_REF = /\[footnoteRef:(\d{1,4})\]/g;

type Line = TextBlock & { comments: Array<{ reply: boolean; author: string; text: string }> };

function parseLine(rawLine: string): Line {
  const comments = [...rawLine.matchAll(COMMENT)].map((m) => ({ reply: m[1] === 'Reply', author: m[2]!, text: m[3]!.trim() }));
  const first = rawLine.search(COMMENT);
  const raw = first >= 0 ? rawLine.slice(0, first) : rawLine;
  const indent = /^\t+/.exec(raw)?.[0].length ?? 0;
  const line = raw.replace(/^\t+/, '');
  const numbered = splitNumber(line);
  if (numbered) {
    const num = numbered.num;
    const body = numbered.rest.trim();
    const depth = num.replace(/\.$/, '').split('.').length;
    // "1<TAB>Introduction", "1.2<TAB>Background": short, unpunctuated section titles.
    const words = body.replace(FOOTNOTE_REF, '');
    const isTitle = /^\d+(\.\d+)*\.?$/.test(num) && raw === line && depth <= 2 && words.length < 90 && !/[.:;,]$/.test(words);
    return isTitle
      ? { kind: 'heading', level: depth, num, inlines: [text(body)], comments }
      : { kind: 'paragraph', num, indent, inlines: [text(body)], comments };
  }
  const dashed = DASHED.exec(line);
  // A dash line is an entry under the paragraph above: indented, its dash kept as typed.
  if (dashed) return { kind: 'paragraph', indent: Math.max(indent, 1), inlines: [text(`– ${dashed[1]!.trim()}`)], comments };
  return { kind: 'paragraph', indent, inlines: [text(line.replace(/\t+/g, ' ').trim())], comments };
}

/** Replaces `[footnoteRef:N]` markers in a block's text with footnote inlines. */
function placeFootnotes(inlines: Inline[], notes: Map<string, string>, used: Set<string>, warnings: string[]): Inline[] {
  const out: Inline[] = [];
  for (const inline of inlines) {
    if (inline.kind !== 'text') {
      out.push(inline);
      continue;
    }
    let last = 0;
    for (const match of inline.text.matchAll(FOOTNOTE_REF)) {
      out.push(text(inline.text.slice(last, match.index), inline.marks));
      const note = notes.get(match[1]!);
      if (note === undefined) warnings.push(`Footnote ${match[1]} is referenced but its text is missing; the reference was dropped.`);
      else out.push({ kind: 'footnote', text: note });
      used.add(match[1]!);
      last = match.index + match[0].length;
    }
    out.push(text(inline.text.slice(last), inline.marks));
  }
  return out.filter((i) => i.kind !== 'text' || i.text !== '');
}

/**
 * Plain text, one paragraph per line, as a Yjs update of the document body.
 * A paragraph number typed before a TAB becomes the block's `num` attribute,
 * so it stays visible and stable while the text around it moves; every block
 * gets a fresh stable id; a line starting with a TAB or a dash is an indented
 * sub-item; "<TAB>Comment by X: text" at the end of a line (or alone on the
 * next line) becomes a comment thread, "Reply by" a reply in it;
 * `[footnoteRef:N]` becomes footnote N, whose text is `[N: text]`.
 */
export function importPlainText(input: string): ImportedContent {
  const warnings: string[] = [];
  const notes = new Map<string, string>();
  const source = input.replace(/^\uFEFF/, '').replace(FOOTNOTE_TEXT, (_all, n: string, body: string) => {
    notes.set(n, body.trim());
    return '';
  });
  const used = new Set<string>();
  const blocks: Line[] = [];
  for (const rawLine of source.split(/\r\n|\n|\r/)) {
    const cleaned = rawLine.replace(BOOKMARK, '').replace(/^ +/, '').trimEnd();
    if (cleaned.trim().length === 0) continue;
    const line = parseLine(cleaned);
    line.inlines = placeFootnotes(line.inlines, notes, used, warnings);
    const previous = blocks[blocks.length - 1];
    const empty = line.inlines.length === 0 && !line.num;
    if (empty && previous) previous.comments.push(...line.comments);
    else if (!empty || line.comments.length > 0) blocks.push(line);
  }
  for (const [n, note] of notes) {
    if (used.has(n)) continue;
    warnings.push(`Footnote ${n} is never referenced; its text was added at the end as a paragraph.`);
    blocks.push({ kind: 'paragraph', inlines: [text(`[${n}] ${note}`)], comments: [] });
  }
  return buildDocument(blocks.map(withThreads), warnings);
}

function withThreads({ comments, ...block }: Line): TextBlock {
  const threads: ImportedThread[] = [];
  for (const c of comments) {
    const message = { author: c.author, text: c.text };
    const open = threads[threads.length - 1];
    if (c.reply && open) open.push(message);
    else threads.push([message]);
  }
  return threads.length ? { ...block, threads } : block;
}
