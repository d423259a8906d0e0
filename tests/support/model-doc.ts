import * as Y from 'yjs';
import { BLOCK_ID_ATTR, BLOCK_NUM_ATTR, type Actor } from '../../shared/schema/negotiation.js';
import { BODY_FRAGMENT } from '../../shared/schema/ydoc.js';

export const EGYPT: Actor = { name: 'Amina Hassan', delegation: 'Egypt' };
export const USA: Actor = { name: 'John Smith', delegation: 'United States' };
export const CHINA: Actor = { name: 'Li Wei', delegation: 'China' };
export const CHAIR: Actor = { name: 'Shahira Selim', delegation: 'Chair' };
export const BRAZIL: Actor = { name: 'Ana Souza', delegation: 'Brazil' };
export const KENYA: Actor = { name: 'Wanjiru Mwangi', delegation: 'Kenya' };

/** A document whose body holds one paragraph per entry, with ids p0, p1... and optional numbers. */
export function docWithParagraphs(paragraphs: Array<string | { num: string; text: string }>): Y.Doc {
  const doc = new Y.Doc();
  doc.getXmlFragment(BODY_FRAGMENT).insert(
    0,
    paragraphs.map((p, i) => {
      const { num, text } = typeof p === 'string' ? { num: null, text: p } : p;
      const el = new Y.XmlElement('paragraph');
      el.setAttribute(BLOCK_ID_ATTR, `p${i}`);
      if (num) el.setAttribute(BLOCK_NUM_ATTR, num);
      el.insert(0, [new Y.XmlText(text)]);
      return el;
    }),
  );
  return doc;
}

/** Two documents kept in sync by hand, like two clients through a server. */
export function syncBoth(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}
