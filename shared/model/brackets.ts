import * as Y from 'yjs';
import {
  BRACKETS_MAP,
  BRACKET_MARK,
  BracketGroupKeys as G,
  BracketOptionKeys as O,
  type Actor,
  type BracketMarkAttrs,
  type BracketStatus,
  type OptionKind,
  type Resolution,
  type ResolutionOutcome,
  type ResolvedOption,
} from '../schema/negotiation.js';
import { compareCreation } from './creation-order.js';
import { ModelError } from './errors.js';
import { newId, nowIso } from './ids.js';
import { listBlocks, requireBlock, type Block } from './paragraphs.js';
import { locateRange, textRuns, type TextRun } from './text-runs.js';

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

type GroupRun = { block: Block; run: TextRun; group: string; option: string };

export function bracketGroups(doc: Y.Doc): Y.Map<Y.Map<unknown>> {
  return doc.getMap<Y.Map<unknown>>(BRACKETS_MAP);
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

function markOf(run: TextRun): BracketMarkAttrs | null {
  const value = run.attributes[BRACKET_MARK] as Partial<BracketMarkAttrs> | null | undefined;
  return value && typeof value.group === 'string' && typeof value.option === 'string'
    ? { group: value.group, option: value.option }
    : null;
}

/** Every bracketed run of the body, by group, in document order (one pass over the document). */
function collectGroupRuns(doc: Y.Doc): Map<string, GroupRun[]> {
  const byGroup = new Map<string, GroupRun[]>();
  for (const block of listBlocks(doc)) {
    for (const run of textRuns(block.element)) {
      const mark = markOf(run);
      if (!mark) continue;
      const list = byGroup.get(mark.group) ?? [];
      list.push({ block, run, group: mark.group, option: mark.option });
      byGroup.set(mark.group, list);
    }
  }
  return byGroup;
}

function requireGroup(doc: Y.Doc, groupId: string): Y.Map<unknown> {
  const group = bracketGroups(doc).get(groupId);
  if (!group) throw new ModelError(`No bracket group ${groupId}`, 'not-found');
  return group;
}

function requireOpen(group: Y.Map<unknown>): void {
  if (group.get(G.status) !== 'open') throw new ModelError('This bracket has already been resolved');
}

function optionsOf(group: Y.Map<unknown>): Y.Array<Y.Map<unknown>> {
  return group.get(G.options) as Y.Array<Y.Map<unknown>>;
}

function requireOption(group: Y.Map<unknown>, optionId: string): Y.Map<unknown> {
  const option = optionsOf(group)
    .toArray()
    .find((o) => o.get(O.id) === optionId);
  if (!option) throw new ModelError(`No option ${optionId} in this bracket`, 'not-found');
  return option;
}

function delegations(map: unknown): string[] {
  return map instanceof Y.Map ? [...map.keys()].sort() : [];
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
  if (isDelete && optionsOf(group).toArray().some((o) => o.get(O.kind) === 'delete')) {
    throw new ModelError('This bracket already has a "delete" option: support it instead');
  }
  const runs = collectGroupRuns(doc).get(input.groupId) ?? [];
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
function requireOpenOption(doc: Y.Doc, groupId: string, optionId: string): Y.Map<unknown> {
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
  const proponents = option.get(O.proponents) as Y.Map<unknown>;
  if (proponents.has(input.actor.delegation)) throw new ModelError(`${input.actor.delegation} already proposes this option`);
  doc.transact(() => {
    (option.get(O.supporters) as Y.Map<unknown>).set(input.actor.delegation, { name: input.actor.name, at: nowIso() });
  }, origin);
}

/** The actor's delegation withdraws its support of an option. */
export function withdrawSupport(
  doc: Y.Doc,
  input: { groupId: string; optionId: string; actor: Actor },
  origin?: unknown,
): void {
  const option = requireOpenOption(doc, input.groupId, input.optionId);
  doc.transact(() => (option.get(O.supporters) as Y.Map<unknown>).delete(input.actor.delegation), origin);
}

/** Sets the short note (footnote) of an option; only its proponents write it. */
export function setOptionNote(
  doc: Y.Doc,
  input: { groupId: string; optionId: string; note: string; actor: Actor },
  origin?: unknown,
): void {
  const group = requireGroup(doc, input.groupId);
  const option = requireOption(group, input.optionId);
  if (!(option.get(O.proponents) as Y.Map<unknown>).has(input.actor.delegation)) {
    throw new ModelError('Only the proponents of an option write its note', 'forbidden');
  }
  doc.transact(() => option.set(O.note, input.note.trim().slice(0, 1000)), origin);
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
  const view = describeGroup(doc, input.groupId, group, collectGroupRuns(doc).get(input.groupId) ?? []);
  let outcome = input.outcome;
  let chosen: OptionView | undefined;
  if (outcome === 'chosen') {
    chosen = view.options.find((o) => o.id === input.optionId);
    if (!chosen) throw new ModelError('Choose one of the options of this bracket');
    if (chosen.kind === 'delete') outcome = 'deleted';
  }
  const keep = (option: string) => outcome === 'compromise' || (outcome === 'chosen' && option === chosen?.id);

  const runs = collectGroupRuns(doc).get(input.groupId) ?? [];
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
    for (const { run, option } of [...runs].reverse()) {
      if (keep(option)) run.text.format(run.index, run.insert.length, { [BRACKET_MARK]: null });
      else run.text.delete(run.index, run.insert.length);
    }
    group.set(G.status, 'resolved');
    group.set(G.resolution, resolution);
  }, origin);
  return resolution;
}

function describeGroup(doc: Y.Doc, id: string, group: Y.Map<unknown>, runs: GroupRun[]): GroupView {
  const options = optionsOf(group)
    .toArray()
    .map((option, index): OptionView => {
      const optionId = option.get(O.id) as string;
      return {
        id: optionId,
        label: optionLabel(index),
        kind: option.get(O.kind) as OptionKind,
        text: runs
          .filter((r) => r.option === optionId)
          .map((r) => r.run.insert)
          .join(''),
        proponents: delegations(option.get(O.proponents)),
        supporters: delegations(option.get(O.supporters)),
        note: (option.get(O.note) as string | undefined) ?? '',
        createdBy: option.get(O.createdBy) as Actor,
      };
    });
  const first = runs[0];
  return {
    id,
    paragraphId: group.get(G.paragraphId) as string,
    status: group.get(G.status) as BracketStatus,
    createdBy: group.get(G.createdBy) as Actor,
    createdAt: group.get(G.createdAt) as string,
    options,
    resolution: (group.get(G.resolution) as Resolution | undefined) ?? null,
    block: first?.block ?? null,
    start: first?.run.start ?? 0,
  };
}

/** Every bracket group, open ones in document order first, then the resolved ones. */
export function listBracketGroups(doc: Y.Doc): GroupView[] {
  const runs = collectGroupRuns(doc);
  const order = new Map(listBlocks(doc).map((b, i) => [b.element, i]));
  const views = [...bracketGroups(doc).entries()].map(([id, group]) => describeGroup(doc, id, group, runs.get(id) ?? []));
  const position = (g: GroupView) => (g.block ? (order.get(g.block.element) ?? 0) * 1e7 + g.start : Number.MAX_SAFE_INTEGER);
  const groups = bracketGroups(doc);
  const created = (a: GroupView, b: GroupView) =>
    compareCreation(groups.get(a.id) as Y.AbstractType<unknown>, groups.get(b.id) as Y.AbstractType<unknown>);
  return views.sort((a, b) =>
    a.status === b.status ? position(a) - position(b) || created(a, b) : a.status === 'open' ? -1 : 1,
  );
}

export function getBracketGroup(doc: Y.Doc, groupId: string): GroupView {
  const group = requireGroup(doc, groupId);
  return describeGroup(doc, groupId, group, collectGroupRuns(doc).get(groupId) ?? []);
}

/** The block of a paragraph id and the option runs of a group inside it, for editors that place widgets. */
export function groupRunsIn(doc: Y.Doc, paragraphId: string): Array<{ group: string; option: string; start: number; length: number }> {
  const block = requireBlock(doc, paragraphId);
  return textRuns(block.element)
    .map((run) => ({ run, mark: markOf(run) }))
    .filter((x): x is { run: TextRun; mark: BracketMarkAttrs } => x.mark !== null)
    .map(({ run, mark }) => ({ group: mark.group, option: mark.option, start: run.start, length: run.insert.length }));
}
