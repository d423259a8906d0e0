import { getSchema } from '@tiptap/core';
import type { Node as PMNode, Schema } from '@tiptap/pm/model';
import { EditorState, TextSelection } from '@tiptap/pm/state';
import { initProseMirrorDoc } from '@tiptap/y-tiptap';
import { beforeEach, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { draftExtensions } from '../../client/editor/extensions/index.js';
import { typingRule } from '../../client/editor/extensions/drafting-mode.js';
import { lookupOf, REMOVING_BRACKETS, textJudge, transactionRefusal, type TextJudge } from '../../client/editor/extensions/option-guard.js';
import { deletionPlan, ownEditsOnly, SELECT_TO_DELETE, typingPlan } from '../../client/editor/extensions/proposal-typing.js';
import { findBlockPos } from '../../client/editor/positions.js';
import { NegotiationIndex } from '../../client/negotiation/negotiation-index.js';
import { getBracketGroup } from '../../shared/model/brackets.js';
import { createBracket, proposeInsertion } from '../../shared/model/bracket-proposals.js';
import { BRACKET_MARK } from '../../shared/schema/negotiation.js';
import { BODY_FRAGMENT } from '../../shared/schema/ydoc.js';
import { EGYPT, KENYA, docWithParagraphs } from '../support/model-doc.js';

/**
 * How a delegate's keystrokes are judged outside open drafting, and which
 * local edits the page stops in every mode, on the editor's own schema and a
 * document the model wrote (client/editor/extensions/proposal-typing.ts,
 * option-guard.ts).
 */

const FIRST = 'Member States shall ensure that spam is limited.';
const SECOND = 'The Group reviewed the Regulations.';

function editorSchema(): Schema {
  const none = () => {};
  return getSchema(
    draftExtensions({
      ydoc: docWithParagraphs([]),
      provider: {} as never,
      user: { name: 'Test', color: '#000000', delegation: 'Kenya' },
      identity: { name: 'Test', delegation: 'Kenya' },
      role: 'delegate',
      onNotice: none,
      onSelectGroup: none,
      onOpenThreads: none,
      onOpenResolutions: none,
    }),
  );
}

const schema = editorSchema();

type Setup = { doc: Y.Doc; pm: PMNode; kenya: TextJudge; egypt: TextJudge; chair: TextJudge; groups: { insertion: string; kenya: string } };

/**
 * Paragraph p0 holds Egypt's proposed insertion "effectively " before
 * "ensure", and Kenya's bracket on "spam" with its alternative "unsolicited
 * email"; p1 is plain.
 */
function setup(): Setup {
  const doc = docWithParagraphs([FIRST, SECOND]);
  const insertion = proposeInsertion(doc, { paragraphId: 'p0', at: FIRST.indexOf('ensure'), text: 'effectively ', actor: EGYPT });
  const text = 'Member States shall effectively ensure that spam is limited.';
  const spam = text.indexOf('spam');
  const bracket = createBracket(doc, { paragraphId: 'p0', from: spam, to: spam + 4, actor: KENYA, propose: { text: 'unsolicited email' } });
  const index = new NegotiationIndex(doc);
  const lookup = lookupOf(index.snapshot().groups);
  return {
    doc,
    pm: initProseMirrorDoc(doc.getXmlFragment(BODY_FRAGMENT), schema).doc,
    kenya: textJudge(lookup, 'Kenya', false),
    egypt: textJudge(lookup, 'Egypt', false),
    chair: textJudge(lookup, 'Chair', true),
    groups: { insertion: insertion.groupId, kenya: bracket.groupId },
  };
}

/** The ProseMirror position of a block offset of paragraph `id`. */
function pos(pm: PMNode, id: string, offset: number): number {
  return findBlockPos(pm, id)! + 1 + offset;
}

const P0 = 'Member States shall effectively ensure that spamunsolicited email is limited.';
const at = (word: string, end = false) => P0.indexOf(word) + (end ? word.length : 0);

describe('what typing becomes in proposals mode', () => {
  let s: Setup;
  beforeEach(() => {
    s = setup();
  });

  it('reads the paragraph as the model wrote it', () => {
    expect(s.pm.child(0).textContent).toBe(P0);
  });

  it('proposes an insertion at a place in plain text, at the offset the model counts', () => {
    const caret = pos(s.pm, 'p0', at('limited'));
    expect(typingPlan(s.pm, caret, caret, s.kenya)).toEqual({ kind: 'insert', paragraphId: 'p0', at: at('limited') });
    const second = pos(s.pm, 'p1', 3);
    expect(typingPlan(s.pm, second, second, s.kenya)).toEqual({ kind: 'insert', paragraphId: 'p1', at: 3 });
  });

  it('types into one’s own alternative at its end and at its start (the mark is not inclusive)', () => {
    const end = pos(s.pm, 'p0', at('unsolicited email', true));
    const plan = typingPlan(s.pm, end, end, s.kenya);
    expect(plan.kind).toBe('own');
    if (plan.kind !== 'own') return;
    expect(plan.marks.find((m) => m.type.name === BRACKET_MARK)?.attrs.group).toBe(s.groups.kenya);
    const start = pos(s.pm, 'p0', at('unsolicited'));
    expect(typingPlan(s.pm, start, start, s.kenya).kind).toBe('own');
    // Egypt at the end of its own insertion extends it too.
    const egyptEnd = pos(s.pm, 'p0', at('effectively ', true));
    expect(typingPlan(s.pm, egyptEnd, egyptEnd, s.egypt).kind).toBe('own');
  });

  it('refuses typing inside another delegation’s wording, inside bracketed original text, and between a bracket’s options', () => {
    const inEgypt = pos(s.pm, 'p0', at('effectively') + 3);
    expect(typingPlan(s.pm, inEgypt, inEgypt, s.kenya)).toEqual({ kind: 'refuse', reason: expect.stringContaining('wording of Egypt') });
    const inOriginal = pos(s.pm, 'p0', at('spam') + 2);
    expect(typingPlan(s.pm, inOriginal, inOriginal, s.kenya)).toEqual({ kind: 'refuse', reason: expect.stringContaining('Bracketed text stays') });
    const between = pos(s.pm, 'p0', at('unsolicited'));
    expect(typingPlan(s.pm, between, between, s.egypt)).toEqual({ kind: 'refuse', reason: expect.stringContaining('inside a bracket') });
  });

  it('right after another delegation’s insertion, proposes a separate insertion', () => {
    const after = pos(s.pm, 'p0', at('effectively ', true));
    expect(typingPlan(s.pm, after, after, s.kenya)).toEqual({ kind: 'insert', paragraphId: 'p0', at: at('effectively ', true) });
  });

  it('turns typing over plain words into a replacement whose offsets bracket exactly those words', () => {
    const from = pos(s.pm, 'p0', at('Member States'));
    const plan = typingPlan(s.pm, from, from + 'Member States'.length, s.kenya);
    expect(plan).toEqual({ kind: 'replace', paragraphId: 'p0', from: 0, to: 'Member States'.length });
    if (plan.kind !== 'replace') return;
    const made = createBracket(s.doc, { paragraphId: plan.paragraphId, from: plan.from, to: plan.to, actor: KENYA, propose: { text: 'Administrations' } });
    const group = getBracketGroup(s.doc, made.groupId);
    expect(group.options.map((o) => [o.kind, o.text, o.proponents])).toEqual([
      ['original', 'Member States', []],
      ['text', 'Administrations', ['Kenya']],
    ]);
  });

  it('refuses a selection that reaches bracketed text or another paragraph', () => {
    const from = pos(s.pm, 'p0', at('that'));
    expect(typingPlan(s.pm, from, pos(s.pm, 'p0', at('is')), s.egypt)).toEqual({ kind: 'refuse', reason: expect.stringContaining('stays as it was') });
    const plain = pos(s.pm, 'p0', at('shall'));
    expect(typingPlan(s.pm, plain, pos(s.pm, 'p0', at('ensure')), s.kenya)).toEqual({ kind: 'refuse', reason: expect.stringContaining('wording of Egypt') });
    expect(typingPlan(s.pm, from, pos(s.pm, 'p1', 3), s.kenya)).toEqual({ kind: 'refuse', reason: expect.stringContaining('one paragraph') });
  });
});

describe('what Delete and Backspace become in proposals mode', () => {
  const state = (s: Setup, from: number, to = from) => EditorState.create({ doc: s.pm, selection: TextSelection.create(s.pm, from, to) });

  it('proposes deleting a selection of plain words, and says to select words when nothing is selected', () => {
    const s = setup();
    const from = pos(s.pm, 'p1', 0);
    expect(deletionPlan(state(s, from, from + 9), false, s.kenya)).toEqual({ kind: 'delete', paragraphId: 'p1', from: 0, to: 9 });
    expect(deletionPlan(state(s, from + 4), true, s.kenya)).toEqual({ kind: 'refuse', reason: SELECT_TO_DELETE });
  });

  it('lets one delete from one’s own alternative, and names whose wording stops the rest', () => {
    const s = setup();
    const end = pos(s.pm, 'p0', at('unsolicited email', true));
    expect(deletionPlan(state(s, end), true, s.kenya)).toEqual({ kind: 'own' });
    expect(deletionPlan(state(s, end), true, s.egypt)).toEqual({ kind: 'refuse', reason: expect.stringContaining('wording of Kenya') });
    const beforeEgypt = pos(s.pm, 'p0', at('effectively'));
    expect(deletionPlan(state(s, beforeEgypt), false, s.kenya)).toEqual({ kind: 'refuse', reason: expect.stringContaining('wording of Egypt') });
  });
});

describe('local edits the page lets through', () => {
  it('in proposals mode, only edits of one’s own alternative, next to its text', () => {
    const s = setup();
    const st = EditorState.create({ doc: s.pm });
    const end = pos(s.pm, 'p0', at('unsolicited email', true));
    const ownMarks = s.pm.resolve(end).nodeBefore!.marks;
    expect(ownEditsOnly(st.tr.insert(end, schema.text(' messages', ownMarks)), s.kenya)).toBe(true);
    expect(ownEditsOnly(st.tr.delete(end - 5, end), s.kenya)).toBe(true);
    expect(ownEditsOnly(st.tr.insertText(' messages', end), s.kenya)).toBe(false);
    expect(ownEditsOnly(st.tr.insert(pos(s.pm, 'p1', 2), schema.text('x', ownMarks)), s.kenya)).toBe(false);
    expect(ownEditsOnly(st.tr.delete(end, end + 3), s.kenya)).toBe(false);
    expect(ownEditsOnly(st.tr.delete(end - 5, end), s.egypt)).toBe(false);
  });

  it('in every mode, nothing that changes another delegation’s wording or bracketed original text, or removes a bracket', () => {
    const s = setup();
    const st = EditorState.create({ doc: s.pm });
    const inEgypt = pos(s.pm, 'p0', at('effectively') + 3);
    expect(transactionRefusal(st.tr.insertText('x', inEgypt), s.kenya)).toContain('wording of Egypt');
    expect(transactionRefusal(st.tr.insertText('x', inEgypt), s.egypt)).toBeNull();
    const spam = pos(s.pm, 'p0', at('spam'));
    expect(transactionRefusal(st.tr.delete(spam, spam + 1), s.kenya)).toContain('Bracketed text stays');
    expect(transactionRefusal(st.tr.delete(spam - 5, spam), s.kenya)).toBeNull();
    expect(transactionRefusal(st.tr.insertText('x', pos(s.pm, 'p0', at('effectively ', true))), s.kenya)).toBeNull();
    expect(transactionRefusal(st.tr.removeMark(spam, spam + 4, schema.marks[BRACKET_MARK]!), s.kenya)).toBe(REMOVING_BRACKETS);
    // A block cut in two keeps its text up to the cut; the rest is typed again in the new block, bracketed text with it.
    expect(transactionRefusal(st.tr.split(pos(s.pm, 'p0', at('that'))), s.kenya)).toContain('Bracketed text stays');
    expect(transactionRefusal(st.tr.split(pos(s.pm, 'p0', at('limited'))), s.kenya)).toBeNull();
    // Joining p1 onto p0 (Backspace at the start of p1) retypes p1's text, not p0's.
    expect(transactionRefusal(st.tr.join(findBlockPos(s.pm, 'p1')!), s.kenya)).toBeNull();
    // A paragraph's number is an attribute: its text stays where it is.
    expect(transactionRefusal(st.tr.setNodeMarkup(findBlockPos(s.pm, 'p0')!, undefined, { ...s.pm.child(0).attrs, num: '3.2' }), s.kenya)).toBeNull();
    // The chair edits inside brackets to build a compromise.
    expect(transactionRefusal(st.tr.delete(spam, spam + 1), s.chair)).toBeNull();
  });
});

describe('the typing rule of a mode', () => {
  it('lets the chair and the secretariat type freely in every mode, delegates only in open drafting', () => {
    expect(typingRule('open', 'delegate')).toBe('free');
    expect(typingRule('proposals', 'delegate')).toBe('proposals');
    expect(typingRule('pen-holder', 'delegate')).toBe('pen-holder');
    expect(typingRule('proposals', 'chair')).toBe('free');
    expect(typingRule('pen-holder', 'secretariat')).toBe('free');
  });
});
