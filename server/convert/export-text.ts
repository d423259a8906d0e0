import { bracketNotation } from '../../shared/model/agreed-text.js';
import type { ThreadView } from '../../shared/model/comments.js';
import { authorOf, liveMessages, titleLines } from './export-layout.js';
import { STATUS_LABELS, type ExportBlock, type ExportDocument } from './export-model.js';

/**
 * Plain text in the seeds' own convention, so it imports back as it was: one
 * paragraph a line, "num<TAB>text", sub-items indented by TABs, footnotes as
 * `[footnoteRef:N]` with `[N: text]` after the body, comments as
 * "<TAB>Comment by Name (Delegation): text" lines under their paragraph.
 */
export function exportText(doc: ExportDocument): string {
  const lines: string[] = [...titleLines(doc), ''];
  const notes: string[] = [];
  for (const block of doc.blocks) {
    lines.push(blockLine(block, doc, notes));
    for (const thread of block.threads) lines.push(...commentLines(thread));
  }
  if (doc.orphanThreads.length) {
    lines.push('', 'Comments on paragraphs that were deleted');
    for (const thread of doc.orphanThreads) lines.push(...commentLines(thread));
  }
  if (notes.length) lines.push('', ...notes.map((text, i) => `[${i + 1}: ${text}]`));
  return `${lines.join('\n')}\n`;
}

function blockLine(block: ExportBlock, doc: ExportDocument, notes: string[]): string {
  const text = block.inlines
    .map((i) => {
      if (i.kind === 'text') return i.text.replace(/[\t\r\n]+/g, ' ');
      if (i.kind === 'break') return ' ';
      if (i.kind === 'open') return bracketNotation(i.group, 'backers');
      notes.push(i.text);
      return `[footnoteRef:${notes.length}]`;
    })
    .join('');
  const status = doc.version === 'bracketed' ? STATUS_LABELS[block.status] : null;
  const body = status ? `${text} ${status}` : text;
  const list = block.list;
  if (list) {
    const tabs = '\t'.repeat(list.depth);
    if (!list.first) return `${tabs}\t${body}`;
    return list.ordered ? `${tabs}\t${list.index}.\t${body}` : `${tabs}–\t${body}`;
  }
  const tabs = '\t'.repeat(block.indent);
  return block.num ? `${tabs}${block.num}\t${body}` : `${tabs}${body}`;
}

function commentLines(thread: ThreadView): string[] {
  return liveMessages(thread).map(
    (m, i) => `\t${i === 0 ? 'Comment' : 'Reply'} by ${authorOf(m)}: ${m.text.replace(/\s+/g, ' ').trim()}`,
  );
}
