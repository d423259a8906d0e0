import { describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { getBracketGroup, listBracketGroups, optionLabel, resolveBracket } from '../../shared/model/brackets.js';
import { addAlternative, createBracket, joinBracket, proposeInsertion, withdrawBracket, supportOption, withdrawSupport, setOptionNote } from '../../shared/model/bracket-proposals.js';
import { ModelError } from '../../shared/model/errors.js';
import { blockText, findBlock } from '../../shared/model/paragraphs.js';
import { textRuns } from '../../shared/model/text-runs.js';
import { BRACKET_MARK } from '../../shared/schema/negotiation.js';
import { BRAZIL, CHAIR, CHINA, EGYPT, KENYA, USA, docWithParagraphs } from '../support/model-doc.js';

const TEXT = 'Member States shall ensure that spam is limited.';
const paragraph = (doc: Y.Doc) => blockText(findBlock(doc, 'p0')!.element);
const at = (word: string) => ({ from: TEXT.indexOf(word), to: TEXT.indexOf(word) + word.length });

describe('square brackets', () => {
  it('brackets a selection as the original text, bracketed by the actor delegation and proposed by nobody', () => {
    const doc = docWithParagraphs([TEXT]);
    const { groupId, optionId } = createBracket(doc, { paragraphId: 'p0', ...at('ensure'), actor: EGYPT });
    const group = getBracketGroup(doc, groupId);
    expect(group.status).toBe('open');
    expect(group.options).toHaveLength(1);
    expect(group.options[0]).toMatchObject({ id: optionId, label: 'A', kind: 'original', text: 'ensure', proponents: [], supporters: [] });
    expect(group.bracketedBy.map((b) => [b.delegation, b.name])).toEqual([['Egypt', EGYPT.name]]);
    expect(paragraph(doc)).toBe(TEXT);
    const marked = textRuns(findBlock(doc, 'p0')!.element).filter((r) => r.attributes[BRACKET_MARK]);
    expect(marked.map((r) => r.insert)).toEqual(['ensure']);
  });

  it('adds alternatives after the last option, a delete option, and supporters', () => {
    const doc = docWithParagraphs([TEXT]);
    const { groupId, optionId: a } = createBracket(doc, { paragraphId: 'p0', ...at('ensure'), actor: EGYPT });
    const { optionId: b } = addAlternative(doc, { groupId, text: 'endeavour to ensure', actor: USA });
    const { optionId: del } = addAlternative(doc, { groupId, text: '', actor: CHINA });
    supportOption(doc, { groupId, optionId: a, actor: KENYA });
    setOptionNote(doc, { groupId, optionId: b, note: 'as in Resolution 146', actor: USA });

    const group = getBracketGroup(doc, groupId);
    expect(group.options.map((o) => [o.label, o.kind, o.text, o.proponents, o.supporters])).toEqual([
      ['A', 'original', 'ensure', [], ['Kenya']],
      ['B', 'text', 'endeavour to ensure', ['United States'], []],
      ['C', 'delete', '', ['China'], []],
    ]);
    expect(group.options[1]!.note).toBe('as in Resolution 146');
    expect(del).toBeTruthy();
    expect(paragraph(doc)).toBe('Member States shall ensureendeavour to ensure that spam is limited.');
    expect(() => supportOption(doc, { groupId, optionId: b, actor: USA })).toThrow(ModelError);
    // Egypt bracketed "ensure": keeping it as it stands would contradict its objection.
    expect(() => supportOption(doc, { groupId, optionId: a, actor: EGYPT })).toThrow(/bracketed/);
    expect(() => setOptionNote(doc, { groupId, optionId: a, note: 'x', actor: USA })).toThrow(ModelError);
  });

  it('keeps one position per delegation: supporting or proposing moves it, and a proposal nobody holds is withdrawn', () => {
    const doc = docWithParagraphs([TEXT]);
    const { groupId, optionId: original } = createBracket(doc, { paragraphId: 'p0', ...at('ensure'), actor: BRAZIL });
    const { optionId: egypt } = addAlternative(doc, { groupId, text: ' promote', actor: EGYPT });
    const { optionId: del } = addAlternative(doc, { groupId, text: '', actor: USA });
    supportOption(doc, { groupId, optionId: original, actor: KENYA });
    // Proposing the deletion again (Kenya) supports the one "delete" option, moving Kenya's support of the original.
    expect(addAlternative(doc, { groupId, text: '', actor: KENYA }).optionId).toBe(del);
    const positions = () => getBracketGroup(doc, groupId).options.map((o) => [o.kind, o.proponents, o.supporters]);
    expect(positions()).toEqual([
      ['original', [], []],
      ['text', ['Egypt'], []],
      ['delete', ['United States'], ['Kenya']],
    ]);
    // The United States switches to Egypt's wording: its proposal of the deletion goes, Kenya keeps the option alive.
    supportOption(doc, { groupId, optionId: egypt, actor: USA });
    expect(positions()).toEqual([
      ['original', [], []],
      ['text', ['Egypt'], ['United States']],
      ['delete', [], ['Kenya']],
    ]);
    // Kenya withdraws: nobody holds the deletion any more, so it is gone.
    withdrawSupport(doc, { groupId, optionId: del, actor: KENYA });
    expect(positions()).toEqual([
      ['original', [], []],
      ['text', ['Egypt'], ['United States']],
    ]);
    // Egypt proposes another wording: its first one, supported by the United States, stays with it.
    addAlternative(doc, { groupId, text: ' foster', actor: EGYPT });
    expect(positions()).toEqual([
      ['original', [], []],
      ['text', [], ['United States']],
      ['text', ['Egypt'], []],
    ]);
    for (const option of getBracketGroup(doc, groupId).options) {
      expect(new Set([...option.proponents, ...option.supporters]).size).toBe(option.proponents.length + option.supporters.length);
    }
  });

  it('records every delegation that brackets the same text, and each may withdraw its own bracket', () => {
    const doc = docWithParagraphs([TEXT]);
    const { groupId, optionId: original } = createBracket(doc, { paragraphId: 'p0', ...at('spam'), actor: BRAZIL });
    supportOption(doc, { groupId, optionId: original, actor: KENYA });
    joinBracket(doc, { groupId, actor: KENYA });
    joinBracket(doc, { groupId, actor: EGYPT });
    expect(() => joinBracket(doc, { groupId, actor: EGYPT })).toThrow(/already/);
    const group = getBracketGroup(doc, groupId);
    expect(group.bracketedBy.map((b) => b.delegation)).toEqual(['Brazil', 'Kenya', 'Egypt']);
    // Kenya's support of the text it now objects to has gone.
    expect(group.options[0]!.supporters).toEqual([]);
    withdrawBracket(doc, { groupId, actor: BRAZIL });
    expect(getBracketGroup(doc, groupId).bracketedBy.map((b) => b.delegation)).toEqual(['Kenya', 'Egypt']);
    expect(paragraph(doc)).toBe(TEXT);
  });

  it('takes a bracket nobody else joined away whole, with its own proposal, leaving the text as it was', () => {
    const doc = docWithParagraphs([TEXT]);
    const { groupId } = createBracket(doc, { paragraphId: 'p0', ...at('ensure'), actor: BRAZIL, propose: { text: ' seek to ensure' } });
    expect(paragraph(doc)).toBe('Member States shall ensure seek to ensure that spam is limited.');
    withdrawBracket(doc, { groupId, actor: BRAZIL });
    expect(paragraph(doc)).toBe(TEXT);
    expect(listBracketGroups(doc)).toEqual([]);
    expect(textRuns(findBlock(doc, 'p0')!.element).some((r) => r.attributes[BRACKET_MARK])).toBe(false);
  });

  it('proposes a replacement, a deletion or an insertion in one step, by the proposing delegation', () => {
    const doc = docWithParagraphs([TEXT]);
    const replaced = createBracket(doc, { paragraphId: 'p0', ...at('ensure'), actor: KENYA, propose: { text: 'encourage' } });
    const now = paragraph(doc);
    const deleted = createBracket(doc, { paragraphId: 'p0', from: now.indexOf('is limited'), to: now.indexOf('is limited') + 10, actor: KENYA, propose: { text: '' } });
    const inserted = proposeInsertion(doc, { paragraphId: 'p0', at: paragraph(doc).indexOf('spam'), text: 'unsolicited ', actor: EGYPT });
    const view = (id: string) => getBracketGroup(doc, id).options.map((o) => [o.kind, o.text, o.proponents]);
    expect(view(replaced.groupId)).toEqual([
      ['original', 'ensure', []],
      ['text', 'encourage', ['Kenya']],
    ]);
    expect(view(deleted.groupId)).toEqual([
      ['original', 'is limited', []],
      ['delete', '', ['Kenya']],
    ]);
    expect(view(inserted.groupId)).toEqual([['text', 'unsolicited ', ['Egypt']]]);
    expect(getBracketGroup(doc, inserted.groupId).bracketedBy).toEqual([]);
    expect(paragraph(doc)).toBe('Member States shall ensureencourage that unsolicited spam is limited.');
    expect(() => proposeInsertion(doc, { paragraphId: 'p0', at: TEXT.indexOf('ensure') + 2, text: 'x', actor: EGYPT })).toThrow(/inside a bracket/);
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
    expect(resolution.options.map((o) => [o.label, o.kind, o.text, o.proponents])).toEqual([
      ['A', 'original', 'ensure', []],
      ['B', 'text', 'endeavour to ensure', ['United States']],
    ]);
    expect(resolution.bracketedBy).toEqual(['Egypt']);
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
