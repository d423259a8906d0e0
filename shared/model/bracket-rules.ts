import * as Y from 'yjs';
import { BRACKETS_MAP, BracketGroupKeys as G, BracketOptionKeys as O, type Actor } from '../schema/negotiation.js';
import { canBracket, presides } from './permissions.js';
import { speaksFor, type Sender } from './sender.js';
import type { Effect } from './update-effects.js';

/**
 * The rules on the `brackets` map, effect by effect (update-rules.ts runs
 * them): who may create, take back, resolve and take positions in a group.
 * The rules on whole groups once applied (one position per delegation, no
 * proponent on original text) are bracket-positions.ts's.
 */

const NO_POSITIONS = 'The chair and the secretariat take no positions: they do not bracket, propose or support';


/**
 * A delegation may take back what only it proposed (Ctrl+Z on its own
 * bracket or alternative): an open group whose options are all its own, or
 * one such option. Anything others proposed or supported stays.
 */
/** Group keys and option ids are kept apart: an option must not withdraw a group by sharing its id. */
export type Withdrawn = { groups: Set<string>; options: Set<string> };

export function withdrawnProposals(effects: Effect[], sender: Sender): Withdrawn {
  const withdrawn: Withdrawn = { groups: new Set(), options: new Set() };
  for (const e of effects) {
    if (e.root !== BRACKETS_MAP || e.op !== 'delete' || e.content.kind !== 'type' || !(e.content.existing instanceof Y.Map)) continue;
    const target = e.content.existing as Y.Map<unknown>;
    if (e.path.length === 0 && e.key && onlyOwnGroup(target, sender)) withdrawn.groups.add(e.key);
    if (e.path.length === 2 && onlyOwnOption(target, sender) && (e.path[0]!.existing as Y.Map<unknown>).get(G.status) === 'open') {
      const id = target.get(O.id);
      if (typeof id === 'string') withdrawn.options.add(id);
    }
  }
  return withdrawn;
}

const ownKeys = (map: unknown, sender: Sender) => map instanceof Y.Map && [...map.keys()].every((k) => k === sender.delegation);

/** An alternative (or deletion) held by the sender's delegation alone: withdrawing it takes nobody else's position. */
function onlyOwnOption(option: Y.Map<unknown>, sender: Sender): boolean {
  const proponents = option.get(O.proponents);
  const supporters = option.get(O.supporters);
  const held = (m: unknown) => m instanceof Y.Map && m.has(sender.delegation);
  return option.get(O.kind) !== 'original' && ownKeys(proponents, sender) && ownKeys(supporters, sender) && (held(proponents) || held(supporters));
}

/** A group nobody but the sender's delegation bracketed, proposed in or supported: taking it back harms no one's record. */
function onlyOwnGroup(group: Y.Map<unknown>, sender: Sender): boolean {
  const options = group.get(G.options);
  const bracketers = group.get(G.bracketedBy);
  const ownOriginal = (o: Y.Map<unknown>) => o.get(O.kind) === 'original' && ownKeys(o.get(O.proponents), sender) && ownKeys(o.get(O.supporters), sender);
  return (
    group.get(G.status) === 'open' &&
    (group.get(G.createdBy) as Actor | undefined)?.delegation === sender.delegation &&
    (bracketers === undefined || ownKeys(bracketers, sender)) &&
    options instanceof Y.Array &&
    (options.toArray() as Y.Map<unknown>[]).every((o) => ownOriginal(o) || onlyOwnOption(o, sender))
  );
}

export function newOptionIds(effects: Effect[]): Set<string> {
  const ids = new Set<string>();
  for (const e of effects) {
    if (e.root === BRACKETS_MAP && e.op === 'insert' && e.path.length === 3 && e.key === O.id && e.content.kind === 'value') {
      ids.add(String(e.content.value));
    }
  }
  return ids;
}

export function judgeBrackets(effect: Effect, sender: Sender, withdrawn: Withdrawn): string | null {
  const chair = presides(sender.role);
  const onlyChair = 'Only the chair or the secretariat resolve or remove brackets';
  const [group, , option, entries] = effect.path;
  const value = effect.content.kind === 'value' ? effect.content.value : undefined;
  const optionId = option?.existing instanceof Y.Map ? String(option.existing.get(O.id)) : null;
  if (effect.op === 'delete' && ((group && withdrawn.groups.has(String(group.key))) || (optionId && withdrawn.options.has(optionId)))) return null;
  switch (effect.path.length) {
    case 0: // a whole group
      return effect.op === 'insert' || chair || withdrawn.groups.has(String(effect.key)) ? null : onlyChair;
    case 1: {
      const isNew = group!.existing === null;
      if (effect.key === G.createdBy) return speaksFor(value, sender) ?? (isNew || chair ? null : onlyChair);
      if (effect.key === G.status) return chair || (isNew && effect.op === 'insert' && value === 'open') ? null : onlyChair;
      if (effect.key === G.resolution) return chair ? null : onlyChair;
      if (effect.key === G.paragraphId || effect.key === G.createdAt || effect.key === G.options || effect.key === G.bracketedBy) {
        return isNew || chair ? null : onlyChair;
      }
      return chair ? null : `Unknown bracket field ${String(effect.key)}`;
    }
    case 2: {
      if (effect.path[1]!.key === G.bracketedBy) return judgePositionEntry(effect, sender, group!.existing);
      // an option in a group's list
      const option = effect.content.kind === 'type' ? (effect.content.existing as Y.Map<unknown> | null) : null;
      return effect.op === 'insert' || chair || (option && withdrawn.options.has(String(option.get(O.id)))) ? null : onlyChair;
    }
    case 3: {
      const isNew = option!.existing === null;
      if (effect.key === O.createdBy) return speaksFor(value, sender);
      if (effect.key === O.kind && value === 'original' && group!.existing !== null) return 'Original text is recorded when words are bracketed, not added later';
      if (effect.key === O.note) {
        const proponents = option!.existing instanceof Y.Map ? option!.existing.get(O.proponents) : undefined;
        const own = isNew || (proponents instanceof Y.Map && proponents.has(sender.delegation));
        return own || chair ? null : 'Only the proponents of an option write its note';
      }
      if (effect.key === O.id || effect.key === O.kind || effect.key === O.createdAt || effect.key === O.proponents || effect.key === O.supporters) {
        return isNew || chair ? null : onlyChair;
      }
      return chair ? null : `Unknown option field ${String(effect.key)}`;
    }
    case 4: {
      const refused = judgePositionEntry(effect, sender, group!.existing);
      if (refused) return refused;
      if (effect.op === 'insert' && entries!.key === O.proponents && option!.existing !== null) {
        return 'Proponents are named when an option is proposed; support it instead';
      }
      return null;
    }
    default:
      return chair ? null : 'Unknown part of a bracket';
  }
}

/**
 * A delegation's entry in `bracketedBy`, `proponents` or `supporters`: only
 * its own, only while the group is open, and never the chair's or the
 * secretariat's (they take no positions).
 */
function judgePositionEntry(effect: Effect, sender: Sender, group: unknown): string | null {
  if (effect.key !== sender.delegation) return `You can only speak for ${sender.delegation}, not for ${String(effect.key)}`;
  if (effect.op === 'insert' && !canBracket(sender.role)) return NO_POSITIONS;
  if (group instanceof Y.Map && group.get(G.status) !== 'open') return 'This bracket has already been resolved';
  return null;
}
