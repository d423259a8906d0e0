import { omission } from '../../shared/model/agreed-text.js';
import type { ThreadView } from '../../shared/model/comments.js';
import { authorOf, bracketText, formatDate, liveMessages, ListTracker } from './export-layout.js';
import type { ExportBlock, ExportDocument, ExportInline } from './export-model.js';
import type { Marks } from './import-model.js';

/**
 * Markdown (CommonMark, with `[^N]` footnotes as most renderers read them).
 * Numbered paragraphs read "1.2.3<TAB>text", with the dot escaped where
 * Markdown would start a list; comments are "> Comment by ..." lines under
 * their paragraph. An open bracket's note is a footnote; a paragraph of a
 * draft that is not agreed starts with "*(Not agreed)*".
 */
export function exportMarkdown(doc: ExportDocument): string {
  const out: string[] = [`# ${escapeText(doc.title)}`, '', `**${doc.versionLabel}**`, '', formatDate(doc.date), ''];
  for (const notice of doc.notices) out.push(`*${escapeText(notice)}*`, '');
  const notes: string[] = [];
  const lists = new ListTracker();
  for (const block of doc.blocks) {
    for (const event of lists.enter(block.list)) {
      if (event.kind === 'open' && event.depth === 0) out.push('');
      if (event.kind === 'close' && event.depth === 0) out.push('');
    }
    const text = inlines(block.inlines, notes) + (block.statusLabel ? ` *${block.statusLabel}*` : '');
    const flag = block.flag ? `*${block.flag}* ` : '';
    if (block.list) {
      const { depth, ordered, index, first } = block.list;
      const indent = '   '.repeat(depth);
      const prefix = first ? (ordered ? `${index}. ` : '-  ') : '   ';
      out.push(`${indent}${prefix}${flag}${text}`);
    } else {
      out.push(blockLine(block, flag, text), '');
    }
    for (const thread of block.threads) out.push(...commentLines(thread), '');
  }
  for (const event of lists.finish()) if (event.kind === 'close' && event.depth === 0) out.push('');
  if (doc.orphanThreads.length) {
    out.push('## Comments on paragraphs that were deleted', '');
    for (const thread of doc.orphanThreads) out.push(...commentLines(thread), '');
  }
  if (notes.length) out.push(...notes.map((note, i) => `[^${i + 1}]: ${escapeText(note)}`), '');
  return out.join('\n').replace(/\n{3,}/g, '\n\n');
}

/**
 * The number then a TAB, as in the seeds (Markdown shows the TAB as a space);
 * an indented sub-item starts with one `&emsp;` per level, which renders as
 * indentation and which the importer reads back as the level.
 */
function blockLine(block: ExportBlock, flag: string, text: string): string {
  const num = block.num ? `${escapeNumber(block.num)}\t` : '';
  if (block.kind === 'heading') return `${'#'.repeat(block.level)} ${num}${flag}${text}`;
  const indent = '&emsp;'.repeat(block.indent);
  return num || indent || flag ? `${indent}${num}${flag}${text}` : escapeStart(text);
}

function inlines(items: ExportInline[], notes: string[]): string {
  return items
    .map((i) => {
      if (i.kind === 'text') return marked(escapeText(i.text.replace(/[\t\n]+/g, ' ')), i.marks);
      if (i.kind === 'break') return '\\\n';
      if (i.kind === 'omitted') return escapeText(omission(i.group));
      if (i.kind === 'open') {
        const bracket = bracketText(i.group);
        notes.push(bracket.note);
        return `${escapeText(bracket.text)}[^${notes.length}]`;
      }
      notes.push(i.text);
      return `[^${notes.length}]`;
    })
    .join('');
}

/** Wraps text in its marks, with the spaces at its ends kept outside (`** bold**` is not bold). */
function marked(text: string, marks: Marks): string {
  const [, lead, core, trail] = /^(\s*)([\s\S]*?)(\s*)$/.exec(text)!;
  if (!core) return text;
  let out = core;
  if (marks.underline) out = `<u>${out}</u>`;
  if (marks.italic) out = `*${out}*`;
  if (marks.bold) out = `**${out}**`;
  if (marks.link) out = `[${out}](<${marks.link.replace(/[<>]/g, encodeURIComponent)}>)`;
  return `${lead}${out}${trail}`;
}

function escapeText(text: string): string {
  return text.replace(/([\\`*_[\]<>|])/g, '\\$1');
}

/** "1." and "2)" would start a numbered list: their punctuation is escaped. */
function escapeNumber(num: string): string {
  return num.replace(/^(\d+)([.)])$/, '$1\\$2');
}

/** A paragraph that happens to start like Markdown syntax stays a paragraph. */
function escapeStart(text: string): string {
  return text.replace(/^(\d+)([.)]\s)/, '$1\\$2').replace(/^([#>+=-])/, '\\$1');
}

function commentLines(thread: ThreadView): string[] {
  return liveMessages(thread).map(
    (m, i) => `> ${i === 0 ? 'Comment' : 'Reply'} by ${escapeText(authorOf(m))}: ${escapeText(m.text.replace(/\s+/g, ' ').trim())}`,
  );
}
