import { describe, expect, it } from 'vitest';
import { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { movedNotice } from '../../client/editor/follow-chair.js';
import { roomAttention } from '../../client/panels/room-attention.js';
import { matchRoute, screenPath } from '../../client/router.js';
import { listBlocks } from '../../shared/model/paragraphs.js';
import { docWithParagraphs } from '../support/model-doc.js';

/**
 * The client's side of the meeting room that needs no browser: the screen's
 * address, what it says when the paragraph under discussion was deleted, and
 * what the presence panel counts from awareness (client/panels/room-attention.ts).
 */

const DOC = 'eg-itrs-final-report';

describe('the plenary screen address', () => {
  it('is the document address with /screen, and routes to the screen page', () => {
    expect(screenPath(DOC)).toBe(`/d/${DOC}/screen`);
    expect(matchRoute(`/d/${DOC}/screen`)).toEqual({ page: 'screen', documentId: DOC });
    expect(matchRoute(`/d/${DOC}/screen/`)).toEqual({ page: 'screen', documentId: DOC });
    expect(matchRoute(`/d/${DOC}/screen/more`)).toEqual({ page: 'not-found' });
    expect(matchRoute(`/d/${DOC}`)).toEqual({ page: 'editor', documentId: DOC });
  });
});

describe('the notice of a deleted paragraph under discussion', () => {
  it('names both paragraphs when they are numbered, and says so in words otherwise', () => {
    expect(movedNotice('3.5', '3.6')).toBe('3.5 was deleted: now at 3.6');
    expect(movedNotice(null, null)).toBe('The paragraph under discussion was deleted: now at the next paragraph');
  });
});

describe('what the room is looking at, from awareness', () => {
  function room() {
    const doc = docWithParagraphs([
      { num: '3.5', text: 'A summary of the divergent views.' },
      { num: '3.6', text: 'Some members were of the view.' },
    ]);
    const awareness = new Awareness(doc);
    const [first, second] = listBlocks(doc);
    const caretIn = (element: Y.XmlElement) => {
      const text = element.get(0) as Y.XmlText;
      const at = Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(text, 3));
      return { anchor: at, head: at };
    };
    return { doc, awareness, first: first!, second: second!, caretIn };
  }

  it('counts who follows the chair, not this browser, and only a true `following`', () => {
    const { awareness } = room();
    awareness.setLocalStateField('following', true);
    awareness.states.set(101, { user: { name: 'A' }, following: true });
    awareness.states.set(102, { user: { name: 'B' }, following: 'yes' });
    awareness.states.set(103, { user: { name: 'C' } });
    awareness.states.set(104, { user: { name: 'D' }, following: true });
    expect(roomAttention(awareness, null).following).toBe(2);
  });

  it("finds whose caret is in the paragraph under discussion, and ignores forged carets", () => {
    const { awareness, first, second, caretIn } = room();
    awareness.states.set(201, { user: { name: 'In 3.5' }, cursor: caretIn(first.element) });
    awareness.states.set(202, { user: { name: 'In 3.6' }, cursor: caretIn(second.element) });
    awareness.states.set(203, { user: { name: 'Forged' }, cursor: { anchor: { type: 'nonsense' } } });
    awareness.states.set(204, { user: { name: 'Garbage' }, cursor: 'x' });
    expect([...roomAttention(awareness, first.id).inParagraph]).toEqual([201]);
    expect([...roomAttention(awareness, second.id).inParagraph]).toEqual([202]);
    expect(roomAttention(awareness, null).inParagraph.size).toBe(0);
  });
});
