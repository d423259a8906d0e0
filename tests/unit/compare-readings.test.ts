import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { resolveBracket } from '../../shared/model/brackets.js';
import { addAlternative, createBracket, joinBracket, supportOption } from '../../shared/model/bracket-proposals.js';
import { addThread, setThreadStatus } from '../../shared/model/comments.js';
import { changesMap } from '../../shared/model/paragraph-changes.js';
import { setParagraphStatus } from '../../shared/model/paragraph-status.js';
import { agreementText, listBlocks } from '../../shared/model/paragraphs.js';
import { BLOCK_NUM_ATTR } from '../../shared/schema/negotiation.js';
import type { ComparedParagraph } from '../../shared/schema/readings.js';
import { FOOTNOTE_NODE, FOOTNOTE_TEXT_ATTR } from '../../shared/schema/ydoc.js';
import { BRAZIL, CHAIR, EGYPT, KENYA, USA, docWithParagraphs } from '../support/model-doc.js';
import { BRAZIL_CLIENT, EGYPT_CLIENT, bodyOf, compare, editAs, later, newParagraph, textOf } from '../support/reading-docs.js';

const rebuilt = (p: ComparedParagraph, keep: 'inserted' | 'deleted') =>
  p.pieces
    .filter((piece) => piece.kind === 'same' || piece.kind === keep)
    .map((piece) => piece.text)
    .join('');

const report = () =>
  docWithParagraphs([
    { num: '3.1', text: 'The Conference shall adopt the report.' },
    { num: '3.2', text: 'Member States should cooperate on roaming charges.' },
    { num: '3.3', text: 'The ITRs apply to authorized operating agencies.' },
  ]);

describe('compareDocuments: the text', () => {
  it('shows changed words, attributed to the delegation whose connection typed them', () => {
    const before = report();
    const after = later(before, EGYPT_CLIENT);
    textOf(after, 0).delete(15, 5); // "shall"
    textOf(after, 0).insert(15, 'may');
    editAs(after, BRAZIL_CLIENT, (d) => textOf(d, 2).insert(textOf(d, 2).length - 1, ' and Member States'));
    changesMap(after).set('p0', [{ delegation: 'Egypt', name: EGYPT.name, at: '2026-01-02T09:00:00.000Z', kind: 'edited' }]);

    const c = compare(before, after, '2026-01-01T00:00:00.000Z');
    const [p0, p1, p2] = c.paragraphs;
    expect(p0).toMatchObject({ id: 'p0', change: 'changed', refAfter: '3.1', changedBy: ['Egypt'] });
    expect(p0!.pieces).toEqual([
      { kind: 'same', text: 'The Conference ', by: [] },
      { kind: 'deleted', text: 'shall', by: ['Egypt'] },
      { kind: 'inserted', text: 'may', by: ['Egypt'] },
      { kind: 'same', text: ' adopt the report.', by: [] },
    ]);
    expect(p1).toMatchObject({ change: 'same', pieces: [{ kind: 'same', text: 'Member States should cooperate on roaming charges.' }], changedBy: [] });
    expect(p2!.pieces.filter((p) => p.kind === 'inserted')).toEqual([{ kind: 'inserted', text: ' and Member States', by: ['Brazil'] }]);
    expect(p2!.changedBy).toEqual(['Brazil']);
  });

  it('reads deletions by the change record after the earlier end only', () => {
    const before = report();
    const after = later(before, EGYPT_CLIENT);
    textOf(after, 1).delete(14, 7); // "should "
    changesMap(after).set('p1', [
      { delegation: 'Brazil', name: BRAZIL.name, at: '2026-01-02T09:00:00.000Z', kind: 'edited' },
      { delegation: 'Kenya', name: KENYA.name, at: '2025-12-01T09:00:00.000Z', kind: 'edited' },
    ]);
    const p1 = compare(before, after, '2026-01-01T00:00:00.000Z').paragraphs[1]!;
    expect(p1.pieces.find((p) => p.kind === 'deleted')).toEqual({ kind: 'deleted', text: 'should ', by: ['Brazil'] });
    expect(p1.changedBy).toEqual(['Brazil']);
  });

  it('keeps a moved paragraph as moved, and a deleted one where it stood', () => {
    const before = report();
    const after = later(before, EGYPT_CLIENT);
    const moved = newParagraph('p2', agreementText(listBlocks(after)[2]!.element));
    moved.setAttribute(BLOCK_NUM_ATTR, '3.3');
    bodyOf(after).delete(2, 1);
    bodyOf(after).insert(0, [moved]);
    bodyOf(after).delete(2, 1); // p1 (now third)
    const c = compare(before, after);
    expect(c.paragraphs.map((p) => [p.id, p.change])).toEqual([
      ['p2', 'moved'],
      ['p0', 'same'],
      ['p1', 'deleted'],
    ]);
    expect(c.paragraphs[0]!.pieces).toEqual([{ kind: 'same', text: 'The ITRs apply to authorized operating agencies.', by: [] }]);
    expect(c.paragraphs[2]).toMatchObject({ refBefore: '3.2', refAfter: null, statusAfter: null, pieces: [{ kind: 'deleted', text: 'Member States should cooperate on roaming charges.' }] });
  });

  it('reads a split paragraph as a changed one and an inserted one', () => {
    const before = report();
    const after = later(before, EGYPT_CLIENT);
    textOf(after, 1).delete(30, 21); // " on roaming charges."
    textOf(after, 1).insert(30, '.');
    bodyOf(after).insert(2, [newParagraph('p9', 'Roaming charges are on the agenda.')]);
    const c = compare(before, after);
    expect(c.paragraphs.map((p) => [p.id, p.change])).toEqual([
      ['p0', 'same'],
      ['p1', 'changed'],
      ['p9', 'inserted'],
      ['p2', 'same'],
    ]);
    expect(rebuilt(c.paragraphs[1]!, 'inserted')).toBe('Member States should cooperate.');
    expect(c.paragraphs[2]).toMatchObject({ refBefore: null, statusBefore: null, pieces: [{ kind: 'inserted', text: 'Roaming charges are on the agenda.', by: ['Egypt'] }] });
  });

  it('says when a paragraph was renumbered, its status changed, or its footnote changed', () => {
    const before = report();
    const note = new Y.XmlElement(FOOTNOTE_NODE);
    note.setAttribute(FOOTNOTE_TEXT_ATTR, 'See Resolution 1.');
    listBlocks(before)[1]!.element.insert(1, [note]);
    const after = later(before, EGYPT_CLIENT);
    listBlocks(after)[2]!.element.setAttribute(BLOCK_NUM_ATTR, '3.4');
    (listBlocks(after)[1]!.element.get(1) as Y.XmlElement).setAttribute(FOOTNOTE_TEXT_ATTR, 'See Resolutions 1 and 2.');
    setParagraphStatus(after, { paragraphId: 'p0', status: 'agreed', actor: CHAIR });
    const [p0, p1, p2] = compare(before, after).paragraphs;
    expect(p0).toMatchObject({ change: 'changed', statusBefore: 'open', statusAfter: 'agreed' });
    expect(p1!.change).toBe('changed');
    expect(rebuilt(p1!, 'deleted')).toContain('[^See Resolution 1.]');
    expect(rebuilt(p1!, 'inserted')).toContain('[^See Resolutions 1 and 2.]');
    expect(p1!.pieces.some((p) => p.kind === 'inserted' && p.by.includes('Egypt'))).toBe(true);
    expect(p2).toMatchObject({ change: 'changed', refBefore: '3.3', refAfter: '3.4', pieces: [{ kind: 'same' }] });
  });

  it('compares Arabic and Chinese paragraphs word by word', () => {
    const before = docWithParagraphs(['يعتمد المؤتمر التقرير.', '会议通过了报告。']);
    const after = later(before, BRAZIL_CLIENT);
    textOf(after, 0).insert(21, ' النهائي');
    textOf(after, 1).insert(5, '最后');
    const [arabic, chinese] = compare(before, after).paragraphs;
    expect(arabic!.pieces.filter((p) => p.kind !== 'same')).toEqual([{ kind: 'inserted', text: ' النهائي', by: ['Brazil'] }]);
    expect(chinese!.pieces.filter((p) => p.kind !== 'same')).toEqual([{ kind: 'inserted', text: '最后', by: ['Brazil'] }]);
    expect(rebuilt(chinese!, 'deleted')).toBe('会议通过了报告。');
  });
});

describe('compareDocuments: negotiation events', () => {
  it('lists a bracket opened, joined, an alternative, a support and the resolution, with the paragraph reference', () => {
    const before = report();
    const after = later(before, EGYPT_CLIENT);
    const { groupId } = createBracket(after, { paragraphId: 'p1', from: 14, to: 20, actor: EGYPT });
    joinBracket(after, { groupId, actor: KENYA });
    const { optionId } = addAlternative(after, { groupId, text: 'shall', actor: BRAZIL });
    supportOption(after, { groupId, optionId, actor: USA });
    resolveBracket(after, { groupId, outcome: 'chosen', optionId, actor: CHAIR });
    setParagraphStatus(after, { paragraphId: 'p1', status: 'agreed', actor: CHAIR });
    const { threadId } = addThread(after, { paragraphId: 'p2', text: 'Which agencies?', actor: KENYA });
    setThreadStatus(after, { threadId, status: 'resolved', actor: { name: 'Sec', delegation: 'Secretariat' } });

    const c = compare(before, after);
    // Oldest first (several steps can share a millisecond, so the order is checked apart from the contents).
    const times = c.events.map((e) => e.at!);
    expect(times).toEqual([...times].sort());
    expect(c.events.map((e) => [e.kind, e.ref, e.who, e.text]).sort()).toEqual([
      ['bracket-opened', '3.2', 'Egypt', 'bracket opened by Egypt'],
      ['bracket-joined', '3.2', 'Kenya', 'Kenya joined the bracket'],
      ['alternative-added', '3.2', 'Brazil', 'alternative B added by Brazil'],
      ['support', '3.2', 'United States', 'United States supports B'],
      ['resolved', '3.2', 'Chair', 'resolved by the Chair: B kept, A dropped'],
      ['status-set', '3.2', 'Chair', '3.2 marked agreed by the Chair'],
      ['thread-opened', '3.3', 'Kenya', 'comment thread opened by Kenya'],
      ['thread-resolved', '3.3', 'Secretariat', 'thread resolved by the Secretariat'],
    ].sort());
    expect(c.paragraphs[1]!.pieces.map((p) => [p.kind, p.text])).toEqual([
      ['same', 'Member States '],
      ['deleted', 'should'],
      ['inserted', 'shall'],
      ['same', ' cooperate on roaming charges.'],
    ]);
  });

  it('lists only what happened after the earlier end', () => {
    const base = report();
    const { groupId } = createBracket(base, { paragraphId: 'p0', from: 0, to: 3, actor: EGYPT });
    const before = later(base, 7);
    const after = later(before, EGYPT_CLIENT);
    const { optionId } = addAlternative(after, { groupId, text: 'A', actor: BRAZIL });
    expect(compare(before, after).events.map((e) => e.text)).toEqual(['alternative B added by Brazil']);
    expect(compare(after, after).events).toEqual([]);
    supportOption(after, { groupId, optionId, actor: USA });
    expect(compare(before, after).events.map((e) => e.kind)).toEqual(['alternative-added', 'support']);
  });
});

describe('compareDocuments: property', () => {
  type Edit = { kind: 'insert' | 'delete' | 'split' | 'drop'; paragraph: number; at: number; length: number; text: string; client: number };
  const edit = fc.record({
    kind: fc.constantFrom('insert', 'insert', 'delete', 'split', 'drop'),
    paragraph: fc.nat(20),
    at: fc.nat(60),
    length: fc.nat(12),
    text: fc.constantFrom('the ', 'shall', ' report', '会议', 'المؤتمر ', ', ', 'доклад'),
    client: fc.constantFrom(EGYPT_CLIENT, BRAZIL_CLIENT),
  }) as fc.Arbitrary<Edit>;

  it('the pieces give the later text (same + inserted) and the earlier one (same + deleted), paragraph by paragraph', () => {
    fc.assert(
      fc.property(fc.array(edit, { maxLength: 25 }), (edits) => {
        const before = docWithParagraphs(['The Conference shall adopt the report.', '会议通过了报告。', 'يعتمد المؤتمر التقرير.', 'Конференция утверждает доклад.']);
        const after = later(before, 9);
        let made = 0;
        for (const e of edits) {
          editAs(after, e.client, (d) => {
            const blocks = listBlocks(d);
            if (blocks.length === 0) return;
            const index = e.paragraph % blocks.length;
            const text = blocks[index]!.element.get(0) as Y.XmlText;
            const at = Math.min(e.at, text.length);
            if (e.kind === 'insert') text.insert(at, e.text);
            else if (e.kind === 'delete') text.delete(at, Math.min(e.length, text.length - at));
            else if (e.kind === 'split') {
              const rest = text.toString().slice(at);
              text.delete(at, rest.length);
              bodyOf(d).insert(index + 1, [newParagraph(`n${made++}`, rest)]);
            } else if (blocks.length > 1) bodyOf(d).delete(index, 1);
          });
        }
        const c = compare(before, after);
        const laterTexts = new Map(listBlocks(after).map((b) => [b.id!, agreementText(b.element)]));
        const earlierTexts = new Map(listBlocks(before).map((b) => [b.id!, agreementText(b.element)]));
        for (const p of c.paragraphs) {
          if (p.change !== 'deleted') expect(rebuilt(p, 'inserted')).toBe(laterTexts.get(p.id));
          if (p.change !== 'inserted') expect(rebuilt(p, 'deleted')).toBe(earlierTexts.get(p.id));
          for (const piece of p.pieces) for (const name of piece.by) expect(['Egypt', 'Brazil']).toContain(name);
        }
        expect(c.paragraphs.filter((p) => p.change !== 'deleted').map((p) => p.id)).toEqual([...laterTexts.keys()]);
        expect(c.paragraphs.filter((p) => p.change !== 'inserted').map((p) => p.id).sort()).toEqual([...earlierTexts.keys()].sort());
      }),
      { numRuns: 150 },
    );
  });
});

describe('compareDocuments: paragraphs without an id', () => {
  it('matches an unchanged one by its text, and reads a changed one as deleted and inserted', () => {
    const before = docWithParagraphs(['Title', 'Subtitle']);
    for (const b of listBlocks(before)) b.element.removeAttribute('id');
    const after = later(before, EGYPT_CLIENT);
    textOf(after, 1).insert(8, ' two');
    const c = compare(before, after);
    expect(c.paragraphs.map((p) => p.change)).toEqual(['same', 'deleted', 'inserted']);
    expect(c.paragraphs[0]!.id).toMatch(/^text-/);
    expect(c.paragraphs[2]!.pieces).toEqual([{ kind: 'inserted', text: 'Subtitle two', by: ['Egypt'] }]);
  });
});
