import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { clearFocus, readFocus, setFocus } from '../../shared/model/meeting-focus.js';
import { settings } from '../../shared/model/drafting-mode.js';
import { BLOCK_ID_ATTR, BLOCK_NUM_ATTR, SettingKeys } from '../../shared/schema/negotiation.js';
import { BODY_FRAGMENT } from '../../shared/schema/ydoc.js';

const chair = { name: 'Ana Chair', delegation: 'Chair' };

function paragraph(id: string, num: string): Y.XmlElement {
  const el = new Y.XmlElement('paragraph');
  el.setAttribute(BLOCK_ID_ATTR, id);
  el.setAttribute(BLOCK_NUM_ATTR, num);
  el.insert(0, [new Y.XmlText(`text of ${num}`)]);
  return el;
}

/** 3.4, 3.5, a list holding 3.6, and 3.7. */
function report(): Y.Doc {
  const doc = new Y.Doc();
  const list = new Y.XmlElement('bulletList');
  const item = new Y.XmlElement('listItem');
  item.insert(0, [paragraph('p36', '3.6')]);
  list.insert(0, [item]);
  doc.getXmlFragment(BODY_FRAGMENT).insert(0, [paragraph('p34', '3.4'), paragraph('p35', '3.5'), list, paragraph('p37', '3.7')]);
  return doc;
}

function deleteTop(doc: Y.Doc, index: number): void {
  doc.getXmlFragment(BODY_FRAGMENT).delete(index, 1);
}

describe('the paragraph under discussion', () => {
  it('reads the paragraph set, with its reference and who set it', () => {
    const doc = report();
    setFocus(doc, { paragraphId: 'p35', actor: chair });
    expect(readFocus(doc)).toMatchObject({ paragraphId: 'p35', ref: '3.5', by: chair, moved: false });
    expect(readFocus(doc)?.anchor).toEqual(expect.any(String));
  });

  it('is none when unset, cleared or unreadable', () => {
    const doc = report();
    expect(readFocus(doc)).toBeNull();
    setFocus(doc, { paragraphId: 'p35', actor: chair });
    clearFocus(doc);
    expect(readFocus(doc)).toBeNull();
    settings(doc).set(SettingKeys.focus, { paragraphId: 'p35' });
    expect(readFocus(doc)).toBeNull();
  });

  it('moves to the paragraph that followed a deleted one, also in another replica after collection', () => {
    const doc = report();
    setFocus(doc, { paragraphId: 'p35', actor: chair });
    const replica = new Y.Doc();
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(doc));
    deleteTop(doc, 1);
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(doc));
    for (const d of [doc, replica]) expect(readFocus(d)).toMatchObject({ paragraphId: 'p36', ref: '3.6', moved: true });
  });

  it('finds a paragraph inside a list, and skips a deleted list to what followed it', () => {
    const doc = report();
    setFocus(doc, { paragraphId: 'p36', actor: chair });
    expect(readFocus(doc)).toMatchObject({ paragraphId: 'p36', moved: false });
    deleteTop(doc, 2);
    expect(readFocus(doc)).toMatchObject({ paragraphId: 'p37', moved: true });
  });

  it('falls back to the previous paragraph when the last one is deleted, and to none when all are', () => {
    const doc = report();
    setFocus(doc, { paragraphId: 'p37', actor: chair });
    deleteTop(doc, 3);
    expect(readFocus(doc)).toMatchObject({ paragraphId: 'p36', moved: true });
    doc.getXmlFragment(BODY_FRAGMENT).delete(0, 3);
    expect(readFocus(doc)).toBeNull();
  });

  it('is not moved by edits before the paragraph', () => {
    const doc = report();
    setFocus(doc, { paragraphId: 'p37', actor: chair });
    doc.getXmlFragment(BODY_FRAGMENT).insert(0, [paragraph('p33', '3.3')]);
    deleteTop(doc, 1);
    expect(readFocus(doc)).toMatchObject({ paragraphId: 'p37', moved: false });
    deleteTop(doc, 3);
    expect(readFocus(doc)).toMatchObject({ paragraphId: 'p36', moved: true });
  });

  it('ignores a caller anchor that would not survive the deletion', () => {
    const doc = report();
    setFocus(doc, { paragraphId: 'p35', anchor: 'not-a-position', actor: chair });
    deleteTop(doc, 1);
    expect(readFocus(doc)).toMatchObject({ paragraphId: 'p36', moved: true });
  });
});
