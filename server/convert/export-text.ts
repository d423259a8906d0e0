import { omission } from '../../shared/model/agreed-text.js';
import type { ThreadView } from '../../shared/model/comments.js';
import { authorOf, bracketText, liveMessages, titleLines } from './export-layout.js';
import type { ExportBlock, ExportDocument } from './export-model.js';

/**
 * Plain text in the seeds' own convention, so it imports back as it was: one
 * paragraph a line, "num<TAB>text", sub-items indented by TABs, footnotes as
 * `[footnoteRef:N]` with `[N: text]` after the body, comments as
 * "<TAB>Comment by Name (Delegation): text" lines under their paragraph.
 * An open bracket's note is a footnote too; a paragraph of a draft that is not
 * agreed starts with "(Not agreed)".
 */
export function exportText(doc: ExportDocument): string {
  const lines: string[] = [...titleLines(doc), ''];
  const notes: string[] = [];
  for (const block of doc.blocks) {
    lines.push(blockLine(block, notes));
    for (const thread of block.threads) lines.push(...commentLines(thread));
  }
  if (doc.orphanThreads.length) {
    lines.push('', 'Comments on paragraphs that were deleted');
    for (const thread of doc.orphanThreads) lines.push(...commentLines(thread));
  }
  if (notes.length) lines.push('', ...notes.map((text, i) => `[${i + 1}: ${text}]`));
  return `${lines.join('\n')}\n`;
}

function blockLine(block: ExportBlock, notes: string[]): string {
  const note = (text: string) => {
    notes.push(text);
    return `[footnoteRef:${notes.length}]`;
  };
  const text = block.inlines
    .map((i) => {
      if (i.kind === 'text') return i.text.replace(/[\t\r\n]+/g, ' ');
      if (i.kind === 'break') return ' ';
      if (i.kind === 'omitted') return omission(i.group);
      if (i.kind === 'open') {
        const bracket = bracketText(i.group);
        return bracket.text + note(bracket.note);
      }
      return note(i.text);
    })
    .join('');
  const body = [block.flag, text, block.statusLabel].filter(Boolean).join(' ');
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
