import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { paragraphsChangedBy } from '../../client/editor/undo-reveal.js';
import { NEGOTIATION_ORIGIN } from '../../client/editor/negotiation-origin.js';
import { createBracket } from '../../shared/model/bracket-proposals.js';
import { bracketGroups } from '../../shared/model/brackets.js';
import { paragraphMetas, setParagraphStatus } from '../../shared/model/paragraph-status.js';
import { body } from '../../shared/model/paragraphs.js';
import { BLOCK_ID_ATTR } from '../../shared/schema/negotiation.js';
import { CHAIR, EGYPT, docWithParagraphs } from '../support/model-doc.js';

/**
 * Before an undo, the editor shows the paragraph it changes
 * (client/editor/undo-reveal.ts): which paragraph that is, read from the
 * undo-stack item, whatever the change was.
 */

const TYPED = Symbol('typed');

/** A document of three paragraphs (p0, p1, p2) and an UndoManager as the editor sets one up. */
function room() {
  const doc = docWithParagraphs(['First paragraph.', 'Second paragraph, far below.', 'Third paragraph.']);
  const undoManager = new Y.UndoManager([body(doc), bracketGroups(doc), paragraphMetas(doc)], {
    trackedOrigins: new Set([TYPED, NEGOTIATION_ORIGIN]),
    captureTimeout: 0,
  });
  const text = (i: number) => (body(doc).get(i) as Y.XmlElement).get(0) as Y.XmlText;
  const top = () => undoManager.undoStack[undoManager.undoStack.length - 1]!;
  return { doc, undoManager, text, top };
}

describe('the paragraph an undo changes', () => {
  it('is the one typed in, and the one text was deleted from', () => {
    const { doc, text, top, undoManager } = room();
    doc.transact(() => text(1).insert(6, ' typed'), TYPED);
    expect(paragraphsChangedBy(doc, top())).toEqual(['p1']);
    doc.transact(() => text(2).delete(0, 6), TYPED);
    expect(paragraphsChangedBy(doc, top())).toEqual(['p2']);
    // Redo holds the same change: the paragraph it would change back.
    undoManager.undo();
    const redo = undoManager.redoStack[undoManager.redoStack.length - 1]!;
    expect(paragraphsChangedBy(doc, redo)).toEqual(['p2']);
  });

  it('is the one formatted, and a new paragraph made by Enter', () => {
    const { doc, text, top } = room();
    doc.transact(() => text(0).format(0, 5, { bold: {} }), TYPED);
    expect(paragraphsChangedBy(doc, top())).toEqual(['p0']);
    doc.transact(() => {
      const element = new Y.XmlElement('paragraph');
      element.setAttribute(BLOCK_ID_ATTR, 'p9');
      element.insert(0, [new Y.XmlText('A new one.')]);
      body(doc).insert(3, [element]);
    }, TYPED);
    expect(paragraphsChangedBy(doc, top())).toEqual(['p9']);
  });

  it('is the bracketed paragraph for a bracket, and the paragraph whose status was set', () => {
    const { doc, top } = room();
    createBracket(doc, { paragraphId: 'p1', from: 0, to: 6, actor: EGYPT }, NEGOTIATION_ORIGIN);
    expect(paragraphsChangedBy(doc, top())).toEqual(['p1']);
    setParagraphStatus(doc, { paragraphId: 'p2', status: 'agreed', actor: CHAIR }, NEGOTIATION_ORIGIN);
    expect(paragraphsChangedBy(doc, top())).toEqual(['p2']);
  });

  it('names every paragraph a change touched, each once', () => {
    const { doc, text, top } = room();
    doc.transact(() => {
      text(2).insert(0, 'x');
      text(0).insert(0, 'y');
      text(2).insert(0, 'z');
    }, TYPED);
    expect(paragraphsChangedBy(doc, top()).sort()).toEqual(['p0', 'p2']);
  });
});
