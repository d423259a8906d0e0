import * as Y from 'yjs';
import { compareDocuments } from '../../shared/model/compare-readings.js';
import { listBlocks } from '../../shared/model/paragraphs.js';
import { BLOCK_ID_ATTR } from '../../shared/schema/negotiation.js';
import { BODY_FRAGMENT } from '../../shared/schema/ydoc.js';

/** Yjs client ids of two delegations' connections, and the server's record of them. */
export const EGYPT_CLIENT = 101;
export const BRAZIL_CLIENT = 202;
const OWNERS = new Map([
  [EGYPT_CLIENT, 'Egypt'],
  [BRAZIL_CLIENT, 'Brazil'],
]);

/** The later state: a copy of `doc` whose own edits come from `clientID`. */
export function later(doc: Y.Doc, clientID: number): Y.Doc {
  const copy = new Y.Doc();
  copy.clientID = clientID;
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  return copy;
}

/** Edits as another client of the same document (kept in step with `doc` both ways). */
export function editAs(doc: Y.Doc, clientID: number, edit: (other: Y.Doc) => void): void {
  const other = later(doc, clientID);
  edit(other);
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(other, Y.encodeStateVector(doc)));
}

export function textOf(doc: Y.Doc, index: number): Y.XmlText {
  return listBlocks(doc)[index]!.element.get(0) as Y.XmlText;
}

export function newParagraph(id: string, text: string): Y.XmlElement {
  const el = new Y.XmlElement('paragraph');
  el.setAttribute(BLOCK_ID_ATTR, id);
  el.insert(0, [new Y.XmlText(text)]);
  return el;
}

export function bodyOf(doc: Y.Doc): Y.XmlFragment {
  return doc.getXmlFragment(BODY_FRAGMENT);
}

export function compare(before: Y.Doc, after: Y.Doc, fromAt: string | null = null) {
  return compareDocuments(before, after, {
    authorOf: (client) => OWNERS.get(client) ?? null,
    from: { id: 'r1', name: 'Rev.1', at: fromAt },
    to: { id: 'live', name: 'Live text', at: '2026-01-02T10:00:00.000Z' },
  });
}
