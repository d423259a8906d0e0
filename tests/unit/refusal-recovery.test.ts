import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { keepRefusedChange, refusalNotice, textNotKept, trackLocalEdits } from '../../client/collab/refusal-recovery.js';
import { setParagraphStatus } from '../../shared/model/paragraph-status.js';
import { findBlock } from '../../shared/model/paragraphs.js';
import { BLOCK_ID_ATTR, BLOCK_NUM_ATTR } from '../../shared/schema/negotiation.js';
import { BODY_FRAGMENT } from '../../shared/schema/ydoc.js';
import { CHAIR, docWithParagraphs } from '../support/model-doc.js';

const AGREED_32 = 'Paragraph 3.2 is agreed: only the chair or the secretariat can change it';

/** The server's document, and a person's copy of it (their changes are local transactions there). */
function serverAndCopy() {
  const server = docWithParagraphs([
    { num: '3.1', text: 'Various views were submitted.' },
    { num: '3.2', text: 'Divergent views were expressed.' },
    { num: '3.3', text: 'Some members saw no problems.' },
    { num: 'a)', text: 'With respect to new trends.' },
    { num: 'b)', text: 'With respect to empirical data.' },
  ]);
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(server));
  return { server, copy };
}

function typeAtEnd(doc: Y.Doc, paragraphId: string, words: string): void {
  const text = findBlock(doc, paragraphId)!.element.get(0) as Y.XmlText;
  text.insert(text.length, words);
}

/** The server's copy as a fresh page loads it after the refusal. */
function reloaded(server: Y.Doc): Y.Doc {
  const fresh = new Y.Doc();
  Y.applyUpdate(fresh, Y.encodeStateAsUpdate(server));
  return fresh;
}

describe('what a refused change leaves to give back', () => {
  it('follows the paragraphs this person changes, not the ones others change, and whether they were offline', () => {
    const { server, copy } = serverAndCopy();
    let online = true;
    const tracker = trackLocalEdits(copy, () => online);
    typeAtEnd(copy, 'p0', ' Online.');
    expect(tracker.edits()).toEqual({ paragraphs: new Set(['p0']), offline: false });

    online = false;
    typeAtEnd(copy, 'p1', ' Offline amendment.');
    typeAtEnd(server, 'p2', ' By someone else.');
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(server, Y.encodeStateVector(copy)));
    expect(tracker.edits()).toEqual({ paragraphs: new Set(['p0', 'p1']), offline: true });

    tracker.stop();
    typeAtEnd(copy, 'p3', ' Not followed.');
    expect(tracker.edits().paragraphs.has('p3')).toBe(false);
  });

  it('keeps the offline words of a paragraph agreed meanwhile, and offers them back since the server does not have them', () => {
    const { server, copy } = serverAndCopy();
    const tracker = trackLocalEdits(copy, () => false);
    typeAtEnd(copy, 'p1', ' Offline amendment.');
    setParagraphStatus(server, { paragraphId: 'p1', status: 'agreed', actor: CHAIR });
    // Back online: the copy receives the agreement; its own update is refused.
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(server, Y.encodeStateVector(copy)));

    const kept = keepRefusedChange(copy, AGREED_32, tracker.edits());
    expect(kept.named).toBe('3.2');
    expect(kept.offline).toBe(true);
    const notKept = textNotKept(kept.ownText, reloaded(server));
    expect(notKept).toEqual([{ paragraphId: 'p1', ref: '3.2', text: 'Divergent views were expressed. Offline amendment.' }]);
    expect(refusalNotice(kept, notKept)).toBe('Your edit to 3.2 was not kept: 3.2 was agreed while you were offline.');
  });

  it('offers nothing for a paragraph whose text the server holds, such as a refused agreement', () => {
    const { server, copy } = serverAndCopy();
    const tracker = trackLocalEdits(copy, () => false);
    setParagraphStatus(copy, { paragraphId: 'p1', status: 'agreed', actor: CHAIR });
    typeAtEnd(server, 'p1', ' As amended by Egypt.');
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(server, Y.encodeStateVector(copy)));

    const kept = keepRefusedChange(copy, '3.2 changed since you looked: review and agree again', tracker.edits());
    expect(kept.ownText.map((t) => t.paragraphId)).toEqual(['p1']);
    const notKept = textNotKept(kept.ownText, reloaded(server));
    expect(notKept).toEqual([]);
    expect(refusalNotice(kept, notKept)).toBe('3.2 changed since you looked: review and agree again. Your agreement was not recorded.');
  });

  it('keeps a paragraph this person created, and names the one paragraph not kept when the reason names none', () => {
    const { server, copy } = serverAndCopy();
    const tracker = trackLocalEdits(copy, () => true);
    const added = new Y.XmlElement('paragraph');
    added.setAttribute(BLOCK_ID_ATTR, 'p-new');
    added.setAttribute(BLOCK_NUM_ATTR, '3.4');
    added.insert(0, [new Y.XmlText('A new paragraph typed here.')]);
    copy.getXmlFragment(BODY_FRAGMENT).insert(3, [added]);

    const mode = 'In proposals mode changes to the text are proposals: bracket the words, or propose an insertion, a deletion or an alternative';
    const kept = keepRefusedChange(copy, mode, tracker.edits());
    const notKept = textNotKept(kept.ownText, reloaded(server));
    expect(notKept).toEqual([{ paragraphId: 'p-new', ref: '3.4', text: 'A new paragraph typed here.' }]);
    expect(refusalNotice(kept, notKept)).toBe(`Your edit to 3.4 was not kept. ${mode}.`);
  });

  it('takes the lettered item a reason names by its letter to be the one this person changed', () => {
    const { server, copy } = serverAndCopy();
    // A second "b)" elsewhere in the copy, under 3.1: the reason's "b)" is ambiguous by itself.
    const twin = new Y.XmlElement('paragraph');
    twin.setAttribute(BLOCK_ID_ATTR, 'p-twin');
    twin.setAttribute(BLOCK_NUM_ATTR, 'b)');
    twin.insert(0, [new Y.XmlText('Another lettered item.')]);
    Y.transact(server, () => server.getXmlFragment(BODY_FRAGMENT).insert(1, [twin]));
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(server, Y.encodeStateVector(copy)));

    const tracker = trackLocalEdits(copy, () => false);
    typeAtEnd(copy, 'p4', ' Offline words.');
    const kept = keepRefusedChange(copy, 'Paragraph b) is agreed: only the chair or the secretariat can change it', tracker.edits());
    expect(kept.named).toBe('3.3 b)');
    expect(textNotKept(kept.ownText, reloaded(server)).map((t) => t.text)).toEqual(['With respect to empirical data. Offline words.']);
  });
});
