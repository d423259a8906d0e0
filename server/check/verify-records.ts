import type * as Y from 'yjs';
import { positionProblem } from '../../shared/model/bracket-positions.js';
import { agreementText, listBlocks } from '../../shared/model/paragraphs.js';
import type { Effect } from '../../shared/model/update-effects.js';
import { readGroup, readParagraphMeta, readThread, type OnDamaged } from '../../shared/model/record-guards.js';
import { BRACKETS_MAP, COMMENTS_MAP, PARAGRAPHS_MAP } from '../../shared/schema/negotiation.js';

/** Keys of the negotiation maps an update writes into, by map. */
export type TouchedRecords = Map<string, Set<string>>;

const READERS: Record<string, (id: string, value: unknown, onDamaged: OnDamaged) => unknown> = {
  [BRACKETS_MAP]: readGroup,
  [COMMENTS_MAP]: readThread,
  [PARAGRAPHS_MAP]: readParagraphMeta,
};

export function touchedRecords(effects: Effect[]): TouchedRecords {
  const touched: TouchedRecords = new Map();
  for (const effect of effects) {
    if (!(effect.root in READERS) || effect.op !== 'insert') continue;
    const key = effect.path.length === 0 ? effect.key : effect.path[0]!.key;
    if (key === null) continue;
    const keys = touched.get(effect.root) ?? new Set<string>();
    keys.add(key);
    touched.set(effect.root, keys);
  }
  return touched;
}

/**
 * Every record an update wrote into is, once applied, one the readers accept
 * whole: the same guards the panels and exports read with (one truth), so a
 * record the check lets in is never one they would skip. A record the update
 * deleted is fine.
 */
export function damagedRecordIn(doc: Y.Doc, touched: TouchedRecords): string | null {
  for (const [root, keys] of touched) {
    const map = doc.getMap<unknown>(root);
    for (const key of keys) {
      if (!map.has(key)) continue;
      let problem: string | null = null;
      const record = READERS[root]!(key, map.get(key), (damaged) => (problem ??= `${damaged.id}: ${damaged.problem}`));
      if (!record || problem) return `This change leaves a malformed ${root} record (${problem ?? key})`;
    }
  }
  return null;
}

/**
 * The rules on whole records, once applied: a bracket group's positions
 * (bracket-positions.ts: the original text credited to nobody, one position
 * per delegation), and an agreement's text, which must be the paragraph's
 * text as it now stands. Judged on the result, so an agreement made offline
 * by the chair is refused when a change to the paragraph reached the server
 * first, and accepted with the chair's own edits of the same moment.
 */
export function recordRuleProblem(doc: Y.Doc, touched: TouchedRecords): string | null {
  const groups = doc.getMap<unknown>(BRACKETS_MAP);
  for (const id of touched.get(BRACKETS_MAP) ?? []) {
    const group = groups.has(id) ? readGroup(id, groups.get(id)) : null;
    // Rooms migrate old groups at load: one without `bracketedBy` now comes from an old client, and would credit its maker with the original text.
    if (group && group.bracketedBy === null) return 'This bracket is in the format of an older version: reload the page';
    const problem = group && positionProblem(group);
    if (problem) return problem;
  }
  const agreed = [...(touched.get(PARAGRAPHS_MAP) ?? [])].flatMap((id) => {
    const meta = readParagraphMeta(id, doc.getMap<unknown>(PARAGRAPHS_MAP).get(id));
    return meta && meta.status !== 'open' ? [{ id, text: meta.text }] : [];
  });
  if (agreed.length === 0) return null;
  const blocks = new Map(listBlocks(doc).map((b) => [b.id, b]));
  for (const { id, text } of agreed) {
    const block = blocks.get(id);
    const name = block?.ref ?? 'This paragraph';
    if (typeof text !== 'string') return `${block?.ref ? `Paragraph ${block.ref}` : 'A paragraph'} was marked agreed without the text agreed`;
    if (!block || agreementText(block.element) !== text) return `${name} changed since you looked: review and agree again`;
  }
  return null;
}
