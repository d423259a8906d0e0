import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { agreedDocument, agreedPlainText } from '../../shared/model/agreed-text.js';
import { listBracketGroups, resolveBracket } from '../../shared/model/brackets.js';
import { addAlternative, createBracket } from '../../shared/model/bracket-proposals.js';
import { ModelError } from '../../shared/model/errors.js';
import { findBlock } from '../../shared/model/paragraphs.js';
import { textRuns } from '../../shared/model/text-runs.js';
import { BRACKET_MARK, type BracketMarkAttrs } from '../../shared/schema/negotiation.js';
import { CHAIR, CHINA, EGYPT, USA, docWithParagraphs } from '../support/model-doc.js';

/**
 * Model-based: every operation is applied to the Yjs document and to a plain
 * array of characters tagged with their bracket; the two must always read the
 * same, and characters that were never bracketed must never move or change.
 */
type Char = { ch: string; original: number | null; group: string | null; option: string | null };

const ORIGINAL = 'The Member States affirm their commitment to an open and secure environment for all.';
const actors = [EGYPT, USA, CHINA];

type Op =
  | { kind: 'create'; a: number; b: number; actor: number }
  | { kind: 'alternative'; group: number; text: string; actor: number }
  | { kind: 'resolve'; group: number; how: 'chosen' | 'deleted' | 'compromise'; option: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('create' as const), a: fc.nat(200), b: fc.nat(200), actor: fc.nat(2) }),
  fc.record({
    kind: fc.constant('alternative' as const),
    group: fc.nat(10),
    text: fc.oneof(fc.constant(''), fc.stringMatching(/^[a-z ]{1,12}$/)),
    actor: fc.nat(2),
  }),
  fc.record({
    kind: fc.constant('resolve' as const),
    group: fc.nat(10),
    how: fc.constantFrom('chosen' as const, 'deleted' as const, 'compromise' as const),
    option: fc.nat(4),
  }),
);

function docChars(doc: Y.Doc): Array<Pick<Char, 'ch' | 'group' | 'option'>> {
  return textRuns(findBlock(doc, 'p0')!.element).flatMap((run) => {
    const mark = run.attributes[BRACKET_MARK] as BracketMarkAttrs | undefined;
    return [...run.insert].map((ch) => ({ ch, group: mark?.group ?? null, option: mark?.option ?? null }));
  });
}

function openGroups(doc: Y.Doc) {
  return listBracketGroups(doc).filter((g) => g.status === 'open');
}

function apply(doc: Y.Doc, model: Char[], step: Op, everBracketed: Set<number>): Char[] {
  const expectRefusal = (fn: () => unknown) => expect(fn).toThrow(ModelError);
  if (step.kind === 'create') {
    const from = Math.min(step.a, step.b) % (model.length + 1);
    const to = Math.min(Math.max(step.a, step.b), model.length);
    const run = () => createBracket(doc, { paragraphId: 'p0', from, to, actor: actors[step.actor]! });
    if (to <= from || model.slice(from, to).some((c) => c.group)) {
      expectRefusal(run);
      return model;
    }
    const { groupId, optionId } = run();
    return model.map((c, i) => {
      if (i < from || i >= to) return c;
      if (c.original !== null) everBracketed.add(c.original);
      return { ...c, group: groupId, option: optionId };
    });
  }
  const groups = openGroups(doc);
  if (groups.length === 0) return model;
  const group = groups[step.group % groups.length]!;
  if (step.kind === 'alternative') {
    const actor = actors[step.actor]!.delegation;
    const run = () => addAlternative(doc, { groupId: group.id, text: step.text, actor: actors[step.actor]! });
    const existingDelete = group.options.find((o) => o.kind === 'delete');
    const isDelete = step.text.trim() === '';
    const last = model.map((c) => c.group).lastIndexOf(group.id);
    // Proposing the deletion again supports the one "delete" option: refused to its proponent, nothing new to its supporter.
    if ((isDelete && existingDelete?.proponents.includes(actor)) || (!isDelete && last < 0)) {
      expectRefusal(run);
      return model;
    }
    if (isDelete && existingDelete?.supporters.includes(actor)) {
      run();
      return model;
    }
    // The actor's earlier position moves: an option it alone held is withdrawn, with its text.
    const held = group.options.find((o) => o.proponents.includes(actor) || o.supporters.includes(actor));
    const withdrawn = held && held.kind !== 'original' && [...held.proponents, ...held.supporters].every((d) => d === actor) ? held.id : null;
    const { optionId } = run();
    let next = model;
    if (!isDelete) {
      const inserted = [...step.text].map((ch) => ({ ch, original: null, group: group.id, option: optionId }));
      next = [...model.slice(0, last + 1), ...inserted, ...model.slice(last + 1)];
    }
    return withdrawn ? next.filter((c) => c.option !== withdrawn) : next;
  }
  const option = group.options[step.option % group.options.length]!;
  resolveBracket(doc, { groupId: group.id, outcome: step.how, optionId: option.id, actor: CHAIR });
  const keep = (c: Char) => step.how === 'compromise' || (step.how === 'chosen' && option.kind !== 'delete' && c.option === option.id);
  return model
    .filter((c) => c.group !== group.id || keep(c))
    .map((c) => (c.group === group.id ? { ...c, group: null, option: null } : c));
}

describe('bracket rules, for any sequence of operations', () => {
  it('keep the document equal to the model, and the text outside brackets untouched', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 25 }), (ops) => {
        const doc = docWithParagraphs([ORIGINAL]);
        let model: Char[] = [...ORIGINAL].map((ch, i) => ({ ch, original: i, group: null, option: null }));
        const everBracketed = new Set<number>();
        for (const step of ops) {
          model = apply(doc, model, step, everBracketed);
          expect(docChars(doc)).toEqual(model.map(({ ch, group, option }) => ({ ch, group, option })));
        }
        const untouched = [...ORIGINAL].filter((_, i) => !everBracketed.has(i)).join('');
        const survivors = model.filter((c) => c.original !== null && !everBracketed.has(c.original)).map((c) => c.ch).join('');
        expect(survivors).toBe(untouched);
      }),
      { numRuns: 200 },
    );
  });

  it('leave no bracket marker in the agreed text once every group is resolved', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 20 }), fc.constantFrom('chosen' as const, 'deleted' as const, 'compromise' as const), (ops, how) => {
        const doc = docWithParagraphs([ORIGINAL, 'Second paragraph, also negotiated.']);
        let model: Char[] = [...ORIGINAL].map((ch, i) => ({ ch, original: i, group: null, option: null }));
        for (const step of ops) model = apply(doc, model, step, new Set());
        for (const group of openGroups(doc)) {
          resolveBracket(doc, { groupId: group.id, outcome: how, optionId: group.options[0]!.id, actor: CHAIR });
        }
        const agreed = agreedDocument(doc);
        expect(agreed.open).toEqual([]);
        const text = agreedPlainText(agreed, 'keep');
        expect(text).not.toMatch(/[[\]]/);
        expect(text.split('\n')).toHaveLength(2);
      }),
      { numRuns: 150 },
    );
  });
});
