import { Element, Text, type ChildNode } from 'domhandler';
import { parseDocument } from 'htmlparser2';
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
  type ImportedThread,
  type Inline,
  type Marks,
  type TextBlock,
} from './import-model.js';

/**
 * HTML to the block model. Nothing of the HTML is kept: the tree is read
 * through an allow-list of elements that mean paragraphs, headings, lists and
 * marks, and everything else contributes its text or nothing. Scripts, styles,
 * event handlers and attributes never reach the document; links survive only
 * as http(s) or mailto. Footnotes and comments are read the way mammoth writes
 * them (and our own HTML export does): `<a href="#footnote-1">` pointing at an
 * `<li id="footnote-1">` in a list at the end, `<a href="#comment-0">` at a
 * `<dt id="comment-0">` + `<dd>`.
 */

export type HtmlImportOptions = {
  /** Word's spaces are as typed (mammoth's HTML), unlike HTML source whose line breaks and runs of spaces are layout. */
  preserveSpaces?: boolean;
  /** Full author names by comment id, which mammoth's HTML leaves out. */
  commentAuthors?: Map<string, string>;
};

const SKIPPED = new Set(
  'script style template noscript iframe object embed svg math head title meta link base input button select textarea option canvas audio video source track map area frame frameset applet dialog'.split(
    ' ',
  ),
);
const CONTAINERS = new Set(
  'html body div section article main header footer aside nav figure figcaption center blockquote address details summary form fieldset dl'.split(' '),
);
const TEXT_BLOCKS = new Set('p h1 h2 h3 h4 h5 h6 dt dd caption legend'.split(' '));
const NOTE_ID = /^(footnote|endnote)-(.+)$/;
const COMMENT_ID = /^comment-(.+)$/;

type Sink = { inlines: Inline[]; threads: ImportedThread[] };

class HtmlReader {
  private readonly notes = new Map<string, string>();
  private readonly comments = new Map<string, string>();
  /** Note and comment bodies: read once up front, never as body text. */
  private readonly skipped = new Set<ChildNode>();
  private images = 0;
  private tables = 0;
  private missingNotes = 0;

  constructor(private readonly options: HtmlImportOptions) {}

  read(nodes: ChildNode[]): { blocks: ImportBlock[]; warnings: string[] } {
    this.collectNotes(nodes);
    const blocks: ImportBlock[] = [];
    this.blocks(nodes, blocks);
    const warnings: string[] = [];
    if (this.images) warnings.push(`${this.images} image(s) were left out: the editor holds text only.`);
    if (this.tables) warnings.push(`${this.tables} table(s) were imported as one paragraph per row, cells separated by TAB.`);
    if (this.missingNotes) warnings.push(`${this.missingNotes} footnote reference(s) had no footnote text and were dropped.`);
    return { blocks, warnings };
  }

  private collectNotes(nodes: ChildNode[]): void {
    for (const el of elements(nodes)) {
      const id = el.attribs.id ?? '';
      if (el.name === 'li' && NOTE_ID.test(id)) {
        this.notes.set(id, plainText(el.children, true));
        this.skipped.add(el);
      } else if (el.name === 'dt' && COMMENT_ID.test(id)) {
        const body = nextElement(el);
        this.comments.set(COMMENT_ID.exec(id)![1]!, body?.name === 'dd' ? plainText(body.children, true) : '');
        this.skipped.add(el);
        if (body?.name === 'dd') this.skipped.add(body);
      }
    }
    // The list or dl that held only notes or comments goes with them.
    for (const el of elements(nodes)) {
      const kids = el.children.filter((c): c is Element => c instanceof Element);
      if (['ol', 'ul', 'dl'].includes(el.name) && kids.length > 0 && kids.every((c) => this.skipped.has(c))) this.skipped.add(el);
    }
  }

  private blocks(nodes: ChildNode[], out: ImportBlock[]): void {
    let pending: Sink = { inlines: [], threads: [] };
    const flush = () => {
      this.pushText(out, { kind: 'paragraph', inlines: pending.inlines, threads: pending.threads }, null);
      pending = { inlines: [], threads: [] };
    };
    for (const node of nodes) {
      if (this.skipped.has(node)) continue;
      if (!(node instanceof Element) || !this.isBlock(node)) {
        this.inline(node, {}, pending);
        continue;
      }
      flush();
      this.block(node, out);
    }
    flush();
  }

  private isBlock(el: Element): boolean {
    return (
      SKIPPED.has(el.name) ||
      CONTAINERS.has(el.name) ||
      TEXT_BLOCKS.has(el.name) ||
      ['ul', 'ol', 'li', 'table', 'pre', 'hr'].includes(el.name)
    );
  }

  private block(el: Element, out: ImportBlock[]): void {
    const name = el.name;
    if (SKIPPED.has(name) || name === 'hr') return;
    // Our own HTML export's comment lists: shown to readers, not document text.
    if (name === 'aside' && (el.attribs.class ?? '').split(' ').includes('comments')) return;
    if (CONTAINERS.has(name) || name === 'li') return this.blocks(el.children, out);
    if (name === 'ul' || name === 'ol') return this.list(el, out);
    if (name === 'table') return this.table(el, out);
    if (name === 'pre') {
      for (const line of plainText(el.children, false, true).split('\n')) this.pushText(out, { kind: 'paragraph', inlines: [text(line)] }, el);
      return;
    }
    const sink: Sink = { inlines: [], threads: [] };
    const numbered = el.attribs['data-num'] !== undefined;
    for (const child of el.children) {
      // Our own export shows the number in a span as well as in data-num.
      if (numbered && child instanceof Element && (child.attribs.class ?? '').split(' ').includes('num')) continue;
      this.inline(child, {}, sink);
    }
    const heading = /^h([1-6])$/.exec(name);
    const block: TextBlock = heading
      ? { kind: 'heading', level: Math.min(3, Number(heading[1])), inlines: sink.inlines, threads: sink.threads }
      : { kind: 'paragraph', inlines: sink.inlines, threads: sink.threads };
    this.pushText(out, block, el);
  }

  private pushText(out: ImportBlock[], raw: TextBlock, el: Element | null): void {
    const fromAttrs: Partial<TextBlock> = {};
    const num = el?.attribs['data-num']?.trim();
    const indent = Number(el?.attribs['data-indent'] ?? /(?:^|\s)indent-(\d)(?:\s|$)/.exec(el?.attribs.class ?? '')?.[1]);
    if (num) fromAttrs.num = num.slice(0, 40);
    if (Number.isInteger(indent) && indent > 0 && indent < 10) fromAttrs.indent = indent;
    const block = takeTypedNumber({ ...raw, ...fromAttrs, inlines: normaliseInlines(raw.inlines) });
    const inlines = normaliseInlines(block.inlines);
    const threads = block.threads ?? [];
    if (isEmptyBlock({ ...block, inlines })) {
      // A comment anchored on an empty paragraph belongs to the paragraph before it.
      const previous = out[out.length - 1];
      if (threads.length && previous?.kind !== 'list' && previous) previous.threads = [...(previous.threads ?? []), ...threads];
      return;
    }
    const result: TextBlock = { ...block, inlines };
    if (!threads.length) delete result.threads;
    out.push(result);
  }

  private list(el: Element, out: ImportBlock[]): void {
    const items: ImportBlock[][] = [];
    for (const child of el.children) {
      if (this.skipped.has(child)) continue;
      if (child instanceof Element && child.name === 'li') {
        const item: ImportBlock[] = [];
        this.blocks(child.children, item);
        if (item.length) items.push(item);
      } else if (child instanceof Element && (child.name === 'ul' || child.name === 'ol')) {
        // A list nested straight in a list (not in an item) belongs to the item before it.
        const nested: ImportBlock[] = [];
        this.list(child, nested);
        if (items.length) items[items.length - 1]!.push(...nested);
        else items.push(nested);
      }
    }
    if (items.length) out.push({ kind: 'list', ordered: el.name === 'ol', items });
  }

  private table(el: Element, out: ImportBlock[]): void {
    this.tables++;
    for (const row of [...elements(el.children)].filter((e) => e.name === 'tr' && closestTable(e) === el)) {
      const sink: Sink = { inlines: [], threads: [] };
      row.children
        .filter((c): c is Element => c instanceof Element && (c.name === 'td' || c.name === 'th'))
        .forEach((cell, i) => {
          if (i > 0) sink.inlines.push(text('\t'));
          const cellSink: Sink = { inlines: [], threads: sink.threads };
          for (const c of cell.children) this.inline(c, {}, cellSink);
          sink.inlines.push(...trimCell(cellSink.inlines));
        });
      // The TABs between cells are content here, not indentation: no number taken.
      const inlines = normaliseInlines(sink.inlines);
      if (inlines.some((i) => i.kind !== 'text' || i.text.trim() !== '')) {
        out.push({ kind: 'paragraph', inlines, ...(sink.threads.length ? { threads: sink.threads } : {}) });
      }
    }
  }

  private inline(node: ChildNode, marks: Marks, sink: Sink): void {
    if (this.skipped.has(node)) return;
    if (node instanceof Text) {
      const value = (this.options.preserveSpaces ? node.data : collapse(node.data)).replace(BOOKMARK, '');
      if (value) sink.inlines.push(text(value, marks));
      return;
    }
    if (!(node instanceof Element) || SKIPPED.has(node.name)) return;
    const name = node.name;
    if (name === 'br') return void sink.inlines.push({ kind: 'break' });
    if (name === 'img') return void this.images++;
    if (name === 'a') return this.anchor(node, marks, sink);
    if (name === 'table') {
      // A table inside a paragraph-level element: its rows as text, one per line.
      const rows: ImportBlock[] = [];
      this.table(node, rows);
      for (const row of rows) if (row.kind === 'paragraph') sink.inlines.push({ kind: 'break' }, ...row.inlines);
      return;
    }
    const next: Marks = { ...marks };
    if (name === 'strong' || name === 'b') next.bold = true;
    if (name === 'em' || name === 'i') next.italic = true;
    if (name === 'u' || name === 'ins') next.underline = true;
    if (TEXT_BLOCKS.has(name) || name === 'div' || name === 'li') {
      // Block-level markup inside a paragraph: keep its text apart from what precedes it.
      if (sink.inlines.length) sink.inlines.push(text(' ', marks));
    }
    for (const child of node.children) this.inline(child, next, sink);
  }

  private anchor(el: Element, marks: Marks, sink: Sink): void {
    const href = el.attribs.href ?? '';
    const note = /^#((?:footnote|endnote)-.+)$/.exec(href);
    if (note) {
      const body = this.notes.get(note[1]!);
      if (body === undefined) this.missingNotes++;
      else sink.inlines.push({ kind: 'footnote', text: body });
      return;
    }
    const comment = /^#comment-(.+)$/.exec(href);
    if (comment && this.comments.has(comment[1]!)) {
      const author = this.options.commentAuthors?.get(comment[1]!) ?? 'Reviewer';
      sink.threads.push([{ author, text: this.comments.get(comment[1]!)! }]);
      return;
    }
    const link = safeHref(href);
    for (const child of el.children) this.inline(child, link ? { ...marks, link } : marks, sink);
  }
}

/** HTML's whitespace rules, except that a TAB inside a line is kept: Word's TAB between number and text. */
function collapse(data: string): string {
  return data.replace(/[ \t\n\r\f]+/g, (run) => (/[\n\r]/.test(run) ? ' ' : run.includes('\t') ? '\t' : ' '));
}

function trimCell(inlines: Inline[]): Inline[] {
  return normaliseInlines(inlines).map((i) => (i.kind === 'text' ? { ...i, text: i.text.replace(/\t/g, ' ') } : i));
}

/** The text of some nodes, without the "↑" links back to the reference. */
function plainText(nodes: ChildNode[], skipBacklinks: boolean, keepLines = false): string {
  let out = '';
  const visit = (node: ChildNode) => {
    if (node instanceof Text) out += keepLines ? node.data : collapse(node.data);
    else if (node instanceof Element && !SKIPPED.has(node.name)) {
      if (skipBacklinks && node.name === 'a' && /-ref-/.test(node.attribs.href ?? '')) return;
      if (out && TEXT_BLOCKS.has(node.name) && !keepLines) out += ' ';
      node.children.forEach(visit);
    }
  };
  nodes.forEach(visit);
  return keepLines ? out.replace(/\r\n?/g, '\n') : out.replace(/\s+/g, ' ').trim();
}

function* elements(nodes: ChildNode[]): Generator<Element> {
  for (const node of nodes) {
    if (!(node instanceof Element)) continue;
    yield node;
    yield* elements(node.children);
  }
}

function nextElement(el: Element): Element | null {
  let node = el.next;
  while (node && !(node instanceof Element)) node = node.next;
  return node;
}

function closestTable(el: Element): Element | null {
  let node = el.parent;
  while (node && !(node instanceof Element && node.name === 'table')) node = node.parent;
  return node instanceof Element ? node : null;
}

export function importHtml(html: string, options: HtmlImportOptions = {}): ImportedContent {
  const dom = parseDocument(html, { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true });
  const { blocks, warnings } = new HtmlReader(options).read(dom.children);
  return buildDocument(blocks, warnings);
}
