import * as Y from 'yjs';
import { BracketGroupKeys as G, BracketOptionKeys as O, Resolution } from '../schema/negotiation.js';
import { bracketGroups, legacyOriginalId, migratedResolution } from './brackets.js';
import { readGroup } from './record-guards.js';

/**
 * Brings a document written by an older version to the current format, in
 * one transaction. Run where a document is loaded (the server's rooms and
 * exports); idempotent: a document already in the current format is left
 * alone and no update is made.
 *
 * Groups made before `bracketedBy` existed credited the delegation that
 * bracketed text as the proponent of option A, the bracketed text itself.
 * Option A becomes the original text (kind `original`, no proponents; other
 * delegations recorded on it as proponents become supporters), bracketed by
 * that delegation at the group's time; the record of a resolved group is
 * rewritten the same way. A group whose option A is not its maker's gets an
 * empty `bracketedBy` (it proposes, it does not object).
 *
 * Returns the ids of the groups rewritten.
 */
export function migrateDocument(doc: Y.Doc, origin?: unknown): string[] {
  const legacy: Array<{ id: string; originalId: string | null; map: Y.Map<unknown> }> = [];
  for (const [id, value] of bracketGroups(doc).entries()) {
    const group = readGroup(id, value);
    if (!group || group.bracketedBy !== null) continue;
    legacy.push({ id, originalId: legacyOriginalId(group), map: group.map });
  }
  if (legacy.length === 0) return [];
  doc.transact(() => {
    for (const { originalId, map } of legacy) {
      const group = readGroup('', map)!;
      const maker = group.fields.createdBy;
      const bracketers = new Y.Map<unknown>(originalId ? [[maker.delegation, { name: maker.name, at: group.fields.createdAt }]] : []);
      map.set(G.bracketedBy, bracketers);
      const original = group.options.find((o) => o.fields.id === originalId);
      if (original) {
        original.map.set(O.kind, 'original');
        const proponents = original.map.get(O.proponents) as Y.Map<unknown>;
        const supporters = original.map.get(O.supporters) as Y.Map<unknown>;
        for (const [delegation, entry] of [...proponents.entries()]) {
          if (delegation !== maker.delegation && !supporters.has(delegation)) supporters.set(delegation, entry);
          proponents.delete(delegation);
        }
      }
      const resolution = Resolution.safeParse(map.get(G.resolution));
      if (resolution.success && originalId) map.set(G.resolution, migratedResolution(resolution.data, originalId, maker.delegation));
    }
  }, origin);
  return legacy.map((g) => g.id);
}
