import * as Y from 'yjs';
import { TEXT_BLOCKS } from '../schema/ydoc.js';

const textBlocks = new Set<string>(TEXT_BLOCKS);

/** Number of text blocks (paragraphs and headings, also inside lists) in a body fragment. */
export function countParagraphs(fragment: Y.XmlFragment | Y.XmlElement): number {
  let count = 0;
  for (const child of fragment.toArray()) {
    if (child instanceof Y.XmlElement) {
      count += textBlocks.has(child.nodeName) ? 1 : countParagraphs(child);
    }
  }
  return count;
}

/** Plain text of a block element (marks dropped), for lists, search and tests. */
export function blockText(element: Y.XmlElement | Y.XmlFragment): string {
  let out = '';
  for (const child of element.toArray()) {
    if (child instanceof Y.XmlText) {
      for (const op of child.toDelta() as Array<{ insert: unknown }>) {
        if (typeof op.insert === 'string') out += op.insert;
      }
    } else if (child instanceof Y.XmlElement) {
      out += blockText(child);
    }
  }
  return out;
}
