import * as Y from 'yjs';
import { newId } from '../../shared/model/ids.js';
import { addThread } from '../../shared/model/comments.js';
import { BLOCK_ID_ATTR, BLOCK_INDENT_ATTR, BLOCK_NUM_ATTR, type Actor } from '../../shared/schema/negotiation.js';
import { BODY_FRAGMENT } from '../../shared/schema/ydoc.js';

export type ImportedContent = { update: Uint8Array; paragraphCount: number };

/** Word bookmarks left by the export (`[bookmark: _Toc123]`): never negotiation text. */
const BOOKMARK = /\[bookmark: [^\]]*\]/g;
/** "1.2.3<TAB>text", "a)<TAB>text", "(b)<TAB>text", "2)<TAB>text". */
const NUMBERED = /^(\d+(?:\.\d+)*\.?|[a-z]\)|\([a-z]\)|\d+\))[ \u00a0]*\t+(.*)$/;
const DASHED = /^[–-]\t+(.*)$/;
/** A reviewer's comment exported at the end of its paragraph. */
const COMMENT = /\tComment by ([^:\t]{1,80}): (.*)$/;

/** Who imported comments are attributed to: the reviewer named in the file, for the original document. */
const commentAuthor = (name: string): Actor => ({ name: name.trim(), delegation: 'Original document' });

type Line = { num: string | null; text: string; heading: number | null; indent: number; comment: { author: string; text: string } | null };

function parseLine(rawLine: string): Line {
  const commented = COMMENT.exec(rawLine);
  const raw = commented ? rawLine.slice(0, commented.index) : rawLine;
  const comment = commented ? { author: commented[1]!, text: commented[2]!.trim() } : null;
  const indent = /^\t+/.exec(raw)?.[0].length ?? 0;
  const line = raw.replace(/^\t+/, '');
  const numbered = NUMBERED.exec(line);
  if (numbered) {
    const num = numbered[1]!;
    const text = numbered[2]!.trim();
    const depth = num.replace(/\.$/, '').split('.').length;
    // "1<TAB>Introduction", "1.2<TAB>Background": short, unpunctuated section titles.
    const isTitle = /^\d/.test(num) && raw === line && depth <= 2 && text.length < 90 && !/[.:;]$/.test(text);
    return { num, text, heading: isTitle ? depth : null, indent, comment };
  }
  const dashed = DASHED.exec(line);
  if (dashed) return { num: null, text: `– ${dashed[1]!.trim()}`, heading: null, indent, comment };
  return { num: null, text: line.replace(/\t+/g, ' ').trim(), heading: null, indent, comment };
}

/**
 * Plain text, one paragraph per line, as a Yjs update of the document body.
 * A paragraph number typed before a TAB becomes the block's `num` attribute,
 * so it stays visible and stable while the text around it moves; every block
 * gets a fresh stable id; a line starting with a TAB is an indented sub-item;
 * "<TAB>Comment by X: text" at the end of a line becomes a comment thread.
 */
export function importPlainText(text: string): ImportedContent {
  const lines = text
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\n|\r/)
    .map((line) => line.replace(BOOKMARK, '').replace(/^ +/, '').trimEnd())
    .filter((line) => line.trim().length > 0)
    .map(parseLine)
    .filter((line) => line.text.length > 0 || line.num !== null);

  const doc = new Y.Doc();
  const ids = lines.map(() => newId());
  doc.getXmlFragment(BODY_FRAGMENT).insert(
    0,
    lines.map((line, i) => {
      const block = new Y.XmlElement(line.heading ? 'heading' : 'paragraph');
      block.setAttribute(BLOCK_ID_ATTR, ids[i]!);
      if (line.heading) block.setAttribute('level', line.heading as unknown as string);
      if (line.num) block.setAttribute(BLOCK_NUM_ATTR, line.num);
      if (line.indent && !line.heading) block.setAttribute(BLOCK_INDENT_ATTR, line.indent as unknown as string);
      block.insert(0, [new Y.XmlText(line.text)]);
      return block;
    }),
  );
  lines.forEach((line, i) => {
    if (line.comment) addThread(doc, { paragraphId: ids[i]!, text: line.comment.text, actor: commentAuthor(line.comment.author) });
  });
  return { update: Y.encodeStateAsUpdate(doc), paragraphCount: lines.length };
}
