import * as Y from 'yjs';
import {
  BRACKETS_MAP,
  BRACKET_MARK,
  BracketGroupKeys as G,
  BracketOptionKeys as O,
  type Actor,
  type BracketStatus,
  type OptionKind,
  type Resolution,
  type ResolutionOutcome,
  type ResolvedOption,
} from '../schema/negotiation.js';
import { collectGroupRuns, markOf, ownRuns, reportMarks, type GroupRun, type MalformedMark } from './bracket-marks.js';
import { hasBracketed, othersIn, stanceOf } from './bracket-positions.js';
import { compareCreation } from './creation-order.js';
import { ModelError } from './errors.js';
import { newId, nowIso } from './ids.js';
import { requireBlock, type Block } from './paragraphs.js';
import { readGroup, type GroupRecord, type OnDamaged, type OptionRecord, type PositionEntry } from './record-guards.js';
import { locatePoint, locateRange, textRuns } from './text-runs.js';

/**
 * Square brackets, as negotiators use them. Bracketing words records them as
 * the original text of a group, proposed by nobody: the delegations that
 * bracketed them object (`bracketedBy`), and propose an alternative or the
 * deletion. A group's options are ordinary text in the body carrying the
 * `bracket` mark `{ group, option }`; who bracketed, proposed and supports
 * what lives in the `brackets` map. Each delegation holds one position per
 * group (bracket-positions.ts): supporting or proposing moves it.
 */

export type OptionView = {
  id: string;
  /** A, B, C... in the order the options were added. */
  label: string;
  kind: OptionKind;
  text: string;
  proponents: string[];
  supporters: string[];
  note: string;
  createdBy: Actor;
};

export type GroupView = {
  id: string;
  paragraphId: string;
  status: BracketStatus;
  createdBy: Actor;
  createdAt: string;
  /** Who put the original text in brackets, oldest first (none for a proposed insertion). */
  bracketedBy: PositionEntry[];
  options: OptionView[];
  resolution: Resolution | null;
  /** Where the group's text is now (null once none is left: resolved or emptied). */
  block: Block | null;
  /** Offset of the group's first character in that block. */
  start: number;
};

/** The raw map: its values are not trusted (read them through readGroup, or listBracketGroups). */
export function bracketGroups(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap<unknown>(BRACKETS_MAP);
}

export function optionLabel(index: number): string {
  let label = '';
  let n = index;
  do {
    label = String.fromCharCode(65 + (n % 26)) + label;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return label;
}

function requireGroup(doc: Y.Doc, groupId: string): GroupRecord {
  const value = bracketGroups(doc).get(groupId);
  if (value === undefined) throw new ModelError(`No bracket group ${groupId}`, 'not-found');
  const group = readGroup(groupId, value);
  if (!group) throw new ModelError('This bracket record is damaged and cannot be changed; ask the secretariat');
  return group;
}

function requireOpen(group: GroupRecord): void {
  if (group.fields.status !== 'open') throw new ModelError('This bracket has already been resolved');
}

function optionsOf(group: GroupRecord): Y.Array<Y.Map<unknown>> {
  return group.map.get(G.options) as Y.Array<Y.Map<unknown>>;
}

function requireOption(group: GroupRecord, optionId: string): OptionRecord {
  const option = group.options.find((o) => o.fields.id === optionId);
  if (!option) throw new ModelError(`No option ${optionId} in this bracket`, 'not-found');
  return option;
}

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

/**
 * Cleans a bracket: keep one option's text ("chosen"), drop all of it
 * ("deleted"), or keep whatever text now stands in the group, as edited into a
 * compromise ("compromise"). The brackets go, the kept text becomes ordinary
 * text, and the record of what was on the table is kept on the group.
 */
export function resolveBracket(
  doc: Y.Doc,
  input: { groupId: string; outcome: ResolutionOutcome; optionId?: string; actor: Actor },
  origin?: unknown,
): Resolution {
  const group = requireGroup(doc, input.groupId);
  requireOpen(group);
  const allRuns = collectGroupRuns(doc).get(input.groupId) ?? [];
  const view = describeGroup(input.groupId, group, allRuns);
  let outcome = input.outcome;
  let chosen: OptionView | undefined;
  if (outcome === 'chosen') {
    chosen = view.options.find((o) => o.id === input.optionId);
    if (!chosen) throw new ModelError('Choose one of the options of this bracket');
    if (chosen.kind === 'delete') outcome = 'deleted';
  }
  const known = new Set(group.options.map((o) => o.fields.id));
  const keep = (option: string) => outcome === 'compromise' || (outcome === 'chosen' && option === chosen?.id);

  const runs = ownRuns(group, allRuns);
  const keptText = runs
    .filter((r) => keep(r.option))
    .map((r) => r.run.insert)
    .join('');
  const resolution: Resolution = {
    outcome,
    by: { name: input.actor.name, delegation: input.actor.delegation },
    at: nowIso(),
    chosenOptionId: outcome === 'chosen' ? chosen!.id : null,
    keptText,
    bracketedBy: view.bracketedBy.map((entry) => entry.delegation),
    options: view.options.map(
      (o): ResolvedOption => ({
        id: o.id,
        label: o.label,
        kind: o.kind,
        text: o.text,
        proponents: o.proponents,
        supporters: o.supporters,
      }),
    ),
  };
  doc.transact(() => {
    // From the last run backwards, so deleting one never moves the next one to handle.
    // Text marked with an option the group does not have reads as plain text: it loses the mark and stays.
    for (const { run, option } of [...allRuns].reverse()) {
      if (keep(option) || !known.has(option)) run.text.format(run.index, run.insert.length, { [BRACKET_MARK]: null });
      else run.text.delete(run.index, run.insert.length);
    }
    group.map.set(G.status, 'resolved');
    group.map.set(G.resolution, resolution);
  }, origin);
  return resolution;
}

/**
 * A group made before `bracketedBy` existed recorded its maker as the
 * proponent of option A, the bracketed text. It reads, and the migration
 * rewrites it (migrate-document.ts), as original text bracketed by its maker.
 * Returns that option's id, or null when the group is not such a group.
 */
export function legacyOriginalId(group: GroupRecord): string | null {
  if (group.bracketedBy !== null) return null;
  const first = group.options[0];
  return first && first.fields.kind === 'text' && first.proponents.includes(group.fields.createdBy.delegation) ? first.fields.id : null;
}

/** The record of a resolved legacy group, read (and rewritten by the migration) the same way. */
export function migratedResolution(resolution: Resolution, originalId: string, maker: string): Resolution {
  return {
    ...resolution,
    bracketedBy: [maker],
    options: resolution.options.map((o) =>
      o.id === originalId ? { ...o, kind: 'original', proponents: [], supporters: [...new Set([...o.supporters, ...o.proponents.filter((d) => d !== maker)])].sort() } : o,
    ),
  };
}

/** Who bracketed a group's text, legacy groups read as their maker. */
function bracketersView(group: GroupRecord): PositionEntry[] {
  if (group.bracketedBy !== null) return group.bracketedBy;
  if (legacyOriginalId(group) === null) return [];
  const { name, delegation } = group.fields.createdBy;
  return [{ delegation, name, at: group.fields.createdAt }];
}

/** A group's view from its record and the marked runs of the body (all groups' runs, or just its own). */
export function describeGroup(id: string, group: GroupRecord, allRuns: GroupRun[] | undefined): GroupView {
  const runs = ownRuns(group, allRuns);
  const legacyOriginal = legacyOriginalId(group);
  const options = group.options.map(({ fields, proponents, supporters }, index): OptionView => ({
    id: fields.id,
    label: optionLabel(index),
    kind: fields.id === legacyOriginal ? 'original' : fields.kind,
    text: runs
      .filter((r) => r.option === fields.id)
      .map((r) => r.run.insert)
      .join(''),
    proponents: fields.id === legacyOriginal ? [] : proponents,
    supporters: fields.id === legacyOriginal ? [...new Set([...supporters, ...proponents.filter((d) => d !== group.fields.createdBy.delegation)])].sort() : supporters,
    note: fields.note ?? '',
    createdBy: fields.createdBy,
  }));
  const first = runs[0];
  return {
    id,
    paragraphId: group.fields.paragraphId,
    status: group.fields.status,
    createdBy: group.fields.createdBy,
    createdAt: group.fields.createdAt,
    bracketedBy: bracketersView(group),
    options,
    resolution:
      group.fields.resolution && legacyOriginal
        ? migratedResolution(group.fields.resolution, legacyOriginal, group.fields.createdBy.delegation)
        : (group.fields.resolution ?? null),
    block: first?.block ?? null,
    start: first?.run.start ?? 0,
  };
}

/**
 * Every bracket group that can be read, open ones in document order first,
 * then the resolved ones. Damaged entries (and marks in the text that point
 * nowhere) are skipped, and reported to `onDamaged` when given.
 */
export function listBracketGroups(doc: Y.Doc, onDamaged?: OnDamaged): GroupView[] {
  const malformed: MalformedMark[] = [];
  const runs = collectGroupRuns(doc, onDamaged && malformed);
  const records = new Map<string, GroupRecord>();
  const damagedGroups = new Set<string>();
  for (const [id, value] of bracketGroups(doc).entries()) {
    const record = readGroup(id, value, onDamaged);
    if (record) records.set(id, record);
    else damagedGroups.add(id);
  }
  if (onDamaged) reportMarks(records, damagedGroups, runs, malformed, onDamaged);
  const positions = new Map<string, number>();
  const views = [...records].map(([id, group]) => {
    const first = ownRuns(group, runs.get(id))[0];
    positions.set(id, first ? first.index * 1e7 + first.run.start : Number.MAX_SAFE_INTEGER);
    return describeGroup(id, group, runs.get(id) ?? []);
  });
  const position = (g: GroupView) => positions.get(g.id)!;
  const created = (a: GroupView, b: GroupView) => compareCreation(records.get(a.id)!.map as Y.AbstractType<unknown>, records.get(b.id)!.map as Y.AbstractType<unknown>);
  return views.sort((a, b) =>
    a.status === b.status ? position(a) - position(b) || created(a, b) : a.status === 'open' ? -1 : 1,
  );
}

export function getBracketGroup(doc: Y.Doc, groupId: string): GroupView {
  const group = requireGroup(doc, groupId);
  return describeGroup(groupId, group, collectGroupRuns(doc).get(groupId) ?? []);
}

