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
import { compareCreation } from './creation-order.js';
import { ModelError } from './errors.js';
import { newId, nowIso } from './ids.js';
import { requireBlock, type Block } from './paragraphs.js';
import { readGroup, type GroupRecord, type OnDamaged, type OptionRecord } from './record-guards.js';
import { locateRange, textRuns } from './text-runs.js';

/**
 * Square brackets. A group's options are ordinary text in the body carrying the
 * `bracket` mark `{ group, option }`, so several people can edit an option at
 * once; who proposed and supports what lives in the `brackets` map.
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

function newOption(kind: OptionKind, actor: Actor, note: string): { id: string; map: Y.Map<unknown> } {
  const id = newId();
  const at = nowIso();
  const map = new Y.Map<unknown>([
    [O.id, id],
    [O.kind, kind],
    [O.proponents, new Y.Map<unknown>([[actor.delegation, { name: actor.name, at }]])],
    [O.supporters, new Y.Map<unknown>()],
    [O.note, note],
    [O.createdBy, { name: actor.name, delegation: actor.delegation }],
    [O.createdAt, at],
  ]);
  return { id, map };
}

/** Puts block offsets [from, to) of a paragraph in brackets, as option A proposed by the actor's delegation. */
export function createBracket(
  doc: Y.Doc,
  input: { paragraphId: string; from: number; to: number; actor: Actor; note?: string },
  origin?: unknown,
): { groupId: string; optionId: string } {
  const block = requireBlock(doc, input.paragraphId);
  const range = locateRange(block.element, input.from, input.to);
  const overlapping = textRuns(block.element).some(
    (r) => markOf(r) && r.start < input.to && r.start + r.insert.length > input.from,
  );
  if (overlapping) throw new ModelError('This text is already in brackets: add an alternative to that bracket instead');

  const groupId = newId();
  const option = newOption('text', input.actor, input.note ?? '');
  doc.transact(() => {
    const options = new Y.Array<Y.Map<unknown>>();
    options.push([option.map]);
    bracketGroups(doc).set(
      groupId,
      new Y.Map<unknown>([
        [G.paragraphId, input.paragraphId],
        [G.createdBy, { name: input.actor.name, delegation: input.actor.delegation }],
        [G.createdAt, nowIso()],
        [G.status, 'open'],
        [G.options, options],
      ]),
    );
    range.text.format(range.index, range.length, { [BRACKET_MARK]: { group: groupId, option: option.id } });
  }, origin);
  return { groupId, optionId: option.id };
}

/**
 * Adds an option after the group's last one. Empty text adds the "delete"
 * option (retain or delete), of which a group has at most one.
 */
export function addAlternative(
  doc: Y.Doc,
  input: { groupId: string; text: string; actor: Actor; note?: string },
  origin?: unknown,
): { optionId: string } {
  const group = requireGroup(doc, input.groupId);
  requireOpen(group);
  const isDelete = input.text.trim().length === 0;
  if (isDelete && group.options.some((o) => o.fields.kind === 'delete')) {
    throw new ModelError('This bracket already has a "delete" option: support it instead');
  }
  // Only text of the group's own options: a run whose mark names an unknown option reads as plain text.
  const runs = ownRuns(group, collectGroupRuns(doc).get(input.groupId));
  const last = runs[runs.length - 1];
  if (!isDelete && !last) throw new ModelError('This bracket has no text left: resolve it instead');

  const option = newOption(isDelete ? 'delete' : 'text', input.actor, input.note ?? '');
  doc.transact(() => {
    optionsOf(group).push([option.map]);
    if (!isDelete && last) {
      last.run.text.insert(last.run.index + last.run.insert.length, input.text, {
        [BRACKET_MARK]: { group: input.groupId, option: option.id },
      });
    }
  }, origin);
  return { optionId: option.id };
}

/** An option of a group still under negotiation. */
function requireOpenOption(doc: Y.Doc, groupId: string, optionId: string): OptionRecord {
  const group = requireGroup(doc, groupId);
  requireOpen(group);
  return requireOption(group, optionId);
}

/** The actor's delegation supports an option (proponents already do). */
export function supportOption(
  doc: Y.Doc,
  input: { groupId: string; optionId: string; actor: Actor },
  origin?: unknown,
): void {
  const option = requireOpenOption(doc, input.groupId, input.optionId);
  if (option.proponents.includes(input.actor.delegation)) throw new ModelError(`${input.actor.delegation} already proposes this option`);
  doc.transact(() => {
    (option.map.get(O.supporters) as Y.Map<unknown>).set(input.actor.delegation, { name: input.actor.name, at: nowIso() });
  }, origin);
}

/** The actor's delegation withdraws its support of an option. */
export function withdrawSupport(
  doc: Y.Doc,
  input: { groupId: string; optionId: string; actor: Actor },
  origin?: unknown,
): void {
  const option = requireOpenOption(doc, input.groupId, input.optionId);
  doc.transact(() => (option.map.get(O.supporters) as Y.Map<unknown>).delete(input.actor.delegation), origin);
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

/** A group's view from its record and the marked runs of the body (all groups' runs, or just its own). */
export function describeGroup(id: string, group: GroupRecord, allRuns: GroupRun[] | undefined): GroupView {
  const runs = ownRuns(group, allRuns);
  const options = group.options.map(({ fields, proponents, supporters }, index): OptionView => ({
    id: fields.id,
    label: optionLabel(index),
    kind: fields.kind,
    text: runs
      .filter((r) => r.option === fields.id)
      .map((r) => r.run.insert)
      .join(''),
    proponents,
    supporters,
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
    options,
    resolution: group.fields.resolution ?? null,
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

