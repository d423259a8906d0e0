import type * as Y from 'yjs';
import {
  BRACKETS_MAP,
  BRACKET_MARK,
  BracketGroupKeys as G,
  type Actor,
  type BracketStatus,
  type OptionKind,
  type Resolution,
  type ResolutionOutcome,
  type ResolvedOption,
} from '../schema/negotiation.js';
import { collectGroupRuns, ownRuns, reportMarks, type GroupRun, type MalformedMark } from './bracket-marks.js';
import { compareCreation } from './creation-order.js';
import { ModelError } from './errors.js';
import { nowIso } from './ids.js';
import type { Block } from './paragraphs.js';
import { readGroup, type GroupRecord, type OnDamaged, type OptionRecord, type PositionEntry } from './record-guards.js';

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

export function requireGroup(doc: Y.Doc, groupId: string): GroupRecord {
  const value = bracketGroups(doc).get(groupId);
  if (value === undefined) throw new ModelError(`No bracket group ${groupId}`, 'not-found');
  const group = readGroup(groupId, value);
  if (!group) throw new ModelError('This bracket record is damaged and cannot be changed; ask the secretariat');
  return group;
}

export function requireOpen(group: GroupRecord): void {
  if (group.fields.status !== 'open') throw new ModelError('This bracket has already been resolved');
}

export function optionsOf(group: GroupRecord): Y.Array<Y.Map<unknown>> {
  return group.map.get(G.options) as Y.Array<Y.Map<unknown>>;
}

export function requireOption(group: GroupRecord, optionId: string): OptionRecord {
  const option = group.options.find((o) => o.fields.id === optionId);
  if (!option) throw new ModelError(`No option ${optionId} in this bracket`, 'not-found');
  return option;
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

