import * as Y from 'yjs';
import { BODY_FRAGMENT } from '../../shared/schema/ydoc.js';
import { expectedText } from './soak-typist.js';

/** Typist client id → keystrokes typed. */
export type Typed = ReadonlyMap<number, number>;

export type Shortfall = { keystrokesMissing: number; wrongParagraphs: number };

/**
 * How many typed keystrokes one copy of the document lacks. A typist's
 * paragraph is the one its own client created; it must hold exactly what that
 * typist typed (a missing paragraph counts all its keystrokes as missing; a
 * paragraph whose text is not the typed text, or is there twice, counts as
 * wrong). Used alike on every connected client and on what the server stored.
 */
export function shortfall(doc: Y.Doc, typed: Typed): Shortfall {
  const found = new Map<number, string[]>();
  for (const block of doc.getXmlFragment(BODY_FRAGMENT).toArray()) {
    if (!(block instanceof Y.XmlElement)) continue;
    const owner = block._item?.id.client;
    if (owner === undefined || !typed.has(owner)) continue;
    const text = block.get(0);
    found.set(owner, [...(found.get(owner) ?? []), text instanceof Y.XmlText ? text.toString() : '']);
  }
  let keystrokesMissing = 0;
  let wrongParagraphs = 0;
  for (const [typist, count] of typed) {
    const texts = found.get(typist) ?? [];
    if (texts.length === 0) {
      keystrokesMissing += count;
      continue;
    }
    if (texts.length > 1) wrongParagraphs++;
    const text = texts[0]!;
    keystrokesMissing += Math.max(0, count - text.length);
    if (text !== expectedText(Math.min(count, text.length)) || text.length > count) wrongParagraphs++;
  }
  return { keystrokesMissing, wrongParagraphs };
}

export function isWhole(s: Shortfall): boolean {
  return s.keystrokesMissing === 0 && s.wrongParagraphs === 0;
}
