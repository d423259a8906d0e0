import * as Y from 'yjs';
import {
  BLOCK_ID_ATTR,
  BRACKETS_MAP,
  BRACKET_MARK,
  BracketGroupKeys as G,
  BracketOptionKeys as O,
  COMMENTS_MAP,
  CommentMessageKeys as M,
  CommentThreadKeys as T,
} from '../schema/negotiation.js';
import { BODY_FRAGMENT, TEXT_BLOCKS } from '../schema/ydoc.js';
import type { Effect } from './update-effects.js';

/**
 * Ids are unique and references resolve. Records are found by id (a bracket
 * mark names its group and option, comments and statuses name a paragraph),
 * so an update that reuses an id, or points at something that is not there,
 * could make one delegation's words show as another's or lock a paragraph.
 * Checked for everyone, the chair included: no normal client breaks these.
 */
export function referenceProblem(doc: Y.Doc, effects: Effect[]): string | null {
  return freshIdProblem(doc, effects) ?? blockIdProblem(doc, effects) ?? bracketMarkProblem(doc, effects);
}

type Ids = { groups: Set<string>; options: Map<string, string>; threads: Set<string>; messages: Set<string> };

/** The record ids in the document now (the brackets and comments maps are small: hundreds of entries). */
function existingIds(doc: Y.Doc): Ids {
  const ids: Ids = { groups: new Set(), options: new Map(), threads: new Set(), messages: new Set() };
  for (const [key, group] of doc.getMap(BRACKETS_MAP)) {
    ids.groups.add(key);
    for (const option of mapsIn(group, G.options)) {
      const id = option.get(O.id);
      if (typeof id === 'string') ids.options.set(id, key);
    }
  }
  for (const [key, thread] of doc.getMap(COMMENTS_MAP)) {
    ids.threads.add(key);
    for (const message of mapsIn(thread, T.messages)) {
      const id = message.get(M.id);
      if (typeof id === 'string') ids.messages.add(id);
    }
  }
  return ids;
}

function mapsIn(record: unknown, key: string): Y.Map<unknown>[] {
  const list = record instanceof Y.Map ? record.get(key) : undefined;
  return list instanceof Y.Array ? list.toArray().filter((m): m is Y.Map<unknown> => m instanceof Y.Map) : [];
}

/** Groups, options, threads and messages this update creates, with the ids it gives them. */
type NewRecords = { groups: string[]; options: Array<{ id: unknown; group: string | null }>; threads: string[]; messages: unknown[] };

function newRecords(effects: Effect[]): NewRecords {
  const found: NewRecords = { groups: [], options: [], threads: [], messages: [] };
  for (const e of effects) {
    if (e.op !== 'insert') continue;
    const newRecord = e.path.length === 3 && e.path[2]!.existing === null;
    if (e.root === BRACKETS_MAP) {
      if (e.path.length === 0 && e.content.kind === 'type' && e.key !== null) found.groups.push(e.key);
      if (newRecord && e.key === O.id && e.content.kind === 'value') found.options.push({ id: e.content.value, group: e.path[0]!.key });
    } else if (e.root === COMMENTS_MAP) {
      if (e.path.length === 0 && e.content.kind === 'type' && e.key !== null) found.threads.push(e.key);
      if (newRecord && e.key === M.id && e.content.kind === 'value') found.messages.push(e.content.value);
    }
  }
  return found;
}

function freshIdProblem(doc: Y.Doc, effects: Effect[]): string | null {
  const created = newRecords(effects);
  if (created.groups.length + created.options.length + created.threads.length + created.messages.length === 0) return null;
  const ids = existingIds(doc);
  // Group keys and option ids are one namespace: a withdrawal names either.
  const bracketIds = new Set<string>([...ids.groups, ...ids.options.keys()]);
  for (const id of [...created.groups, ...created.options.map((o) => o.id)]) {
    if (typeof id !== 'string' || id.length === 0) return 'A bracket option needs an id';
    if (bracketIds.has(id)) return `The id ${id} is already used by another bracket or option`;
    bracketIds.add(id);
  }
  const commentIds = new Set<string>([...ids.threads, ...ids.messages]);
  for (const id of [...created.threads, ...created.messages]) {
    if (typeof id !== 'string' || id.length === 0) return 'A comment needs an id';
    if (commentIds.has(id)) return `The id ${id} is already used by another comment`;
    commentIds.add(id);
  }
  return null;
}

// ---- block ids ----

const textBlocks = new Set<string>(TEXT_BLOCKS);

function isTextBlock(step: { typeName: string; nodeName: string | null } | undefined): boolean {
  return step !== undefined && step.typeName === 'xmlElement' && step.nodeName !== null && textBlocks.has(step.nodeName);
}

/**
 * After the update, every paragraph id is held by one block at most. (Editors
 * may move an id from one element to another when a paragraph is split; what
 * they never do is give two paragraphs one id, which would let a delegate put
 * an open paragraph under an agreed one's status, or take its comments.)
 */
function blockIdProblem(doc: Y.Doc, effects: Effect[]): string | null {
  const assigned: Array<{ element: Y.XmlElement | null; id: unknown }> = [];
  for (const e of effects) {
    if (e.root !== BODY_FRAGMENT || e.op !== 'insert' || e.key !== BLOCK_ID_ATTR || !isTextBlock(e.path[e.path.length - 1])) continue;
    if (e.content.kind !== 'value') return 'A paragraph id is a string';
    assigned.push({ element: e.path[e.path.length - 1]!.existing as Y.XmlElement | null, id: e.content.value });
  }
  if (assigned.length === 0) return null;
  const gone = removedBlocks(effects);
  for (const { element } of assigned) if (element) gone.add(element);
  const holders = new Set<string>();
  collectIds(doc.getXmlFragment(BODY_FRAGMENT), gone, holders);
  for (const { id } of assigned) {
    if (typeof id !== 'string' || id.length === 0) return 'A paragraph id is a string';
    if (holders.has(id)) return `Paragraph id ${id} is already used by another paragraph`;
    holders.add(id);
  }
  return null;
}

/** Existing elements this update deletes, or whose id it replaces. */
function removedBlocks(effects: Effect[]): Set<Y.XmlElement> {
  const gone = new Set<Y.XmlElement>();
  for (const e of effects) {
    if (e.op === 'delete' && e.content.kind === 'type' && e.content.existing instanceof Y.XmlElement) gone.add(e.content.existing);
  }
  return gone;
}

function collectIds(parent: Y.XmlFragment | Y.XmlElement, gone: Set<Y.XmlElement>, into: Set<string>): void {
  for (const child of parent.toArray()) {
    if (!(child instanceof Y.XmlElement) || gone.has(child)) continue;
    const id = child.getAttribute(BLOCK_ID_ATTR) as unknown;
    if (textBlocks.has(child.nodeName) && typeof id === 'string') into.add(id);
    collectIds(child, gone, into);
  }
}

// ---- bracket marks ----

/**
 * A bracket mark is `{ group, option }`, naming a group that exists (or that
 * this update creates) and one of that group's options, in the paragraph the
 * group belongs to. (Removing a mark sets it to null.)
 */
function bracketMarkProblem(doc: Y.Doc, effects: Effect[]): string | null {
  const marks = effects.filter((e) => e.root === BODY_FRAGMENT && e.op === 'insert' && e.content.kind === 'format' && e.content.key === BRACKET_MARK);
  if (marks.length === 0) return null;
  const created = newRecords(effects);
  const newGroups = new Set(created.groups);
  const newOptions = new Map(created.options.map((o) => [String(o.id), o.group]));
  const newParagraphOf = new Map<string, unknown>();
  for (const e of effects) {
    if (e.root === BRACKETS_MAP && e.op === 'insert' && e.path.length === 1 && e.key === G.paragraphId && e.content.kind === 'value') {
      newParagraphOf.set(String(e.path[0]!.key), e.content.value);
    }
  }
  const groups = doc.getMap<unknown>(BRACKETS_MAP);
  for (const e of marks) {
    const value = (e.content as { value: unknown }).value;
    if (value === null || value === undefined) continue;
    if (!isMarkValue(value)) return 'A bracket mark names a bracket group and one of its options';
    const existing = groups.get(value.group);
    const group = existing instanceof Y.Map && !newGroups.has(value.group) ? existing : null;
    if (!group && !newGroups.has(value.group)) return `No bracket group ${value.group}`;
    const inGroup = newOptions.get(value.option) === value.group || (group !== null && mapsIn(group, G.options).some((o) => o.get(O.id) === value.option));
    if (!inGroup) return `No option ${value.option} in bracket group ${value.group}`;
    const block = [...e.path].reverse().find((step) => isTextBlock(step));
    if (!block?.existing) continue; // a new paragraph: its id is judged with the block ids
    const paragraphId = group ? group.get(G.paragraphId) : newParagraphOf.get(value.group);
    if ((block.existing as Y.XmlElement).getAttribute(BLOCK_ID_ATTR) !== paragraphId) {
      return 'A bracket belongs to one paragraph: its text cannot be marked in another';
    }
  }
  return null;
}

function isMarkValue(value: unknown): value is { group: string; option: string } {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const { group, option, ...rest } = value as Record<string, unknown>;
  return typeof group === 'string' && typeof option === 'string' && Object.keys(rest).length === 0;
}
