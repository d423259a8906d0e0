import { describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import {
  addAlternative,
  createBracket,
  getBracketGroup,
  listBracketGroups,
  optionLabel,
  resolveBracket,
  supportOption,
  withdrawSupport,
  setOptionNote,
} from '../../shared/model/brackets.js';
import { ModelError } from '../../shared/model/errors.js';
import { agreedDocument, agreedPlainText } from '../../shared/model/agreed-text.js';
import { blockText, findBlock } from '../../shared/model/paragraphs.js';
import { textRuns } from '../../shared/model/text-runs.js';
import { BRACKET_MARK } from '../../shared/schema/negotiation.js';
import { CHAIR, CHINA, EGYPT, USA, docWithParagraphs } from '../support/model-doc.js';

const TEXT = 'Member States shall ensure that spam is limited.';
const paragraph = (doc: Y.Doc) => blockText(findBlock(doc, 'p0')!.element);
const at = (word: string) => ({ from: TEXT.indexOf(word), to: TEXT.indexOf(word) + word.length });

describe('square brackets', () => {
  it('brackets a selection as option A of the actor delegation', () => {
    const doc = docWithParagraphs([TEXT]);
    const { groupId, optionId } = createBracket(doc, { paragraphId: 'p0', ...at('ensure'), actor: EGYPT });
    const group = getBracketGroup(doc, groupId);
    expect(group.status).toBe('open');
    expect(group.options).toHaveLength(1);
    expect(group.options[0]).toMatchObject({ id: optionId, label: 'A', kind: 'text', text: 'ensure', proponents: ['Egypt'] });
    expect(paragraph(doc)).toBe(TEXT);
    const marked = textRuns(findBlock(doc, 'p0')!.element).filter((r) => r.attributes[BRACKET_MARK]);
    expect(marked.map((r) => r.insert)).toEqual(['ensure']);
  });

  it('adds alternatives after the last option, a delete option, and supporters', () => {
    const doc = docWithParagraphs([TEXT]);
    const { groupId, optionId: a } = createBracket(doc, { paragraphId: 'p0', ...at('ensure'), actor: EGYPT });
    const { optionId: b } = addAlternative(doc, { groupId, text: 'endeavour to ensure', actor: USA });
    const { optionId: del } = addAlternative(doc, { groupId, text: '', actor: CHINA });
    supportOption(doc, { groupId, optionId: b, actor: CHINA });
    supportOption(doc, { groupId, optionId: a, actor: USA });
    withdrawSupport(doc, { groupId, optionId: a, actor: USA });
    setOptionNote(doc, { groupId, optionId: b, note: 'as in Resolution 146', actor: USA });

    const group = getBracketGroup(doc, groupId);
    expect(group.options.map((o) => [o.label, o.kind, o.text, o.proponents, o.supporters])).toEqual([
      ['A', 'text', 'ensure', ['Egypt'], []],
      ['B', 'text', 'endeavour to ensure', ['United States'], ['China']],
      ['C', 'delete', '', ['China'], []],
    ]);
    expect(group.options[1]!.note).toBe('as in Resolution 146');
    expect(del).toBeTruthy();
    expect(paragraph(doc)).toBe('Member States shall ensureendeavour to ensure that spam is limited.');
    expect(() => supportOption(doc, { groupId, optionId: b, actor: USA })).toThrow(ModelError);
    expect(() => addAlternative(doc, { groupId, text: ' ', actor: EGYPT })).toThrow(/delete/);
    expect(() => setOptionNote(doc, { groupId, optionId: a, note: 'x', actor: USA })).toThrow(ModelError);
  });

  it('refuses a bracket inside a bracket, an empty selection, an unknown paragraph', () => {
    const doc = docWithParagraphs([TEXT]);
    createBracket(doc, { paragraphId: 'p0', ...at('ensure'), actor: EGYPT });
    expect(() => createBracket(doc, { paragraphId: 'p0', from: 20, to: 30, actor: USA })).toThrow(/already in brackets/);
    expect(() => createBracket(doc, { paragraphId: 'p0', from: 3, to: 3, actor: USA })).toThrow(ModelError);
    expect(() => createBracket(doc, { paragraphId: 'nope', from: 0, to: 3, actor: USA })).toThrow(/No paragraph/);
    expect(() => createBracket(doc, { paragraphId: 'p0', from: 0, to: 999, actor: USA })).toThrow(ModelError);
  });

  it('resolves by choosing an option: its text stays as normal text, the rest goes, the record stays', () => {
    const doc = docWithParagraphs([TEXT]);
    const { groupId } = createBracket(doc, { paragraphId: 'p0', ...at('ensure'), actor: EGYPT });
    const { optionId: b } = addAlternative(doc, { groupId, text: 'endeavour to ensure', actor: USA });
    const resolution = resolveBracket(doc, { groupId, outcome: 'chosen', optionId: b, actor: CHAIR });

    expect(paragraph(doc)).toBe('Member States shall endeavour to ensure that spam is limited.');
    expect(textRuns(findBlock(doc, 'p0')!.element).some((r) => r.attributes[BRACKET_MARK])).toBe(false);
    expect(resolution).toMatchObject({ outcome: 'chosen', chosenOptionId: b, keptText: 'endeavour to ensure', by: CHAIR });
    expect(resolution.options.map((o) => [o.label, o.text, o.proponents])).toEqual([
      ['A', 'ensure', ['Egypt']],
      ['B', 'endeavour to ensure', ['United States']],
    ]);
    expect(getBracketGroup(doc, groupId).status).toBe('resolved');
    expect(() => addAlternative(doc, { groupId, text: 'x', actor: EGYPT })).toThrow(/resolved/);
    expect(() => resolveBracket(doc, { groupId, outcome: 'deleted', actor: CHAIR })).toThrow(/resolved/);
  });

  it('resolves by deleting the whole group, or by choosing the delete option', () => {
    const doc = docWithParagraphs([TEXT, TEXT]);
    const g1 = createBracket(doc, { paragraphId: 'p0', from: TEXT.indexOf(' that spam'), to: TEXT.length - 1, actor: EGYPT });
    resolveBracket(doc, { groupId: g1.groupId, outcome: 'deleted', actor: CHAIR });
    expect(paragraph(doc)).toBe('Member States shall ensure.');

    const g2 = createBracket(doc, { paragraphId: 'p1', from: TEXT.indexOf(' that spam'), to: TEXT.length - 1, actor: EGYPT });
    const del = addAlternative(doc, { groupId: g2.groupId, text: '', actor: USA });
    const r = resolveBracket(doc, { groupId: g2.groupId, outcome: 'chosen', optionId: del.optionId, actor: CHAIR });
    expect(r.outcome).toBe('deleted');
    expect(blockText(findBlock(doc, 'p1')!.element)).toBe('Member States shall ensure.');
  });

  it('removes brackets around a compromise edited into the options', () => {
    const doc = docWithParagraphs([TEXT]);
    const { groupId } = createBracket(doc, { paragraphId: 'p0', ...at('ensure'), actor: EGYPT });
    addAlternative(doc, { groupId, text: ' or encourage', actor: USA });
    const r = resolveBracket(doc, { groupId, outcome: 'compromise', actor: CHAIR });
    expect(r.keptText).toBe('ensure or encourage');
    expect(paragraph(doc)).toBe('Member States shall ensure or encourage that spam is limited.');
  });

  it('reports open groups in the agreed text and leaves them out or keeps them on request', () => {
    const doc = docWithParagraphs([{ num: '3.3', text: TEXT }]);
    const { groupId } = createBracket(doc, { paragraphId: 'p0', ...at('spam'), actor: EGYPT });
    addAlternative(doc, { groupId, text: 'unsolicited communications', actor: USA });
    const agreed = agreedDocument(doc);
    expect(agreed.open).toHaveLength(1);
    expect(agreed.open[0]).toMatchObject({ ref: '3.3', paragraphId: 'p0' });
    expect(agreed.open[0]!.options.map((o) => o.proponents)).toEqual([['Egypt'], ['United States']]);
    expect(agreedPlainText(agreed, 'keep')).toBe(
      '3.3\tMember States shall ensure that [spam (Egypt) / unsolicited communications (United States)] is limited.',
    );
    expect(agreedPlainText(agreed, 'omit')).toBe('3.3\tMember States shall ensure that  is limited.');
  });

  it('lists open groups in document order before resolved ones', () => {
    const doc = docWithParagraphs(['first paragraph text', 'second paragraph text']);
    const late = createBracket(doc, { paragraphId: 'p1', from: 0, to: 6, actor: EGYPT });
    const early = createBracket(doc, { paragraphId: 'p0', from: 0, to: 5, actor: USA });
    const done = createBracket(doc, { paragraphId: 'p0', from: 6, to: 15, actor: USA });
    resolveBracket(doc, { groupId: done.groupId, outcome: 'compromise', actor: CHAIR });
    expect(listBracketGroups(doc).map((g) => g.id)).toEqual([early.groupId, late.groupId, done.groupId]);
  });

  it('labels options A..Z then AA', () => {
    expect([0, 1, 25, 26, 27].map(optionLabel)).toEqual(['A', 'B', 'Z', 'AA', 'AB']);
  });
});
