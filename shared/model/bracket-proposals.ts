import * as Y from 'yjs';
import { BRACKET_MARK, BracketGroupKeys as G, BracketOptionKeys as O, type Actor, type OptionKind } from '../schema/negotiation.js';
import { collectGroupRuns, markOf, ownRuns, type GroupRun } from './bracket-marks.js';
import { hasBracketed, othersIn, stanceOf } from './bracket-positions.js';
import { bracketGroups, optionsOf, requireGroup, requireOpen, requireOption } from './brackets.js';
import { ModelError } from './errors.js';
import { newId, nowIso } from './ids.js';
import { requireBlock } from './paragraphs.js';
import type { GroupRecord, OptionRecord } from './record-guards.js';
import { locatePoint, locateRange, textRuns } from './text-runs.js';

/**
 * What delegations do with brackets: bracket words (an objection, recorded
 * in `bracketedBy`), propose an insertion, an alternative or the deletion,
 * support an option, and take any of it back while the group is open. Each
 * delegation holds one position per group (bracket-positions.ts): supporting
 * or proposing moves it. Resolving is the chair's (brackets.ts).
 */

/** A new option: the original text has no proponent, any other option is proposed by the actor's delegation. */
function newOption(kind: OptionKind, actor: Actor, note: string): { id: string; map: Y.Map<unknown> } {
  const id = newId();
  const at = nowIso();
  const proponents: Array<[string, unknown]> = kind === 'original' ? [] : [[actor.delegation, { name: actor.name, at }]];
  const map = new Y.Map<unknown>([
    [O.id, id],
    [O.kind, kind],
    [O.proponents, new Y.Map<unknown>(proponents)],
    [O.supporters, new Y.Map<unknown>()],
    [O.note, note],
    [O.createdBy, { name: actor.name, delegation: actor.delegation }],
    [O.createdAt, at],
  ]);
  return { id, map };
}

/** A new group's record; `bracketer` is the delegation that bracketed existing text (none for an insertion). */
function newGroup(paragraphId: string, actor: Actor, bracketer: boolean, options: Y.Map<unknown>[]): Y.Map<unknown> {
  const list = new Y.Array<Y.Map<unknown>>();
  list.push(options);
  const at = nowIso();
  return new Y.Map<unknown>([
    [G.paragraphId, paragraphId],
    [G.createdBy, { name: actor.name, delegation: actor.delegation }],
    [G.createdAt, at],
    [G.status, 'open'],
    [G.bracketedBy, new Y.Map<unknown>(bracketer ? [[actor.delegation, { name: actor.name, at }]] : [])],
    [G.options, list],
  ]);
}

/**
 * Puts block offsets [from, to) of a paragraph in brackets: the words become
 * the group's original text, bracketed by the actor's delegation. With
 * `propose`, the same step proposes what should stand instead: a text (a
 * replacement), or '' for the deletion.
 */
export function createBracket(
  doc: Y.Doc,
  input: { paragraphId: string; from: number; to: number; actor: Actor; note?: string; propose?: { text: string } },
  origin?: unknown,
): { groupId: string; optionId: string; proposedOptionId?: string } {
  const block = requireBlock(doc, input.paragraphId);
  const range = locateRange(block.element, input.from, input.to);
  const overlapping = textRuns(block.element).some(
    (r) => markOf(r) && r.start < input.to && r.start + r.insert.length > input.from,
  );
  if (overlapping) throw new ModelError('This text is already in brackets: add an alternative to that bracket instead');

  const groupId = newId();
  const original = newOption('original', input.actor, '');
  const proposal = input.propose ? newOption(input.propose.text.length > 0 ? 'text' : 'delete', input.actor, input.note ?? '') : null;
  doc.transact(() => {
    bracketGroups(doc).set(groupId, newGroup(input.paragraphId, input.actor, true, proposal ? [original.map, proposal.map] : [original.map]));
    range.text.format(range.index, range.length, { [BRACKET_MARK]: { group: groupId, option: original.id } });
    if (proposal && input.propose!.text) {
      range.text.insert(range.index + range.length, input.propose!.text, { [BRACKET_MARK]: { group: groupId, option: proposal.id } });
    }
  }, origin);
  return { groupId, optionId: original.id, ...(proposal ? { proposedOptionId: proposal.id } : {}) };
}

/**
 * Proposes inserting text at a block offset: a group with no original text
 * and one option, the actor's. Resolving keeps it ("chosen") or drops it.
 */
export function proposeInsertion(
  doc: Y.Doc,
  input: { paragraphId: string; at: number; text: string; actor: Actor },
  origin?: unknown,
): { groupId: string; optionId: string } {
  if (!input.text) throw new ModelError('Nothing to insert');
  const block = requireBlock(doc, input.paragraphId);
  const inside = textRuns(block.element).some((r) => markOf(r) && r.start < input.at && r.start + r.insert.length > input.at);
  if (inside) throw new ModelError('This place is inside a bracket: add an alternative to that bracket instead');
  const point = locatePoint(block.element, input.at);
  const groupId = newId();
  const option = newOption('text', input.actor, '');
  doc.transact(() => {
    bracketGroups(doc).set(groupId, newGroup(input.paragraphId, input.actor, false, [option.map]));
    point.text.insert(point.index, input.text, { [BRACKET_MARK]: { group: groupId, option: option.id } });
  }, origin);
  return { groupId, optionId: option.id };
}

/** Another delegation brackets the same text: its objection is recorded beside the first one's. */
export function joinBracket(doc: Y.Doc, input: { groupId: string; actor: Actor }, origin?: unknown): void {
  const group = requireGroup(doc, input.groupId);
  requireOpen(group);
  if (!group.options.some((o) => o.fields.kind === 'original')) throw new ModelError('This bracket proposes an insertion: there is no original text to bracket');
  if (hasBracketed(group, input.actor.delegation)) throw new ModelError(`${input.actor.delegation} has already bracketed this text`);
  const runs = collectGroupRuns(doc).get(input.groupId);
  doc.transact(() => {
    // Bracketing the text and supporting it as it stands would contradict each other.
    const stance = stanceOf(group, input.actor.delegation);
    if (stance && group.options.find((o) => o.fields.id === stance.optionId)?.fields.kind === 'original') {
      clearStance(group, input.actor.delegation, runs);
    }
    bracketersOf(group).set(input.actor.delegation, { name: input.actor.name, at: nowIso() });
  }, origin);
}

/**
 * A delegation takes back its bracket. When nobody else bracketed the text or
 * took a position in the group, the whole group goes (its own alternatives
 * with it) and the text stands as before; otherwise only its objection goes.
 */
export function withdrawBracket(doc: Y.Doc, input: { groupId: string; actor: Actor }, origin?: unknown): void {
  const group = requireGroup(doc, input.groupId);
  requireOpen(group);
  if (!hasBracketed(group, input.actor.delegation)) throw new ModelError(`${input.actor.delegation} has not bracketed this text`);
  const runs = collectGroupRuns(doc).get(input.groupId) ?? [];
  doc.transact(() => {
    if (othersIn(group, input.actor.delegation)) {
      bracketersOf(group).delete(input.actor.delegation);
      return;
    }
    const original = group.options.find((o) => o.fields.kind === 'original')?.fields.id;
    for (const { run, option } of [...runs].reverse()) {
      if (option === original) run.text.format(run.index, run.insert.length, { [BRACKET_MARK]: null });
      else run.text.delete(run.index, run.insert.length);
    }
    bracketGroups(doc).delete(input.groupId);
  }, origin);
}

function bracketersOf(group: GroupRecord): Y.Map<unknown> {
  const map = group.map.get(G.bracketedBy);
  if (map instanceof Y.Map) return map as Y.Map<unknown>;
  throw new ModelError('This bracket was made by an older version and is being updated; try again in a moment');
}

/**
 * Takes a delegation's position out of a group (inside a transaction): its
 * support goes, and so does its proposal; an alternative (or the deletion)
 * nobody proposes or supports any more is withdrawn with its text.
 */
function clearStance(group: GroupRecord, delegation: string, runs: GroupRun[] | undefined): void {
  const list = optionsOf(group);
  for (let index = group.options.length - 1; index >= 0; index--) {
    const option = group.options[index]!;
    const proposes = option.proponents.includes(delegation);
    if (!proposes && !option.supporters.includes(delegation)) continue;
    const left = option.proponents.filter((d) => d !== delegation).length + option.supporters.filter((d) => d !== delegation).length;
    if (left > 0 || option.fields.kind === 'original') {
      (option.map.get(O.supporters) as Y.Map<unknown>).delete(delegation);
      if (proposes) (option.map.get(O.proponents) as Y.Map<unknown>).delete(delegation);
      continue;
    }
    for (const { run } of [...(runs ?? [])].filter((r) => r.option === option.fields.id).reverse()) run.text.delete(run.index, run.insert.length);
    const at = list.toArray().indexOf(option.map);
    if (at >= 0) list.delete(at, 1);
  }
}

/**
 * Proposes an option after the group's last one; empty text proposes the
 * deletion (a group has one "delete" option: proposing it again supports it).
 * The delegation's earlier position in the group moves to this proposal.
 */
export function addAlternative(
  doc: Y.Doc,
  input: { groupId: string; text: string; actor: Actor; note?: string },
  origin?: unknown,
): { optionId: string } {
  const group = requireGroup(doc, input.groupId);
  requireOpen(group);
  const isDelete = input.text.trim().length === 0;
  const existingDelete = isDelete ? group.options.find((o) => o.fields.kind === 'delete') : undefined;
  if (existingDelete) {
    supportOption(doc, { groupId: input.groupId, optionId: existingDelete.fields.id, actor: input.actor }, origin);
    return { optionId: existingDelete.fields.id };
  }
  // Only text of the group's own options: a run whose mark names an unknown option reads as plain text.
  const allRuns = collectGroupRuns(doc).get(input.groupId);
  const runs = ownRuns(group, allRuns);
  const last = runs[runs.length - 1];
  if (!isDelete && !last) throw new ModelError('This bracket has no text left: resolve it instead');

  const option = newOption(isDelete ? 'delete' : 'text', input.actor, input.note ?? '');
  doc.transact(() => {
    // Text first, at the end of the group as it stands: withdrawing the old proposal may delete text before it.
    if (!isDelete && last) {
      last.run.text.insert(last.run.index + last.run.insert.length, input.text, {
        [BRACKET_MARK]: { group: input.groupId, option: option.id },
      });
    }
    clearStance(group, input.actor.delegation, allRuns);
    optionsOf(group).push([option.map]);
  }, origin);
  return { optionId: option.id };
}

/** An option of a group still under negotiation. */
function requireOpenOption(doc: Y.Doc, groupId: string, optionId: string): { group: GroupRecord; option: OptionRecord } {
  const group = requireGroup(doc, groupId);
  requireOpen(group);
  return { group, option: requireOption(group, optionId) };
}

/** The actor's delegation supports an option: its earlier position in the group (support or proposal) moves here. */
export function supportOption(
  doc: Y.Doc,
  input: { groupId: string; optionId: string; actor: Actor },
  origin?: unknown,
): void {
  const { group, option } = requireOpenOption(doc, input.groupId, input.optionId);
  const delegation = input.actor.delegation;
  if (option.proponents.includes(delegation)) throw new ModelError(`${delegation} already proposes this option`);
  if (option.supporters.includes(delegation)) return;
  if (option.fields.kind === 'original' && hasBracketed(group, delegation)) {
    throw new ModelError(`${delegation} bracketed this text: withdraw the bracket to keep the text as it stands`);
  }
  const runs = collectGroupRuns(doc).get(input.groupId);
  doc.transact(() => {
    clearStance(group, delegation, runs);
    (option.map.get(O.supporters) as Y.Map<unknown>).set(delegation, { name: input.actor.name, at: nowIso() });
  }, origin);
}

/**
 * The actor's delegation withdraws its position on an option: its support,
 * or its proposal (an alternative nobody else holds goes with its text).
 */
export function withdrawSupport(
  doc: Y.Doc,
  input: { groupId: string; optionId: string; actor: Actor },
  origin?: unknown,
): void {
  const { group, option } = requireOpenOption(doc, input.groupId, input.optionId);
  if (!option.proponents.includes(input.actor.delegation) && !option.supporters.includes(input.actor.delegation)) return;
  const runs = collectGroupRuns(doc).get(input.groupId);
  doc.transact(() => clearStance(group, input.actor.delegation, runs), origin);
}

/** Sets the short note (footnote) of an option; only its proponents write it. */
export function setOptionNote(
  doc: Y.Doc,
  input: { groupId: string; optionId: string; note: string; actor: Actor },
  origin?: unknown,
): void {
  const group = requireGroup(doc, input.groupId);
  const option = requireOption(group, input.optionId);
  if (!option.proponents.includes(input.actor.delegation)) {
    throw new ModelError('Only the proponents of an option write its note', 'forbidden');
  }
  doc.transact(() => option.map.set(O.note, input.note.trim().slice(0, 1000)), origin);
}
