import * as Y from 'yjs';
import { BODY_FRAGMENT } from '../../shared/schema/ydoc.js';

export type ImportedContent = { update: Uint8Array; paragraphCount: number };

/** Word bookmarks left by the export (`[bookmark: _Toc123]`): never negotiation text. */
const BOOKMARK = /\[bookmark: [^\]]*\]/g;

/**
 * Plain text, one paragraph per line, as a Yjs update of the document body.
 * Paragraph numbers and their TAB are kept as typed.
 */
export function importPlainText(text: string): ImportedContent {
  const lines = text
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\n|\r/)
    .map((line) => line.replace(BOOKMARK, '').replace(/^ +/, '').trimEnd())
    .filter((line) => line.trim().length > 0);

  const doc = new Y.Doc();
  const body = doc.getXmlFragment(BODY_FRAGMENT);
  body.insert(
    0,
    lines.map((line) => {
      const paragraph = new Y.XmlElement('paragraph');
      paragraph.insert(0, [new Y.XmlText(line)]);
      return paragraph;
    }),
  );
  return { update: Y.encodeStateAsUpdate(doc), paragraphCount: lines.length };
}
