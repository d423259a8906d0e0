import { buildDocument } from './build-ydoc.js';
import {
  BOOKMARK,
  isEmptyBlock,
  normaliseInlines,
  safeHref,
  takeTypedNumber,
  text,
  type ImportBlock,
  type ImportedContent,
  type Inline,
  type ListBlock,
  type Marks,
  type TextBlock,
} from './import-model.js';

/**
 * Markdown to the block model: the subset drafts use (ATX and setext headings,
 * paragraphs, nested bullet and numbered lists, emphasis, links, `<u>`,
 * footnotes `[^1]` with `[^1]: text`, tables as one paragraph per row) and
 * the conventions of our own Markdown export: "1.2.3 text" (or a number then
 * a TAB) is a numbered paragraph, a leading `&emsp;` a level of indentation,
 * "> Comment by Name (Delegation): text" under a paragraph a comment on it.
 * Raw HTML is never interpreted: it stays visible text.
 */

const HEADING = /^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/;
const SETEXT = /^ {0,3}(=+|-+)[ \t]*$/;
const RULE = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const LIST_ITEM = /^( *)([-*+]|\d{1,9}[.)])[ \t]+(.*)$/;
const FENCE = /^ {0,3}(```|~~~)/;
const QUOTE = /^ {0,3}>[ \t]?(.*)$/;
const COMMENT_LINE = /^(Comment|Reply) by (.{1,120}?): (.*)$/;
const FOOTNOTE_DEF = /^ {0,3}\[\^([^\]\s]+)\]:[ \t]*(.*)$/;
const TABLE_ROW = /^\s*\|.*\|\s*$/;
const TABLE_RULE = /^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/;

type RawItem = { indent: number; ordered: boolean; lines: string[] };

export function importMarkdown(source: string): ImportedContent {
  const warnings: string[] = [];
  const notes = new Map<string, string>();
  const lines: string[] = [];
  const all = source.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').split('\n');
  for (let i = 0; i < all.length; i++) {
    const def = FOOTNOTE_DEF.exec(all[i]!);
    if (!def) {
      lines.push(all[i]!);
      continue;
    }
    let body = def[2]!;
    while (i + 1 < all.length && /^( {2,}|\t)\S/.test(all[i + 1]!)) body += ` ${all[++i]!.trim()}`;
    notes.set(def[1]!, body.trim());
  }
  const inline = new InlineParser(notes, warnings);
  const blocks = parseBlocks(lines, inline);
  for (const [id, body] of inline.unused()) {
    warnings.push(`Footnote [^${id}] is never referenced; its text was added at the end as a paragraph.`);
    blocks.push({ kind: 'paragraph', inlines: [text(`[${id}] ${body}`)] });
  }
  return buildDocument(blocks, warnings);
}

function parseBlocks(lines: string[], inline: InlineParser): ImportBlock[] {
  const out: ImportBlock[] = [];
  let para: string[] = [];
  const push = (block: TextBlock) => {
    const numbered = takeTypedNumber({ ...block, inlines: normaliseInlines(block.inlines) });
    const done = { ...numbered, inlines: normaliseInlines(numbered.inlines) };
    if (!isEmptyBlock(done)) out.push(done);
  };
  const flush = () => {
    if (para.length) {
      // Our export's indentation of sub-items: one `&emsp;` per level.
      const indent = /^((?:&emsp;)+)/.exec(para[0]!)?.[1]?.length ?? 0;
      para[0] = para[0]!.slice(indent);
      push({ kind: 'paragraph', indent: indent / 6, inlines: inline.parseLines(para) });
    }
    para = [];
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') {
      flush();
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      flush();
      push({ kind: 'heading', level: Math.min(3, heading[1]!.length), inlines: inline.parse(heading[2]!) });
      continue;
    }
    const setext = SETEXT.exec(line);
    if (setext && para.length) {
      const level = setext[1]!.startsWith('=') ? 1 : 2;
      push({ kind: 'heading', level, inlines: inline.parseLines(para) });
      para = [];
      continue;
    }
    if (RULE.test(line)) {
      flush();
      continue;
    }
    if (FENCE.test(line)) {
      flush();
      const fence = FENCE.exec(line)![1]!;
      while (i + 1 < lines.length && !lines[i + 1]!.trimStart().startsWith(fence)) {
        push({ kind: 'paragraph', inlines: [text(lines[++i]!.replace(/\t/g, ' '))] });
      }
      i++;
      continue;
    }
    const quote = QUOTE.exec(line);
    if (quote) {
      flush();
      const comment = COMMENT_LINE.exec(quote[1]!.replace(/^\*\*|\*\*(?=:)/g, ''));
      const previous = out[out.length - 1];
      if (comment && previous && previous.kind !== 'list') {
        const message = { author: unescapeMarkdown(comment[2]!), text: unescapeMarkdown(comment[3]!) };
        previous.threads ??= [];
        const threads = previous.threads;
        if (comment[1] === 'Reply' && threads.length) threads[threads.length - 1]!.push(message);
        else threads.push([message]);
      } else {
        para.push(quote[1]!);
      }
      continue;
    }
    if (TABLE_ROW.test(line)) {
      flush();
      if (TABLE_RULE.test(line)) continue;
      const cells = line.trim().replace(/^\||\|$/g, '').split(/(?<!\\)\|/);
      const inlines: Inline[] = [];
      cells.forEach((cell, n) => {
        if (n > 0) inlines.push(text('\t'));
        inlines.push(...inline.parse(cell.trim()));
      });
      out.push({ kind: 'paragraph', inlines: normaliseInlines(inlines) });
      continue;
    }
    const item = LIST_ITEM.exec(line);
    if (item && (para.length === 0 || !/^\d/.test(item[2]!))) {
      flush();
      const items: RawItem[] = [];
      while (i < lines.length) {
        const current = lines[i]!;
        const m = LIST_ITEM.exec(current);
        if (m) items.push({ indent: m[1]!.length, ordered: /^\d/.test(m[2]!), lines: [m[3]!] });
        else if (current.trim() !== '' && /^\s+\S/.test(current) && items.length) items[items.length - 1]!.lines.push(current.trim());
        else if (current.trim() === '' && LIST_ITEM.test(lines[i + 1] ?? '')) {
          // A blank line between items keeps the list going.
        } else break;
        i++;
      }
      i--;
      out.push(...buildLists(items, 0, inline));
      continue;
    }
    para.push(line);
  }
  flush();
  return out;
}

/** Nests raw items by indentation: deeper items belong to the item above them. */
function buildLists(items: RawItem[], from: number, inline: InlineParser): ListBlock[] {
  const lists: ListBlock[] = [];
  let i = from;
  const base = items[from]?.indent ?? 0;
  while (i < items.length && items[i]!.indent >= base) {
    const item = items[i]!;
    if (item.indent > base) {
      i++;
      continue;
    }
    let list = lists[lists.length - 1];
    if (!list || list.ordered !== item.ordered) {
      list = { kind: 'list', ordered: item.ordered, items: [] };
      lists.push(list);
    }
    const content: ImportBlock[] = [{ kind: 'paragraph', inlines: normaliseInlines(inline.parseLines(item.lines)) }];
    let j = i + 1;
    if (j < items.length && items[j]!.indent > base) {
      content.push(...buildLists(items, j, inline));
      while (j < items.length && items[j]!.indent > base) j++;
    }
    list.items.push(content);
    i = j;
  }
  return lists;
}

/** Emphasis, links, `<u>`, footnote references and escapes, as a small left-to-right scanner. */
class InlineParser {
  private readonly used = new Set<string>();

  constructor(
    private readonly notes: Map<string, string>,
    private readonly warnings: string[],
  ) {}

  /** Footnote definitions no reference points to. */
  unused(): Array<[string, string]> {
    return [...this.notes].filter(([id]) => !this.used.has(id));
  }

  parseLines(lines: string[]): Inline[] {
    const out: Inline[] = [];
    lines.forEach((line, n) => {
      const hard = /( {2,}|\\)$/.test(line);
      out.push(...this.parse(line.replace(/( {2,}|\\)$/, '').trim()));
      if (n < lines.length - 1) out.push(hard ? { kind: 'break' } : text(' '));
    });
    return out;
  }

  parse(source: string, marks: Marks = {}): Inline[] {
    const out: Inline[] = [];
    let plain = '';
    const emit = () => {
      if (plain) out.push(text(plain.replace(BOOKMARK, ''), marks));
      plain = '';
    };
    let i = 0;
    while (i < source.length) {
      const ch = source[i]!;
      if (!'\\`[<*_'.includes(ch)) {
        plain += ch;
        i++;
        continue;
      }
      const rest = source.slice(i);
      if (ch === '\\' && /^\\[\\`*_{}[\]()#+\-.!|<>~]/.test(rest)) {
        plain += source[i + 1];
        i += 2;
        continue;
      }
      const code = /^(`+)([\s\S]*?[^`])\1(?!`)/.exec(rest);
      if (code) {
        plain += code[2]!.trim();
        i += code[0].length;
        continue;
      }
      const note = /^\[\^([^\]\s]+)\]/.exec(rest);
      if (note) {
        emit();
        const body = this.notes.get(note[1]!);
        if (body === undefined) this.warnings.push(`Footnote [^${note[1]}] has no text and was dropped.`);
        else out.push({ kind: 'footnote', text: body });
        this.used.add(note[1]!);
        i += note[0].length;
        continue;
      }
      const link = matchLink(rest);
      if (link) {
        emit();
        const href = safeHref(link.href);
        out.push(...this.parse(link.label, href ? { ...marks, link: href } : marks));
        i += link.length;
        continue;
      }
      const underline = /^<u>([\s\S]*?)<\/u>/i.exec(rest);
      if (underline) {
        emit();
        out.push(...this.parse(underline[1]!, { ...marks, underline: true }));
        i += underline[0].length;
        continue;
      }
      const strong = /^(\*\*|__)(?=\S)([\s\S]*?\S)\1/.exec(rest);
      if (strong && (strong[1] === '**' || wordBoundary(source, i, strong[0].length))) {
        emit();
        out.push(...this.parse(strong[2]!, { ...marks, bold: true }));
        i += strong[0].length;
        continue;
      }
      const em = /^([*_])(?=\S)([\s\S]*?\S)\1(?!\1)/.exec(rest);
      if (em && (em[1] === '*' || wordBoundary(source, i, em[0].length))) {
        emit();
        out.push(...this.parse(em[2]!, { ...marks, italic: true }));
        i += em[0].length;
        continue;
      }
      plain += ch;
      i++;
    }
    emit();
    return out;
  }
}

function unescapeMarkdown(text: string): string {
  return text.replace(/\\([\\`*_{}[\]()#+\-.!|<>~])/g, '$1');
}

/** `[label](url "title")` or `<https://...>`. */
function matchLink(rest: string): { label: string; href: string; length: number } | null {
  // The destination may hold balanced parentheses, as CommonMark allows: (https://x/a_(b)).
  const inline = /^\[((?:\\.|[^\]\\])*)\]\(\s*<?((?:[^()\s<>]|\([^()\s]*\))*)>?(?:\s+"[^"]*")?\s*\)/.exec(rest);
  if (inline) return { label: inline[1]!, href: inline[2]!, length: inline[0].length };
  const auto = /^<((?:https?|mailto):[^>\s]+)>/.exec(rest);
  return auto ? { label: auto[1]!, href: auto[1]!, length: auto[0].length } : null;
}

/** `_` emphasis only at word edges, so snake_case_names stay as typed. */
function wordBoundary(source: string, start: number, length: number): boolean {
  const before = source[start - 1] ?? ' ';
  const after = source[start + length] ?? ' ';
  return !/\w/.test(before) && !/\w/.test(after);
}
