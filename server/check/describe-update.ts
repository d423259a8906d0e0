import * as Y from 'yjs';
import type { Effect, EffectContent, PathStep, UpdateDescription } from '../../shared/model/update-effects.js';
import { BRACKET_MARK, type BracketMarkAttrs } from '../../shared/schema/negotiation.js';

type ID = { client: number; clock: number };
type DeleteSet = { clients: Map<number, Array<{ clock: number; len: number }>> };
type StructStore = Y.Doc['store'];
type Content = Y.Item['content'];
type Struct = Y.Item | Y.GC | Y.Skip;

/** Where a type sits: integrated in the document, created by this update, or a root by name. */
type Place =
  | { kind: 'existing'; type: Y.AbstractType<unknown> }
  | { kind: 'new'; item: Y.Item }
  | { kind: 'root'; name: string };

class OutOfSync extends Error {}

/**
 * Describes, without applying it, what an update would change in `doc`: the
 * structs it inserts and the existing structs it deletes, each located by its
 * path from a root. Parts the document already has are skipped; an update that
 * builds on structs the server never received is reported as out of sync.
 */
export function describeUpdate(doc: Y.Doc, update: Uint8Array): UpdateDescription {
  const { structs, ds } = Y.decodeUpdate(update) as unknown as { structs: Struct[]; ds: DeleteSet };
  const reader = new UpdateReader(doc, structs, ds);
  try {
    return { ok: true, effects: reader.effects() };
  } catch (err) {
    if (err instanceof OutOfSync) return { ok: false, reason: err.message };
    throw err;
  }
}

class UpdateReader {
  private readonly store: StructStore;
  /** The update's new items, by client, in clock order. */
  private readonly fresh = new Map<number, Y.Item[]>();

  constructor(
    private readonly doc: Y.Doc,
    structs: Struct[],
    private readonly ds: DeleteSet,
  ) {
    this.store = doc.store;
    const expected = new Map<number, number>();
    for (const struct of structs) {
      const { client, clock } = struct.id;
      const known = Y.getState(this.store, client);
      const next = expected.get(client) ?? known;
      if (clock > next) throw new OutOfSync('This change builds on changes the server does not have');
      expected.set(client, Math.max(next, clock + struct.length));
      if (struct instanceof Y.Skip || struct instanceof Y.GC) continue;
      if (clock + struct.length <= known) continue; // the document has it already
      const list = this.fresh.get(client) ?? [];
      list.push(struct as Y.Item);
      this.fresh.set(client, list);
    }
  }

  effects(): Effect[] {
    const effects: Effect[] = [];
    for (const items of this.fresh.values()) {
      for (const item of items) {
        if (item.content instanceof Y.ContentDeleted) continue;
        effects.push(this.insertion(item));
      }
    }
    for (const [client, ranges] of this.ds.clients) {
      for (const { clock, len } of ranges) {
        for (const item of this.existingItems(client, clock, len)) effects.push(this.deletion(item));
      }
    }
    return effects;
  }

  // ---- locating structs ----

  private byOrigin: Map<string, Y.Item> | undefined;

  /** New items by the id of their left origin, built on first need. */
  private followers(): Map<string, Y.Item> {
    if (!this.byOrigin) {
      this.byOrigin = new Map();
      for (const items of this.fresh.values()) {
        for (const item of items) if (item.origin) this.byOrigin.set(`${item.origin.client}:${item.origin.clock}`, item);
      }
    }
    return this.byOrigin;
  }

  /** The update's new item holding `id` (binary search: a large paste has thousands). */
  private freshItem(id: ID): Y.Item | undefined {
    const list = this.fresh.get(id.client);
    if (!list) return undefined;
    let low = 0;
    let high = list.length - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const item = list[mid]!;
      if (id.clock < item.id.clock) high = mid - 1;
      else if (id.clock >= item.id.clock + item.length) low = mid + 1;
      else return item;
    }
    return undefined;
  }

  private storedStruct(id: ID): Y.Item | Y.GC | undefined {
    const structs = this.store.clients.get(id.client);
    if (!structs || id.clock >= Y.getState(this.store, id.client)) return undefined;
    return structs[Y.findIndexSS(structs, id.clock)] as Y.Item | Y.GC;
  }

  /** Existing, not yet deleted items in a deleted range (ranges beyond the server's state are out of sync). */
  private existingItems(client: number, clock: number, len: number): Y.Item[] {
    const state = Y.getState(this.store, client);
    const inUpdate = (c: number) => this.freshItem({ client, clock: c }) !== undefined;
    if (clock + len > state && !inUpdate(Math.max(clock, state))) {
      throw new OutOfSync('This change deletes text the server does not have');
    }
    const items: Y.Item[] = [];
    const structs = this.store.clients.get(client);
    if (!structs || clock >= state) return items;
    for (let i = Y.findIndexSS(structs, clock); i < structs.length; i++) {
      const struct = structs[i]!;
      if (struct.id.clock >= clock + len) break;
      if (struct instanceof Y.Item && !struct.deleted) items.push(struct);
    }
    return items;
  }

  /** The place of an item's parent, following origins for items that do not name it. */
  private parentOf(item: Y.Item, depth = 0): Place {
    if (depth > 10_000) throw new OutOfSync('This change cannot be placed in the document');
    const parent = item.parent as unknown;
    if (typeof parent === 'string') return { kind: 'root', name: parent };
    if (parent instanceof Y.AbstractType) return { kind: 'existing', type: parent };
    if (parent && typeof parent === 'object' && 'client' in parent) return this.typeAt(parent as ID);
    const neighbour = item.origin ?? item.rightOrigin;
    if (!neighbour) throw new OutOfSync('This change cannot be placed in the document');
    const fresh = this.freshItem(neighbour);
    if (fresh) return this.parentOf(fresh, depth + 1);
    const stored = this.storedStruct(neighbour);
    if (stored instanceof Y.Item) return { kind: 'existing', type: stored.parent as Y.AbstractType<unknown> };
    if (stored) return { kind: 'root', name: '(garbage-collected)' };
    throw new OutOfSync('This change builds on text the server does not have');
  }

  private typeAt(id: ID): Place {
    const fresh = this.freshItem(id);
    if (fresh) return { kind: 'new', item: fresh };
    const stored = this.storedStruct(id);
    if (stored instanceof Y.Item && stored.content instanceof Y.ContentType) {
      return { kind: 'existing', type: stored.content.type as Y.AbstractType<unknown> };
    }
    if (stored) return { kind: 'root', name: '(garbage-collected)' };
    throw new OutOfSync('This change builds on a part the server does not have');
  }

  /**
   * The map key of an item. Items placed next to a neighbour (a map value
   * overwriting the previous one) do not carry it: like their parent, it is
   * the neighbour's.
   */
  private keyOf(item: Y.Item, depth = 0): string | null {
    if (item.parent !== null || depth > 10_000) return item.parentSub;
    const neighbour = item.origin ?? item.rightOrigin;
    if (!neighbour) return item.parentSub;
    const fresh = this.freshItem(neighbour);
    if (fresh) return this.keyOf(fresh, depth + 1);
    const stored = this.storedStruct(neighbour);
    return stored instanceof Y.Item ? stored.parentSub : null;
  }

  /** Paths of new types, computed once: every item of a large paste shares a few parents. */
  private readonly paths = new Map<Y.Item | Y.AbstractType<unknown>, { root: string; path: PathStep[] }>();

  /** Root name and the steps from it down to `place`. */
  private pathOf(place: Place): { root: string; path: PathStep[] } {
    if (place.kind === 'root') return { root: place.name, path: [] };
    const key = place.kind === 'new' ? place.item : place.type;
    let known = this.paths.get(key);
    if (!known) {
      known = this.computePath(place);
      this.paths.set(key, known);
    }
    return known;
  }

  private computePath(place: Place): { root: string; path: PathStep[] } {
    const steps: PathStep[] = [];
    let current: Place = place;
    for (let guard = 0; guard < 1000; guard++) {
      if (current.kind === 'root') return { root: current.name, path: steps.reverse() };
      if (current.kind === 'existing') {
        const type = current.type;
        const owner = type._item;
        if (!owner) return { root: rootName(this.doc, type), path: steps.reverse() };
        steps.push({ key: owner.parentSub, ...describeType(type), existing: type });
        current = { kind: 'existing', type: owner.parent as Y.AbstractType<unknown> };
      } else {
        const content = current.item.content as Y.ContentType;
        steps.push({ key: this.keyOf(current.item), ...describeType(content.type as Y.AbstractType<unknown>), existing: null });
        current = this.parentOf(current.item);
      }
    }
    throw new OutOfSync('This change is nested too deeply');
  }

  // ---- effects ----

  private insertion(item: Y.Item): Effect {
    const { root, path } = this.pathOf(this.parentOf(item));
    const effect: Effect = { op: 'insert', root, path, key: this.keyOf(item), content: contentOf(item.content, null) };
    if (effect.content.kind === 'format' && effect.content.key === BRACKET_MARK) {
      effect.bracket = this.freshBracketFormat(item, effect.content.value);
    }
    return effect;
  }

  private deletion(item: Y.Item): Effect {
    const parent = item.parent as Y.AbstractType<unknown>;
    const { root, path } = this.pathOf({ kind: 'existing', type: parent });
    const effect: Effect = { op: 'delete', root, path, key: item.parentSub, content: contentOf(item.content, item) };
    if (item.content instanceof Y.ContentFormat && item.content.key === BRACKET_MARK) {
      effect.bracket = { inForce: asMark(item.content.value), reattributes: this.deletedBracketFormat(item) };
    }
    return effect;
  }

  /**
   * A new bracket format changes existing text only if it sets a value other
   * than the one in force where it lands, that value was a bracket, and the
   * format is not ended, right after the text typed with it, by another one
   * (how Yjs frames typing).
   */
  private freshBracketFormat(item: Y.Item, value: unknown): NonNullable<Effect['bracket']> {
    const inForce = this.bracketInForceBefore(item);
    const reattributes = inForce !== null && !sameMark(inForce, asMark(value)) && !this.restoredAfter(item);
    return { inForce, reattributes };
  }

  /** Removing a bracket format changes existing text unless all the text it governed is deleted too. */
  private deletedBracketFormat(item: Y.Item): boolean {
    if (!asMark((item.content as Y.ContentFormat).value)) return false;
    for (let right = item.right; right; right = right.right) {
      if (right.content instanceof Y.ContentFormat && right.content.key === BRACKET_MARK) break;
      if (right.countable && !right.deleted && !this.deletes(right)) return true;
    }
    return false;
  }

  private deletes(item: Y.Item): boolean {
    const ranges = this.ds.clients.get(item.id.client) ?? [];
    return ranges.some((r) => item.id.clock >= r.clock && item.id.clock + item.length <= r.clock + r.len);
  }

  /** The bracket in force, before this update, where an item lands: its nearest existing left neighbour decides. */
  private bracketInForceBefore(item: Y.Item): BracketMarkAttrs | null {
    let origin = item.origin;
    for (let guard = 0; origin && guard < 100_000; guard++) {
      const fresh = this.freshItem(origin);
      if (!fresh) break;
      origin = fresh.origin;
    }
    let left = origin ? this.storedStruct(origin) : undefined;
    for (let guard = 0; left instanceof Y.Item && guard < 1_000_000; guard++) {
      if (!left.deleted && left.content instanceof Y.ContentFormat && left.content.key === BRACKET_MARK) {
        return asMark(left.content.value);
      }
      left = left.left ?? undefined;
    }
    return null;
  }

  /**
   * Does the format `start` govern only text typed in this same update? It does
   * when, after the run of new items that follows it, the next format of the
   * key (a new restoring one, or the existing one to its right) takes over
   * before any existing text. (Yjs frames typed text this way, and drops a
   * restoring format when an existing one follows at once.)
   */
  private restoredAfter(start: Y.Item): boolean {
    let last = start;
    for (let guard = 0; guard < 100_000; guard++) {
      const next = this.followers().get(`${last.id.client}:${last.id.clock + last.length - 1}`);
      if (!next) break;
      // Any new format of the key ends this one's reach (and is judged on its own).
      if (next.content instanceof Y.ContentFormat && next.content.key === BRACKET_MARK) return true;
      last = next;
    }
    let right = last.rightOrigin ? this.storedStruct(last.rightOrigin) : undefined;
    for (let guard = 0; right instanceof Y.Item && guard < 1_000_000; guard++) {
      if (right.content instanceof Y.ContentFormat && right.content.key === BRACKET_MARK && !right.deleted) return true;
      if (right.countable && !right.deleted && !this.deletes(right)) return false;
      right = right.right ?? undefined;
    }
    return true;
  }
}

function rootName(doc: Y.Doc, type: Y.AbstractType<unknown>): string {
  for (const [name, shared] of doc.share) if (shared === type) return name;
  return '(unknown)';
}

function describeType(type: Y.AbstractType<unknown>): { typeName: string; nodeName: string | null } {
  if (type instanceof Y.XmlElement) return { typeName: 'xmlElement', nodeName: type.nodeName };
  if (type instanceof Y.XmlText) return { typeName: 'xmlText', nodeName: null };
  if (type instanceof Y.XmlFragment) return { typeName: 'xmlFragment', nodeName: null };
  if (type instanceof Y.Map) return { typeName: 'map', nodeName: null };
  if (type instanceof Y.Array) return { typeName: 'array', nodeName: null };
  if (type instanceof Y.Text) return { typeName: 'text', nodeName: null };
  return { typeName: 'other', nodeName: null };
}

function contentOf(content: Content, existing: Y.Item | null): EffectContent {
  if (content instanceof Y.ContentString) return { kind: 'text' };
  if (content instanceof Y.ContentFormat) return { kind: 'format', key: content.key, value: content.value };
  if (content instanceof Y.ContentType) {
    const type = content.type as Y.AbstractType<unknown>;
    return { kind: 'type', ...describeType(type), existing: existing ? type : null };
  }
  if (content instanceof Y.ContentAny || content instanceof Y.ContentJSON) {
    return { kind: 'value', value: (content as unknown as { arr: unknown[] }).arr[0] };
  }
  if (content instanceof Y.ContentEmbed) return { kind: 'embed' };
  if (content instanceof Y.ContentDeleted) return { kind: 'deleted' };
  return { kind: 'value', value: undefined };
}

function asMark(value: unknown): BracketMarkAttrs | null {
  if (!value || typeof value !== 'object') return null;
  const { group, option } = value as Partial<BracketMarkAttrs>;
  return typeof group === 'string' && typeof option === 'string' ? { group, option } : null;
}

function sameMark(a: BracketMarkAttrs | null, b: BracketMarkAttrs | null): boolean {
  return a === b || (a !== null && b !== null && a.group === b.group && a.option === b.option);
}
