import * as Y from 'yjs';
import type { Effect, EffectContent, PathStep, UpdateDescription } from '../../shared/model/update-effects.js';
import { BRACKET_MARK, type BracketMarkAttrs } from '../../shared/schema/negotiation.js';
import { CheckBudget, Refusal, type DecodedUpdate, type ID } from './decoded-update.js';

type StructStore = Y.Doc['store'];
type Content = Y.Item['content'];

/** Where a type sits: integrated in the document, created by this update, or a root by name. */
type Place =
  | { kind: 'existing'; type: Y.AbstractType<unknown> }
  | { kind: 'new'; item: Y.Item }
  | { kind: 'root'; name: string };

/** Where an item lands: its parent, and the map key it sets (null in a sequence). */
type Location = { place: Place; key: string | null };

/**
 * Describes, without applying it, what an update would change in `doc`: the
 * structs it inserts and the existing structs it deletes, each located by its
 * path from a root. Parts the document already has are skipped. Deletions
 * include what Yjs deletes without being told: a new map value overwrites the
 * one in force (`implicit`), whatever the update's delete set says.
 *
 * Every walk along origins is memoised and iterative, and counted against a
 * budget: an update is described in time linear in its size, or refused. It
 * pauses (yields) every few thousand structs, so a big update can be
 * described over several turns of the event loop.
 */
export function* describeSteps(doc: Y.Doc, decoded: DecodedUpdate, budget = CheckBudget.forUpdate(decoded)): Generator<void, UpdateDescription> {
  try {
    const reader = new UpdateReader(doc, decoded, budget);
    const effects = yield* reader.effects();
    return { ok: true, effects, implicit: reader.implicit };
  } catch (err) {
    if (err instanceof Refusal) return { ok: false, reason: err.message };
    throw err;
  }
}

/** Structs described between two pauses of describeSteps. */
const STRUCTS_PER_STEP = 10_000;

const IN_PROGRESS: Location = { place: { kind: 'root', name: '(in progress)' }, key: null };

class UpdateReader {
  private readonly store: StructStore;
  /** The update's new items, by client, in clock order. */
  private readonly fresh = new Map<number, Y.Item[]>();
  /** Existing values this update overwrites without deleting them explicitly (Yjs deletes them on integration). */
  readonly implicit = new Set<Y.Item>();
  private readonly locations = new Map<Y.Item, Location>();

  constructor(
    private readonly doc: Y.Doc,
    private readonly decoded: DecodedUpdate,
    private readonly budget: CheckBudget,
  ) {
    this.store = doc.store;
    for (const struct of decoded.structs) {
      if (!(struct instanceof Y.Item)) continue;
      if (struct.id.clock + struct.length <= Y.getState(this.store, struct.id.client)) continue; // known already
      const list = this.fresh.get(struct.id.client) ?? [];
      list.push(struct);
      this.fresh.set(struct.id.client, list);
    }
  }

  *effects(): Generator<void, Effect[]> {
    const effects: Effect[] = [];
    let sincePause = 0;
    for (const items of this.fresh.values()) {
      for (const item of items) {
        if (++sincePause === STRUCTS_PER_STEP) {
          sincePause = 0;
          yield;
        }
        if (item.content instanceof Y.ContentDeleted) continue;
        effects.push(...this.insertion(item));
      }
    }
    for (const [client, ranges] of this.decoded.ds.clients) {
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
    if (clock + len > state && !this.freshItem({ client, clock: Math.max(clock, state) })) {
      throw new Refusal('This change deletes text the server does not have');
    }
    const items: Y.Item[] = [];
    const structs = this.store.clients.get(client);
    if (!structs || clock >= state) return items;
    for (let i = Y.findIndexSS(structs, clock); i < structs.length; i++) {
      this.budget.spend();
      const struct = structs[i]!;
      if (struct.id.clock >= clock + len) break;
      if (struct instanceof Y.Item && !struct.deleted) items.push(struct);
    }
    return items;
  }

  /**
   * The parent and key of a new item. Items placed next to a neighbour (typed
   * text, a map value overwriting the previous one) name neither: they are the
   * neighbour's, as Yjs decides on integration. Walks a chain of new items
   * once, remembering the answer for every item on it.
   */
  private locate(item: Y.Item): Location {
    const chain: Y.Item[] = [];
    let current = item;
    let found: Location | undefined;
    for (;;) {
      const known = this.locations.get(current);
      if (known === IN_PROGRESS) throw new Refusal('This change cannot be placed in the document');
      if (known) {
        found = known;
        break;
      }
      this.budget.spend();
      const parent = current.parent as unknown;
      if (typeof parent === 'string') found = { place: { kind: 'root', name: parent }, key: current.parentSub };
      else if (parent instanceof Y.AbstractType) found = { place: { kind: 'existing', type: parent }, key: current.parentSub };
      else if (parent && typeof parent === 'object' && 'client' in parent) found = { place: this.typeAt(parent as ID), key: current.parentSub };
      if (found) {
        chain.push(current);
        break;
      }
      const neighbour = current.origin ?? current.rightOrigin;
      if (!neighbour) throw new Refusal('This change cannot be placed in the document');
      const fresh = this.freshItem(neighbour);
      chain.push(current);
      this.locations.set(current, IN_PROGRESS);
      if (fresh) {
        current = fresh;
        continue;
      }
      const stored = this.storedStruct(neighbour);
      if (stored instanceof Y.Item) found = { place: { kind: 'existing', type: stored.parent as Y.AbstractType<unknown> }, key: stored.parentSub };
      else if (stored) found = { place: { kind: 'root', name: '(garbage-collected)' }, key: null };
      else throw new Refusal('This change builds on text the server does not have');
      break;
    }
    for (const link of chain) this.locations.set(link, found);
    return found;
  }

  private typeAt(id: ID): Place {
    const fresh = this.freshItem(id);
    if (fresh) return { kind: 'new', item: fresh };
    const stored = this.storedStruct(id);
    if (stored instanceof Y.Item && stored.content instanceof Y.ContentType) {
      return { kind: 'existing', type: stored.content.type as Y.AbstractType<unknown> };
    }
    if (stored) return { kind: 'root', name: '(garbage-collected)' };
    throw new Refusal('This change builds on a part the server does not have');
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
      this.budget.spend();
      if (current.kind === 'root') return { root: current.name, path: steps.reverse() };
      if (current.kind === 'existing') {
        const type = current.type;
        const owner = type._item;
        if (!owner) return { root: rootName(this.doc, type), path: steps.reverse() };
        steps.push({ key: owner.parentSub, ...describeType(type), existing: type });
        current = { kind: 'existing', type: owner.parent as Y.AbstractType<unknown> };
      } else {
        const content = current.item.content;
        if (!(content instanceof Y.ContentType)) throw new Refusal('This change puts content inside something that is not a container');
        const location = this.locate(current.item);
        steps.push({ key: location.key, ...describeType(content.type as Y.AbstractType<unknown>), existing: null });
        current = location.place;
      }
    }
    throw new Refusal('This change is nested too deeply');
  }

  // ---- effects ----

  private insertion(item: Y.Item): Effect[] {
    const { place, key } = this.locate(item);
    const { root, path } = this.pathOf(place);
    const content = contentOf(item.content, null);
    if (key !== null && !(content.kind === 'type' || (content.kind === 'value' && valueCount(item.content) === 1))) {
      throw new Refusal('A map entry holds exactly one value');
    }
    if (key === null && content.kind === 'value') throw new Refusal('Lists of the document hold records, not bare values');
    const effect: Effect = { op: 'insert', root, path, key, content };
    if (content.kind === 'format' && content.key === BRACKET_MARK) effect.bracket = this.freshBracketFormat(item, content.value);
    const overwritten = key === null ? undefined : this.valueInForce(place, key);
    if (!overwritten || overwritten === item) return [effect];
    // Yjs deletes the value in force when a new one lands on its key: judged as the deletion it is.
    this.implicit.add(overwritten);
    return [effect, this.deletion(overwritten)];
  }

  /** The existing, live value under `key` of an existing map (or element's attributes), unless the update deletes it anyway. */
  private valueInForce(place: Place, key: string): Y.Item | undefined {
    const type = place.kind === 'existing' ? place.type : place.kind === 'root' ? this.doc.share.get(place.name) : undefined;
    const current = type?._map.get(key);
    return current && !current.deleted && !this.deletes(current) ? current : undefined;
  }

  private deletion(item: Y.Item): Effect {
    const parent = item.parent as Y.AbstractType<unknown>;
    const { root, path } = this.pathOf({ kind: 'existing', type: parent });
    const effect: Effect = { op: 'delete', root, path, key: item.parentSub, content: contentOf(item.content, item) };
    if (item.countable && item.parentSub === null && parent instanceof Y.XmlText) effect.textMark = this.markAt(item);
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
      this.budget.spend();
      if (right.content instanceof Y.ContentFormat && right.content.key === BRACKET_MARK) break;
      if (right.countable && !right.deleted && !this.deletes(right)) return true;
    }
    return false;
  }

  /** The bracket mark in force at each existing item of a text, computed in one pass per text when first asked. */
  private readonly marks = new Map<Y.AbstractType<unknown>, Map<Y.Item, BracketMarkAttrs | null>>();

  private markAt(item: Y.Item): BracketMarkAttrs | null {
    const parent = item.parent as Y.AbstractType<unknown>;
    let table = this.marks.get(parent);
    if (!table) {
      table = new Map();
      let current: BracketMarkAttrs | null = null;
      for (let node = parent._start; node; node = node.right) {
        this.budget.spend();
        if (node.deleted) continue;
        if (node.content instanceof Y.ContentFormat) {
          if (node.content.key === BRACKET_MARK) current = asMark(node.content.value);
        } else table.set(node, current);
      }
      this.marks.set(parent, table);
    }
    return table.get(item) ?? null;
  }

  private deletes(item: Y.Item): boolean {
    return this.decoded.deletes(item.id.client, item.id.clock, item.length);
  }

  /** First existing left neighbour of a new item, found once for each chain of new items typed after one another. */
  private readonly storedOrigins = new Map<Y.Item, ID | null>();

  private storedOriginOf(item: Y.Item): ID | null {
    const chain: Y.Item[] = [];
    let origin = item.origin;
    let current: Y.Item | undefined = item;
    while (current) {
      const known = this.storedOrigins.get(current);
      if (known !== undefined) {
        origin = known;
        break;
      }
      this.budget.spend();
      chain.push(current);
      origin = current.origin;
      this.storedOrigins.set(current, null); // a cycle ends here instead of looping
      current = origin ? this.freshItem(origin) : undefined;
    }
    for (const link of chain) this.storedOrigins.set(link, origin);
    return origin;
  }

  /** The bracket in force, before this update, where an item lands: its nearest existing left neighbour decides. */
  private bracketInForceBefore(item: Y.Item): BracketMarkAttrs | null {
    const origin = this.storedOriginOf(item);
    let left = origin ? this.storedStruct(origin) : undefined;
    while (left instanceof Y.Item) {
      this.budget.spend();
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
    for (;;) {
      this.budget.spend();
      const next = this.followers().get(`${last.id.client}:${last.id.clock + last.length - 1}`);
      if (!next || next === start) break;
      // Any new format of the key ends this one's reach (and is judged on its own).
      if (next.content instanceof Y.ContentFormat && next.content.key === BRACKET_MARK) return true;
      last = next;
    }
    let right = last.rightOrigin ? this.storedStruct(last.rightOrigin) : undefined;
    while (right instanceof Y.Item) {
      this.budget.spend();
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

function valueCount(content: Content): number {
  return (content as unknown as { arr?: unknown[] }).arr?.length ?? 0;
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

/** A bracket mark's value, or null for none (a removed mark, or a value that is not one). */
function asMark(value: unknown): BracketMarkAttrs | null {
  if (!value || typeof value !== 'object') return null;
  const { group, option } = value as Partial<BracketMarkAttrs>;
  return typeof group === 'string' && typeof option === 'string' ? { group, option } : null;
}

function sameMark(a: BracketMarkAttrs | null, b: BracketMarkAttrs | null): boolean {
  return a === b || (a !== null && b !== null && a.group === b.group && a.option === b.option);
}

