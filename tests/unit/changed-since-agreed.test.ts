import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createBracket } from '../../shared/model/bracket-proposals.js';
import { consensus } from '../../shared/model/consensus.js';
import { paragraphMetas, setParagraphStatus } from '../../shared/model/paragraph-status.js';
import { body, listBlocks } from '../../shared/model/paragraphs.js';
import { BLOCK_ID_ATTR, BLOCK_NUM_ATTR } from '../../shared/schema/negotiation.js';
import { FOOTNOTE_NODE, FOOTNOTE_TEXT_ATTR } from '../../shared/schema/ydoc.js';
import { NegotiationIndex } from '../../client/negotiation/negotiation-index.js';
import { agreePlan } from '../../client/negotiation/negotiation-views.js';
import { CHAIR, EGYPT, docWithParagraphs } from '../support/model-doc.js';

/**
 * A paragraph the chair agreed and then edited is no longer agreed: the
 * index reads it as "changed since agreed" (effectiveStatus open, the stored
 * status still locking it for delegations) and the figure stops counting it,
 * until the chair agrees it again.
 */

const draft = () =>
  docWithParagraphs([
    { num: '3.1', text: 'Various views were submitted.' },
    { num: '3.2', text: 'Divergent views were expressed.' },
    { num: '3.3', text: 'Some members were of the view.' },
  ]);

const textOf = (doc: Y.Doc, n: number) => listBlocks(doc)[n]!.element.get(0) as Y.XmlText;

describe('agreements that no longer hold, in the negotiation index', () => {
  it('reads an agreed paragraph edited since as changed since agreed, still locked, not counted, until agreed again', () => {
    const doc = draft();
    const index = new NegotiationIndex(doc);
    setParagraphStatus(doc, { paragraphId: 'p1', status: 'agreed', actor: CHAIR });
    expect(index.snapshot().margins.locked.get('p1')).toEqual({ status: 'agreed', holds: true });
    expect(index.snapshot().blocks.p1!.changedSinceAgreed).toBe(false);
    expect(index.snapshot().consensus.agreed).toBe(1);

    const text = textOf(doc, 1);
    text.insert(text.length, ' Edited by the chair.');
    expect(index.snapshot().margins.locked.get('p1')).toEqual({ status: 'agreed', holds: false });
    expect(index.snapshot().blocks.p1).toMatchObject({ status: 'agreed', changedSinceAgreed: true });
    // Locked all the same: the stored status is what the lock reads.
    expect(index.statusOf('p1')).toBe('agreed');
    expect(index.snapshot().consensus.agreed).toBe(0);
    expect(index.snapshot().consensus).toEqual(consensus(doc));
    // Other paragraphs are not touched.
    expect(index.snapshot().blocks.p0!.changedSinceAgreed).toBe(false);

    // Typing the text back as it was agreed: the agreement holds again.
    text.delete(text.length - ' Edited by the chair.'.length, ' Edited by the chair.'.length);
    expect(index.snapshot().margins.locked.get('p1')).toEqual({ status: 'agreed', holds: true });
    expect(index.snapshot().consensus.agreed).toBe(1);

    // Edited again, then agreed again by the chair: it records the new text and holds.
    text.insert(0, 'As amended: ');
    expect(index.snapshot().blocks.p1!.changedSinceAgreed).toBe(true);
    setParagraphStatus(doc, { paragraphId: 'p1', status: 'agreed', actor: CHAIR });
    expect(index.snapshot().blocks.p1!.changedSinceAgreed).toBe(false);
    expect(index.snapshot().margins.locked.get('p1')).toEqual({ status: 'agreed', holds: true });
    index.destroy();
  });

  it('sees a changed footnote, an agreement arriving from another client, and agreements recorded before the text was kept', () => {
    const source = draft();
    const note = new Y.XmlElement(FOOTNOTE_NODE);
    note.setAttribute(FOOTNOTE_TEXT_ATTR, 'See document 12.');
    listBlocks(source)[2]!.element.insert(1, [note]);
    const replica = new Y.Doc();
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(source));
    const index = new NegotiationIndex(replica);
    const sync = () => Y.applyUpdate(replica, Y.encodeStateAsUpdate(source, Y.encodeStateVector(replica)));

    setParagraphStatus(source, { paragraphId: ['p0', 'p2'], status: 'agreed-ad-ref', actor: CHAIR });
    sync();
    expect(index.snapshot().consensus.agreedAdRef).toBe(2);
    note.setAttribute(FOOTNOTE_TEXT_ATTR, 'See document 13.');
    sync();
    expect(index.snapshot().margins.locked.get('p2')).toEqual({ status: 'agreed-ad-ref', holds: false });
    expect(index.snapshot().margins.locked.get('p0')).toEqual({ status: 'agreed-ad-ref', holds: true });

    // An agreement with no text kept cannot say what was agreed: it holds whatever the text.
    paragraphMetas(source).set('p1', { status: 'agreed', by: CHAIR, at: '2026-01-01T00:00:00.000Z' });
    textOf(source, 1).insert(0, 'Edited. ');
    sync();
    expect(index.snapshot().blocks.p1!.changedSinceAgreed).toBe(false);
    expect(index.snapshot().consensus).toEqual(consensus(replica));
    index.destroy();
  });

  it('plans agreeing a section: counted paragraphs only, those already agreed left out, what the chair must know', () => {
    const doc = docWithParagraphs([
      { num: '2.1', text: 'Section two.' },
      { num: '3.1', text: 'Various views were submitted.' },
      { num: '3.2', text: 'Divergent views were expressed.' },
      { num: 'a)', text: 'on new trends' },
      { num: '3.3', text: 'Some members were of the view.' },
      'An unnumbered title line',
    ]);
    const heading = new Y.XmlElement('heading');
    heading.setAttribute('level', '1');
    heading.setAttribute(BLOCK_ID_ATTR, 'h3');
    heading.setAttribute(BLOCK_NUM_ATTR, '3');
    heading.insert(0, [new Y.XmlText('Summary of views')]);
    body(doc).insert(1, [heading]);
    const index = new NegotiationIndex(doc);
    setParagraphStatus(doc, { paragraphId: 'p1', status: 'agreed', actor: CHAIR });
    setParagraphStatus(doc, { paragraphId: 'p3', status: 'agreed-ad-ref', actor: CHAIR });
    createBracket(doc, { paragraphId: 'p4', from: 0, to: 4, actor: EGYPT });

    const section3 = index.countedParagraphs().filter(({ block }) => block.section === '3');
    const plan = agreePlan(section3, index.snapshot().groups);
    // The heading "3" and the unnumbered line are not paragraphs of the figures; 3.1 is agreed already.
    expect(plan.ids).toEqual(['p2', 'p3', 'p4']);
    expect(plan.refs).toEqual(['3.2', '3.2 a)', '3.3']);
    expect(plan).toMatchObject({ alreadyAgreed: 1, adRef: 1, withOpenBrackets: 1 });

    // 3.1 edited since it was agreed is agreed again with the others.
    textOf(doc, 2).insert(0, 'Edited. ');
    expect(agreePlan(index.countedParagraphs().filter(({ block }) => block.section === '3'), index.snapshot().groups).ids).toEqual([
      'p1',
      'p2',
      'p3',
      'p4',
    ]);
    setParagraphStatus(doc, { paragraphId: plan.ids, status: 'agreed', actor: CHAIR });
    expect(index.snapshot().consensus.agreed).toBe(3);
    index.destroy();
  });
});
