import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { collectGroupRuns } from '../../shared/model/bracket-marks.js';
import { bracketGroups, listBracketGroups, resolveBracket } from '../../shared/model/brackets.js';
import { addAlternative, createBracket, joinBracket, supportOption, withdrawBracket, withdrawSupport } from '../../shared/model/bracket-proposals.js';
import { addThread, commentThreads, listThreads, reply, setThreadStatus } from '../../shared/model/comments.js';
import { consensus } from '../../shared/model/consensus.js';
import { damageCollector } from '../../shared/model/damaged-records.js';
import { ModelError } from '../../shared/model/errors.js';
import { effectiveStatus, isLocked, paragraphMetas, paragraphStatuses, setParagraphStatus } from '../../shared/model/paragraph-status.js';
import { blockText, body, listBlocks } from '../../shared/model/paragraphs.js';
import { BLOCK_ID_ATTR, BLOCK_NUM_ATTR, BRACKET_MARK } from '../../shared/schema/negotiation.js';
import { NegotiationIndex, type BlockInfo, type NegotiationData } from '../../client/negotiation/negotiation-index.js';
import { CHAIR, CHINA, EGYPT, USA, docWithParagraphs } from '../support/model-doc.js';
import { poisonedDraft } from '../support/poisoned-doc.js';

/**
 * The client's incremental index against the model's readers: after every
 * change, what the index holds must equal what reading the whole document
 * afresh gives (what the panels computed before the index existed).
 */

/** Everything the panels and the editor's margins show, read from the whole document with the model. */
function readWhole(doc: Y.Doc) {
  const { onDamaged, records } = damageCollector();
  const statuses = paragraphStatuses(doc, onDamaged);
  const blocks: Record<string, BlockInfo> = {};
  listBlocks(doc).forEach((block, index) => {
    if (block.id && !blocks[block.id]) {
      const meta = statuses.get(block.id);
      // Stored as agreed, but the text is no longer the one agreed: effectiveStatus reads it as open.
      const changedSinceAgreed = meta !== undefined && isLocked(meta.status) && effectiveStatus(meta, block.element) === 'open';
      blocks[block.id] = { id: block.id, ref: block.ref, section: block.section, status: meta?.status ?? 'open', changedSinceAgreed, index };
    }
  });
  const views = listBracketGroups(doc, onDamaged);
  const groups = views.map(({ block, ...group }) => {
    const where = block?.id ?? group.paragraphId;
    return { ...group, where, ref: blocks[where]?.ref ?? null, section: blocks[where]?.section ?? null };
  });
  const threads = listThreads(doc, onDamaged);
  const counts = new Map<string, { open: number; total: number }>();
  for (const thread of threads) {
    if (thread.orphaned) continue;
    const count = counts.get(thread.paragraphId) ?? { open: 0, total: 0 };
    count.total++;
    if (thread.status === 'open') count.open++;
    counts.set(thread.paragraphId, count);
  }
  const resolved = new Map<string, number>();
  for (const g of views) if (g.status === 'resolved') resolved.set(g.paragraphId, (resolved.get(g.paragraphId) ?? 0) + 1);
  const bracketed = new Set<string>();
  for (const runs of collectGroupRuns(doc).values()) for (const r of runs) if (r.block.id) bracketed.add(r.block.id);
  return {
    blocks,
    groups,
    threads,
    consensus: consensus(doc, views),
    damaged: records,
    margins: {
      locked: [...paragraphStatuses(doc)]
        .filter(([, m]) => isLocked(m.status))
        .map(([id, m]) => [id, { status: m.status, holds: !blocks[id]?.changedSinceAgreed }]),
      threads: [...counts],
      resolved: [...resolved],
      openGroups: views
        .filter((g) => g.status === 'open')
        .map((g) => [
          g.id,
          g.options.map(({ id, label, kind, proponents, supporters }) => ({ id, label, kind, proponents, supporters })),
          g.bracketedBy.map((entry) => entry.delegation),
        ]),
      bracketed: [...bracketed].sort(),
    },
  };
}

function plain(data: NegotiationData) {
  const { margins, ...rest } = data;
  return {
    ...rest,
    margins: {
      locked: [...margins.locked],
      threads: [...margins.threads],
      resolved: [...margins.resolved],
      openGroups: [...margins.openGroups].map(([id, g]) => [id, [...g.options.values()], g.bracketedBy]),
      bracketed: [...margins.bracketed].sort(),
    },
  };
}

const expectInStep = (index: NegotiationIndex, doc: Y.Doc) => expect(plain(index.snapshot())).toEqual(readWhole(doc));

type Op =
  | { kind: 'type'; block: number; at: number; text: string }
  | { kind: 'erase'; block: number; at: number; length: number }
  | { kind: 'paragraph'; at: number; num: string | null; text: string }
  | { kind: 'remove'; block: number }
  | { kind: 'renumber'; block: number; num: string | null }
  | { kind: 'bracket'; block: number; a: number; b: number; actor: number }
  | { kind: 'alternative'; group: number; text: string; actor: number }
  | { kind: 'support'; group: number; option: number; actor: number; withdraw: boolean }
  | { kind: 'join'; group: number; actor: number; withdraw: boolean }
  | { kind: 'resolve'; group: number; option: number; how: 'chosen' | 'deleted' | 'compromise' }
  | { kind: 'status'; block: number; status: 'open' | 'agreed' | 'agreed-ad-ref' }
  | { kind: 'thread'; block: number; text: string }
  | { kind: 'reply'; thread: number; text: string; resolve: boolean }
  | { kind: 'poison'; which: number; block: number };

const word = fc.stringMatching(/^[a-z ]{1,8}$/);
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('type' as const), block: fc.nat(20), at: fc.nat(60), text: word }) },
  fc.record({ kind: fc.constant('erase' as const), block: fc.nat(20), at: fc.nat(60), length: fc.integer({ min: 1, max: 6 }) }),
  fc.record({
    kind: fc.constant('paragraph' as const),
    at: fc.nat(20),
    num: fc.option(fc.constantFrom('1', '1.1', '2', '2.3', 'a)', 'b)'), { nil: null }),
    text: word,
  }),
  fc.record({ kind: fc.constant('remove' as const), block: fc.nat(20) }),
  fc.record({ kind: fc.constant('renumber' as const), block: fc.nat(20), num: fc.option(fc.constantFrom('3', '3.1', 'c)'), { nil: null }) }),
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('bracket' as const), block: fc.nat(20), a: fc.nat(60), b: fc.nat(60), actor: fc.nat(2) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('alternative' as const), group: fc.nat(10), text: fc.oneof(fc.constant(''), word), actor: fc.nat(2) }) },
  fc.record({ kind: fc.constant('support' as const), group: fc.nat(10), option: fc.nat(3), actor: fc.nat(2), withdraw: fc.boolean() }),
  fc.record({ kind: fc.constant('join' as const), group: fc.nat(10), actor: fc.nat(2), withdraw: fc.boolean() }),
  fc.record({
    kind: fc.constant('resolve' as const),
    group: fc.nat(10),
    option: fc.nat(3),
    how: fc.constantFrom('chosen' as const, 'deleted' as const, 'compromise' as const),
  }),
  fc.record({ kind: fc.constant('status' as const), block: fc.nat(20), status: fc.constantFrom('open' as const, 'agreed' as const, 'agreed-ad-ref' as const) }),
  fc.record({ kind: fc.constant('thread' as const), block: fc.nat(20), text: word }),
  fc.record({ kind: fc.constant('reply' as const), thread: fc.nat(10), text: word, resolve: fc.boolean() }),
  fc.record({ kind: fc.constant('poison' as const), which: fc.nat(3), block: fc.nat(20) }),
);

const actors = [EGYPT, USA, CHINA];
let fresh = 0;

function apply(doc: Y.Doc, o: Op): void {
  const blocks = listBlocks(doc);
  const block = (n: number) => blocks[n % Math.max(1, blocks.length)];
  const groups = listBracketGroups(doc);
  const group = (n: number) => groups[n % Math.max(1, groups.length)];
  try {
    switch (o.kind) {
      case 'type':
      case 'erase': {
        const text = block(o.block)?.element.toArray().find((c): c is Y.XmlText => c instanceof Y.XmlText);
        if (!text) return;
        const at = Math.min(o.at, text.length);
        if (o.kind === 'type') text.insert(at, o.text);
        else text.delete(at, Math.min(o.length, text.length - at));
        return;
      }
      case 'paragraph': {
        const element = new Y.XmlElement('paragraph');
        element.setAttribute(BLOCK_ID_ATTR, `n${fresh++}`);
        if (o.num) element.setAttribute(BLOCK_NUM_ATTR, o.num);
        element.insert(0, [new Y.XmlText(o.text)]);
        body(doc).insert(Math.min(o.at, body(doc).length), [element]);
        return;
      }
      case 'remove':
        if (body(doc).length > 1) body(doc).delete(o.block % body(doc).length, 1);
        return;
      case 'renumber': {
        const element = block(o.block)?.element;
        if (o.num) element?.setAttribute(BLOCK_NUM_ATTR, o.num);
        else element?.removeAttribute(BLOCK_NUM_ATTR);
        return;
      }
      case 'bracket': {
        const target = block(o.block);
        if (!target?.id) return;
        const length = blockText(target.element).length;
        const from = Math.min(o.a, o.b) % Math.max(1, length);
        const to = Math.min(length, from + 1 + (Math.abs(o.b - o.a) % 8));
        createBracket(doc, { paragraphId: target.id, from, to, actor: actors[o.actor]! });
        return;
      }
      case 'alternative': {
        const g = group(o.group);
        if (g) addAlternative(doc, { groupId: g.id, text: o.text, actor: actors[o.actor]! });
        return;
      }
      case 'support': {
        const g = group(o.group);
        const option = g?.options[o.option % Math.max(1, g.options.length)];
        if (!g || !option) return;
        const input = { groupId: g.id, optionId: option.id, actor: actors[o.actor]! };
        if (o.withdraw) withdrawSupport(doc, input);
        else supportOption(doc, input);
        return;
      }
      case 'join': {
        const g = group(o.group);
        if (!g) return;
        const input = { groupId: g.id, actor: actors[o.actor]! };
        if (o.withdraw) withdrawBracket(doc, input);
        else joinBracket(doc, input);
        return;
      }
      case 'resolve': {
        const g = group(o.group);
        const option = g?.options[o.option % Math.max(1, g.options.length)];
        if (g) resolveBracket(doc, { groupId: g.id, outcome: o.how, ...(option ? { optionId: option.id } : {}), actor: CHAIR });
        return;
      }
      case 'status': {
        const target = block(o.block);
        if (target?.id) setParagraphStatus(doc, { paragraphId: target.id, status: o.status, actor: CHAIR });
        return;
      }
      case 'thread': {
        const target = block(o.block);
        if (target?.id) addThread(doc, { paragraphId: target.id, text: o.text, actor: EGYPT });
        return;
      }
      case 'reply': {
        const threads = listThreads(doc);
        const thread = threads[o.thread % Math.max(1, threads.length)];
        if (!thread) return;
        if (o.resolve) setThreadStatus(doc, { threadId: thread.id, status: thread.status === 'open' ? 'resolved' : 'open', actor: CHAIR });
        else reply(doc, { threadId: thread.id, text: o.text, actor: USA });
        return;
      }
      case 'poison': {
        const target = block(o.block);
        if (o.which === 0) bracketGroups(doc).set(`bad-${fresh++}`, 'not a group');
        if (o.which === 1) commentThreads(doc).set(`bad-${fresh++}`, 7);
        if (o.which === 2 && target?.id) paragraphMetas(doc).set(target.id, 'agreed');
        if (o.which === 3 && target) {
          const text = target.element.toArray().find((c): c is Y.XmlText => c instanceof Y.XmlText);
          if (text && text.length > 1) text.format(0, 1, { [BRACKET_MARK]: { group: 'ghost', option: 'x' } });
        }
        return;
      }
    }
  } catch (err) {
    // The negotiation rules refuse some random operations; the index must follow what did happen.
    if (!(err instanceof ModelError)) throw err;
  }
}

const draft = () =>
  docWithParagraphs([
    { num: '1', text: 'Introduction' },
    { num: '1.1', text: 'The Member States affirm their commitment.' },
    { num: 'a)', text: 'to an open and secure environment' },
    'An unnumbered remark on the text above.',
    { num: '2', text: 'Summary of views' },
    { num: '2.1', text: 'Some members were of the view that the ITRs need review.' },
  ]);

describe('the negotiation index', () => {
  it('reads a document with every kind of damaged record as the model does', () => {
    const { doc } = poisonedDraft();
    const index = new NegotiationIndex(doc);
    expectInStep(index, doc);
    index.destroy();
  });

  it('follows random edits and negotiation made on its document', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 25 }), (ops) => {
        const doc = draft();
        const index = new NegotiationIndex(doc);
        for (const o of ops) {
          apply(doc, o);
          expectInStep(index, doc);
        }
        index.destroy();
      }),
      { numRuns: 60 },
    );
  });

  /** Each batch of operations made on another client and arriving as one update; the index checked after each. */
  function replay(batches: Op[][]): void {
    const source = draft();
    const replica = new Y.Doc();
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(source));
    const index = new NegotiationIndex(replica);
    for (const batch of batches) {
      const before = Y.encodeStateVector(replica);
      for (const o of batch) apply(source, o);
      Y.applyUpdate(replica, Y.encodeStateAsUpdate(source, before));
      expectInStep(index, replica);
    }
    index.destroy();
  }

  it('follows the same changes arriving from another client, several in one update', () => {
    fc.assert(
      fc.property(fc.array(fc.array(op, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 8 }), replay),
      { numRuns: 40 },
    );
  });

  it('counts the open brackets again when they come back to a count it had (found by the property above)', () => {
    // One bracket; a paragraph and a second bracket in one update (recounted for the new paragraph);
    // the first withdrawn: one open bracket again, as before the second, which the figure must not take for "unchanged".
    replay([
      [{ kind: 'bracket', block: 0, a: 0, b: 0, actor: 0 }],
      [
        { kind: 'paragraph', at: 0, num: null, text: 'a' },
        { kind: 'bracket', block: 0, a: 0, b: 0, actor: 0 },
      ],
      [
        { kind: 'join', group: 0, actor: 0, withdraw: true },
        { kind: 'poison', which: 0, block: 0 },
      ],
    ]);
  });

  it('keeps its snapshot, and tells nobody, while typing touches no bracket, status or thread', () => {
    const doc = draft();
    const index = new NegotiationIndex(doc);
    let told = 0;
    index.subscribe(() => told++);
    const before = index.snapshot();
    const text = listBlocks(doc)[5]!.element.get(0) as Y.XmlText;
    for (const ch of ' and soon') text.insert(text.length, ch);
    expect(index.snapshot()).toBe(before);
    expect(told).toBe(0);

    createBracket(doc, { paragraphId: 'p5', from: 0, to: 4, actor: EGYPT });
    const bracketed = index.snapshot();
    expect(told).toBe(1);
    expect(bracketed.groups).toHaveLength(1);
    // Typing after the bracket moves nothing the panels or labels show.
    text.insert(text.length, '.');
    expect(index.snapshot()).toBe(bracketed);
    // Typing inside an option changes its text (the panels), not its labels (the margins).
    text.insert(2, 'x');
    expect(index.snapshot().groups[0]!.options[0]!.text).toBe('Soxme');
    expect(index.snapshot().margins).toBe(bracketed.margins);
    expect(index.snapshot().blocks).toBe(bracketed.blocks);
    index.destroy();
  });

  it('reads a paragraph status and a support without reading the body', () => {
    const doc = draft();
    const index = new NegotiationIndex(doc);
    const { groupId, optionId } = createBracket(doc, { paragraphId: 'p1', from: 4, to: 10, actor: EGYPT });
    const before = index.snapshot();
    supportOption(doc, { groupId, optionId, actor: CHINA });
    expect(index.snapshot().groups[0]!.options[0]!.supporters).toEqual(['China']);
    expect(index.snapshot().blocks).toBe(before.blocks);
    setParagraphStatus(doc, { paragraphId: 'p2', status: 'agreed', actor: CHAIR });
    expect(index.snapshot().margins.locked.get('p2')).toEqual({ status: 'agreed', holds: true });
    expect(index.snapshot().blocks.p2!.status).toBe('agreed');
    expectInStep(index, doc);
    index.destroy();
  });
});
