import type * as Y from 'yjs';
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
