import {
  AlignmentType,
  CommentRangeEnd,
  CommentRangeStart,
  CommentReference,
  Document,
  ExternalHyperlink,
  Footer,
  FootnoteReferenceRun,
  HeadingLevel,
  LevelFormat,
  Packer,
  PageNumber,
  Paragraph,
  Tab,
  TabStopType,
  TextRun,
  type ICommentOptions,
  type IParagraphOptions,
  type ParagraphChild,
} from 'docx';
import { attributionNote, bracketWords, omission, type OpenGroupReport } from '../../shared/model/agreed-text.js';
import type { ThreadView } from '../../shared/model/comments.js';
import { NOT_AGREED_STYLE, SUB_ITEM_LEVELS, subItemStyleId, subItemStyleName } from './docx-styles.js';
import { authorOf, formatDate, liveMessages } from './export-layout.js';
import type { ExportBlock, ExportDocument, ExportInline } from './export-model.js';

/**
 * The Word file delegates leave with: a title block, headings, numbered
 * paragraphs with their number and a hanging indent (the number typed, then a
 * TAB, as ITU documents are written), real footnotes, Word comments, page
 * numbers. An open bracket reads `[every year / every two years / delete]`
 * and carries one footnote: who bracketed the text, and who proposes and who
 * supports each option, every delegation named (the proponents are not
 * repeated in the text, as the other formats do). A paragraph of a draft that
 * is not agreed starts with "(Not agreed)" in the character style "Not agreed".
 */

/** Twips (1/1440 in): the hanging indent of numbered paragraphs, one step of sub-item indentation. */
const HANG = 794;
const ORDERED = 'ordered-list';
const HEADINGS = [HeadingLevel.HEADING_1, HeadingLevel.HEADING_2, HeadingLevel.HEADING_3] as const;

class DocxWriter {
  readonly footnotes: Record<string, { children: Paragraph[] }> = {};
  readonly comments: ICommentOptions[] = [];
  private nextNote = 1;
  private nextComment = 0;

  constructor(private readonly doc: ExportDocument) {}

  titleBlock(): Paragraph[] {
    return [
      new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(this.doc.title)] }),
      new Paragraph({ children: [new TextRun({ text: this.doc.versionLabel, bold: true, size: 28 })] }),
      new Paragraph({ children: [new TextRun(formatDate(this.doc.date))], spacing: { after: 240 } }),
      ...this.doc.notices.map(
        (notice) => new Paragraph({ children: [new TextRun({ text: notice, bold: true })], spacing: { after: 240 } }),
      ),
    ];
  }

  block(block: ExportBlock): Paragraph {
    const children: ParagraphChild[] = [];
    if (block.num && !block.list) children.push(new TextRun({ children: [block.num, new Tab()] }));
    if (block.flag) children.push(new TextRun({ text: `${block.flag} `, style: NOT_AGREED_STYLE.id }));
    children.push(...this.inlines(block.inlines));
    if (block.statusLabel) children.push(new TextRun({ text: ` ${block.statusLabel}`, italics: true }));
    return new Paragraph({ ...layout(block), children: this.withComments(block.threads, children) });
  }

  /** A closing paragraph holding the threads whose paragraph was deleted, so none is lost. */
  orphans(threads: ThreadView[]): Paragraph[] {
    if (!threads.length) return [];
    const children = this.withComments(threads, [new TextRun({ text: 'Comments on paragraphs that were deleted', italics: true })]);
    return [new Paragraph({ children, spacing: { before: 240 } })];
  }

  private inlines(inlines: ExportInline[]): ParagraphChild[] {
    return inlines.flatMap((i): ParagraphChild[] => {
      if (i.kind === 'break') return [new TextRun({ break: 1 })];
      if (i.kind === 'footnote') return [this.footnote(i.text)];
      if (i.kind === 'omitted') return [new TextRun(omission(i.group))];
      if (i.kind === 'open') return this.bracket(i.group);
      const run = new TextRun({
        text: i.text,
        bold: i.marks.bold,
        italics: i.marks.italic,
        underline: i.marks.underline ? {} : undefined,
        style: i.marks.link ? 'Hyperlink' : undefined,
      });
      return [i.marks.link ? new ExternalHyperlink({ link: i.marks.link, children: [run] }) : run];
    });
  }

  private footnote(text: string): FootnoteReferenceRun {
    const id = this.nextNote++;
    // Word's own footnotes read "¹ text": the space keeps the number off the first word.
    this.footnotes[id] = { children: [new Paragraph({ children: [new TextRun(` ${text}`)] })] };
    return new FootnoteReferenceRun(id);
  }

  /** An open bracket, in the compilation and in an agreed text that keeps it: the options, then one footnote on who stands where. */
  private bracket(group: OpenGroupReport): ParagraphChild[] {
    const { lead, words, trail } = bracketWords(group);
    const children: ParagraphChild[] = [new TextRun({ text: `${lead}[`, bold: true })];
    group.options.forEach((option, index) => {
      if (index > 0) children.push(new TextRun({ text: ' / ', bold: true }));
      // "delete" is the proposal, not words of the text: set apart as Word users write it.
      children.push(new TextRun({ text: words[index], italics: option.kind === 'delete' }));
    });
    children.push(new TextRun({ text: ']', bold: true }), this.footnote(attributionNote(group)));
    if (trail) children.push(new TextRun(trail));
    return children;
  }

  /** Word comments anchored on the whole paragraph: replies as replies, resolved threads marked done. */
  private withComments(threads: ThreadView[], children: ParagraphChild[]): ParagraphChild[] {
    const ids: number[] = [];
    for (const thread of threads) {
      const [first, ...replies] = liveMessages(thread);
      if (!first) continue;
      const parentId = this.nextComment;
      for (const message of [first, ...replies]) {
        const id = this.nextComment++;
        ids.push(id);
        this.comments.push({
          id,
          author: authorOf(message),
          initials: initials(message.author.name),
          date: new Date(message.at),
          children: [new Paragraph(message.text)],
          ...(id !== parentId ? { parentId } : {}),
          ...(thread.status === 'resolved' ? { resolved: true } : {}),
        });
      }
    }
    if (!ids.length) return children;
    return [
      ...ids.map((id) => new CommentRangeStart(id)),
      ...children,
      ...ids.map((id) => new CommentRangeEnd(id)),
      ...ids.map((id) => new TextRun({ children: [new CommentReference(id)] })),
    ];
  }
}

/** Where a paragraph sits: heading style, list numbering, or number-then-TAB with a hanging indent. */
function layout(block: ExportBlock): Omit<IParagraphOptions, 'children'> {
  const heading = block.kind === 'heading' ? { heading: HEADINGS[block.level - 1] } : {};
  if (block.list) {
    const { depth, ordered, first, listId } = block.list;
    if (!first) return { ...heading, indent: { left: 720 * (depth + 1) } };
    return ordered
      ? { ...heading, numbering: { reference: ORDERED, level: Math.min(depth, 8), instance: listId } }
      : { ...heading, bullet: { level: Math.min(depth, 8) } };
  }
  const style = block.indent && block.kind === 'paragraph' ? { style: subItemStyleId(block.indent) } : {};
  const left = HANG * (Math.min(block.indent, SUB_ITEM_LEVELS) + (block.num ? 1 : 0));
  if (block.num) {
    return { ...heading, ...style, indent: { left, hanging: HANG }, tabStops: [{ type: TabStopType.LEFT, position: left }] };
  }
  return { ...heading, ...style };
}

function initials(name: string): string {
  return name
    .split(/\s+/)
    .map((w) => w[0] ?? '')
    .join('')
    .slice(0, 4)
    .toUpperCase();
}

function orderedLevels() {
  return Array.from({ length: 9 }, (_, level) => ({
    level,
    format: level % 3 === 0 ? LevelFormat.DECIMAL : level % 3 === 1 ? LevelFormat.LOWER_LETTER : LevelFormat.LOWER_ROMAN,
    text: `%${level + 1}${level % 3 === 0 ? '.' : ')'}`,
    alignment: AlignmentType.START,
    style: { paragraph: { indent: { left: 720 * (level + 1), hanging: 360 } } },
  }));
}

export async function exportDocx(doc: ExportDocument): Promise<Buffer> {
  const writer = new DocxWriter(doc);
  const children = [...writer.titleBlock(), ...doc.blocks.map((b) => writer.block(b)), ...writer.orphans(doc.orphanThreads)];
  const footer = new Footer({
    children: [
      new Paragraph({
        alignment: AlignmentType.CENTER,
        children: [new TextRun({ children: ['Page ', PageNumber.CURRENT, ' of ', PageNumber.TOTAL_PAGES], size: 18 })],
      }),
    ],
  });
  const document = new Document({
    title: doc.title,
    description: doc.versionLabel,
    creator: 'Negotiation drafting editor',
    styles: {
      default: { document: { run: { font: 'Times New Roman', size: 24 }, paragraph: { spacing: { after: 120 } } } },
      paragraphStyles: Array.from({ length: SUB_ITEM_LEVELS }, (_, i) => ({
        id: subItemStyleId(i + 1),
        name: subItemStyleName(i + 1),
        basedOn: 'Normal',
        next: 'Normal',
        quickFormat: true,
        paragraph: { indent: { left: HANG * (i + 1) } },
      })),
      characterStyles: [
        { id: NOT_AGREED_STYLE.id, name: NOT_AGREED_STYLE.name, basedOn: 'DefaultParagraphFont', quickFormat: true, run: { italics: true, bold: true, color: '9A3412' } },
      ],
    },
    numbering: { config: [{ reference: ORDERED, levels: orderedLevels() }] },
    footnotes: writer.footnotes,
    comments: { children: writer.comments },
    sections: [{ footers: { default: footer }, children }],
  });
  return Packer.toBuffer(document);
}
