import * as Y from 'yjs';
import type { z } from 'zod';
import {
  BracketGroupFields,
  BracketGroupKeys as G,
  BracketMarkAttrs,
  BracketOptionFields,
  BracketOptionKeys as O,
  CommentMessageFields,
  CommentMessageKeys as M,
  CommentThreadFields,
  CommentThreadKeys as T,
  ParagraphMeta,
  Position,
} from '../schema/negotiation.js';

/**
 * The one place that decides whether an entry of the negotiation maps can be
 * read. Data reaches a document from old versions, imports or a bug, and the
 * update check cannot vouch for what was stored before it: every reader goes
 * through these guards, skips what does not match the schema and reports it,
 * so one bad entry never hides the good ones.
 */

/** Which part of the document a damaged record is in ('body' for a bracket mark on the text). */
export type DamagedPlace = 'brackets' | 'comments' | 'paragraphs' | 'body';

export type DamagedRecord = {
  where: DamagedPlace;
  /**
   * The entry's key (group, thread or paragraph id); for a part of an entry,
   * `group/option 2` or `thread/message 1` (1 = first); for a bracket mark,
   * the id of the paragraph holding it.
   */
  id: string;
  /** What is wrong, for the log. */
  problem: string;
};

export type OnDamaged = (record: DamagedRecord) => void;

export type OptionRecord = {
  map: Y.Map<unknown>;
  fields: BracketOptionFields;
  proponents: string[];
  supporters: string[];
};

/** A delegation's entry in `bracketedBy`, `proponents` or `supporters`, as shown ("bracketed by Brazil, 10:42"). */
export type PositionEntry = { delegation: string; name: string; at: string };

export type GroupRecord = {
  map: Y.Map<unknown>;
  fields: BracketGroupFields;
  /** Who bracketed the original text, in the order they did; null for a group made before `bracketedBy` existed (see migrate-document.ts). */
  bracketedBy: PositionEntry[] | null;
  options: OptionRecord[];
  /** Ids of options left out as damaged, so text marked with them is not reported a second time. */
  damagedOptionIds: Set<string>;
};

type MessageRecord = { map: Y.Map<unknown>; fields: CommentMessageFields };

export type ThreadRecord = { map: Y.Map<unknown>; fields: CommentThreadFields; messages: MessageRecord[] };

/** What a value is, for the log (not constructor.name: a production build renames the Yjs classes). */
function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (value instanceof Y.Map) return 'Y.Map';
  if (value instanceof Y.Array) return 'Y.Array';
  if (value instanceof Y.XmlText) return 'Y.XmlText';
  if (value instanceof Y.Text) return 'Y.Text';
  if (value instanceof Y.AbstractType) return 'a Yjs type';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'does not match the schema';
  return issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message;
}

/** The listed keys of a Y.Map as a plain object, for zod. */
function fieldsOf(map: Y.Map<unknown>, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) out[key] = map.get(key);
  return out;
}

function parseMap<S extends z.ZodType>(
  value: unknown,
  schema: S,
  keys: readonly string[],
  report: (problem: string) => void,
): { map: Y.Map<unknown>; fields: z.infer<S> } | null {
  if (!(value instanceof Y.Map)) {
    report(`expected a Y.Map, found ${kindOf(value)}`);
    return null;
  }
  const parsed = schema.safeParse(fieldsOf(value as Y.Map<unknown>, keys));
  if (!parsed.success) {
    report(firstIssue(parsed.error));
    return null;
  }
  return { map: value as Y.Map<unknown>, fields: parsed.data };
}

/** Delegations of a proponents/supporters map (null when it is not a Y.Map: supporting writes into it). */
function delegationsOf(value: unknown): string[] | null {
  return value instanceof Y.Map ? [...(value as Y.Map<unknown>).keys()].sort() : null;
}

/** The entries of a position map (`bracketedBy`...), oldest first; an entry whose value is not `{ name, at }` still names its delegation. */
function positionEntries(map: Y.Map<unknown>): PositionEntry[] {
  const entries: PositionEntry[] = [];
  for (const [delegation, value] of map.entries()) {
    const parsed = Position.safeParse(value);
    entries.push({ delegation, name: parsed.success ? parsed.data.name : '', at: parsed.success ? parsed.data.at : '' });
  }
  return entries.sort((a, b) => a.at.localeCompare(b.at) || a.delegation.localeCompare(b.delegation));
}

const GROUP_KEYS = [G.paragraphId, G.createdBy, G.createdAt, G.status, G.resolution];
const OPTION_KEYS = [O.id, O.kind, O.note, O.createdBy, O.createdAt];
const THREAD_KEYS = [T.paragraphId, T.createdAt, T.status, T.statusBy, T.statusAt];
const MESSAGE_KEYS = [M.id, M.author, M.at, M.text, M.editedAt, M.deleted];

/**
 * A bracket group entry, with the options that can be read. A damaged option
 * (not a map, no id, an id already taken) is left out and reported on its own:
 * the group and its other options stay.
 */
export function readGroup(id: string, value: unknown, onDamaged?: OnDamaged): GroupRecord | null {
  const damaged = (where: string, problem: string) => onDamaged?.({ where: 'brackets', id: where, problem });
  const group = parseMap(value, BracketGroupFields, GROUP_KEYS, (problem) => damaged(id, problem));
  if (!group) return null;
  const list = group.map.get(G.options);
  if (!(list instanceof Y.Array)) {
    damaged(id, `options: expected a Y.Array, found ${kindOf(list)}`);
    return null;
  }
  const bracketers = group.map.get(G.bracketedBy);
  if (bracketers !== undefined && !(bracketers instanceof Y.Map)) {
    damaged(id, `bracketedBy: expected a Y.Map, found ${kindOf(bracketers)}`);
    return null;
  }
  const bracketedBy = bracketers instanceof Y.Map ? positionEntries(bracketers as Y.Map<unknown>) : null;
  const options: OptionRecord[] = [];
  const damagedOptionIds = new Set<string>();
  const seen = new Set<string>();
  (list as Y.Array<unknown>).forEach((item, index) => {
    const where = `${id}/option ${index + 1}`;
    const skip = (problem: string) => {
      damaged(where, problem);
      const claimed = item instanceof Y.Map ? (item as Y.Map<unknown>).get(O.id) : undefined;
      if (typeof claimed === 'string' && !seen.has(claimed)) damagedOptionIds.add(claimed);
    };
    const option = parseMap(item, BracketOptionFields, OPTION_KEYS, skip);
    if (!option) return;
    const proponents = delegationsOf(option.map.get(O.proponents));
    const supporters = delegationsOf(option.map.get(O.supporters));
    if (!proponents || !supporters) {
      const key = proponents ? O.supporters : O.proponents;
      skip(`${key}: expected a Y.Map, found ${kindOf(option.map.get(key))}`);
      return;
    }
    if (seen.has(option.fields.id)) {
      damaged(where, `id ${option.fields.id} is already used by another option of this group`);
      return;
    }
    seen.add(option.fields.id);
    damagedOptionIds.delete(option.fields.id);
    options.push({ ...option, proponents, supporters });
  });
  return { ...group, bracketedBy, options, damagedOptionIds };
}

/** A comment thread entry, with the messages that can be read (a damaged message is left out and reported). */
export function readThread(id: string, value: unknown, onDamaged?: OnDamaged): ThreadRecord | null {
  const damaged = (where: string, problem: string) => onDamaged?.({ where: 'comments', id: where, problem });
  const thread = parseMap(value, CommentThreadFields, THREAD_KEYS, (problem) => damaged(id, problem));
  if (!thread) return null;
  const list = thread.map.get(T.messages);
  if (!(list instanceof Y.Array)) {
    damaged(id, `messages: expected a Y.Array, found ${kindOf(list)}`);
    return null;
  }
  const messages: MessageRecord[] = [];
  (list as Y.Array<unknown>).forEach((item, index) => {
    const message = parseMap(item, CommentMessageFields, MESSAGE_KEYS, (problem) => damaged(`${id}/message ${index + 1}`, problem));
    if (message) messages.push(message);
  });
  return { ...thread, messages };
}

/** A `paragraphs` entry: a plain `{ status, by, at, text }` value. */
export function readParagraphMeta(id: string, value: unknown, onDamaged?: OnDamaged): ParagraphMeta | null {
  const parsed = ParagraphMeta.safeParse(value);
  if (parsed.success) return parsed.data;
  onDamaged?.({ where: 'paragraphs', id, problem: value instanceof Y.AbstractType ? `expected { status, by, at }, found ${kindOf(value)}` : firstIssue(parsed.error) });
  return null;
}

/**
 * The bracket mark of a text run: its `{ group, option }`, null when the run
 * carries none, 'malformed' when it carries something else (a string, a
 * number, an object without `option`).
 */
export function readBracketMark(value: unknown): BracketMarkAttrs | null | 'malformed' {
  if (value === undefined || value === null) return null;
  const parsed = BracketMarkAttrs.safeParse(value);
  return parsed.success ? parsed.data : 'malformed';
}

/** A short description of a mark's value for the log (never the whole value: it may be large). */
export function describeValue(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = kindOf(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
