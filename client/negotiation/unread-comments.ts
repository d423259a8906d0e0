import { isAuthor, type CommentView, type ThreadView } from '../../shared/model/comments.js';
import type { Actor } from '../../shared/schema/negotiation.js';

/**
 * What a person has read of a document's comments: per thread, the ids of
 * the messages they saw. Ids, not a time: messages carry their author's
 * clock, and two replies sent at once may be ordered either way once merged,
 * so "everything after the last one seen" would miss one. Kept per person
 * and document in the browser's storage (see readMarksKey), so a reload or
 * the next morning still knows what was read.
 */
export type ReadMarks = Readonly<Record<string, readonly string[]>>;

export const NO_MARKS: ReadMarks = {};

/** A message that arrived in a thread: by someone else, not yet seen on this page. */
export type Arrival = { thread: ThreadView; message: CommentView };

/** Another person's message not deleted and not seen: one's own messages are read by writing them. */
function unreadMessage(message: CommentView, seen: ReadonlySet<string> | null, reader: Actor | null): boolean {
  if (message.deleted) return false;
  if (reader && isAuthor(message.author, reader)) return false;
  return !seen?.has(message.id);
}

export function unreadIn(thread: ThreadView, marks: ReadMarks, reader: Actor | null): number {
  const ids = marks[thread.id];
  const seen = ids ? new Set(ids) : null;
  let count = 0;
  for (const message of thread.messages) if (unreadMessage(message, seen, reader)) count++;
  return count;
}

/** Unread messages per thread, for the threads that have any. */
export function unreadCounts(threads: readonly ThreadView[], marks: ReadMarks, reader: Actor | null): ReadonlyMap<string, number> {
  const counts = new Map<string, number>();
  for (const thread of threads) {
    const count = unreadIn(thread, marks, reader);
    if (count > 0) counts.set(thread.id, count);
  }
  return counts;
}

/** Unread messages per paragraph that still exists (what its comment badge shows), from the counts per thread. */
export function unreadByParagraph(threads: readonly ThreadView[], counts: ReadonlyMap<string, number>): ReadonlyMap<string, number> {
  const byParagraph = new Map<string, number>();
  for (const thread of threads) {
    const count = counts.get(thread.id);
    if (count && !thread.orphaned) byParagraph.set(thread.paragraphId, (byParagraph.get(thread.paragraphId) ?? 0) + count);
  }
  return byParagraph;
}

/** The marks once this thread has been read as it stands; the same object when nothing in it was new. */
export function markThreadRead(marks: ReadMarks, thread: ThreadView): ReadMarks {
  const known = new Set(marks[thread.id] ?? []);
  const fresh = thread.messages.filter((m) => !known.has(m.id)).map((m) => m.id);
  if (fresh.length === 0) return marks;
  return { ...marks, [thread.id]: [...known, ...fresh] };
}

/** What two pages (two tabs of one person) read, together: reading is never undone. */
export function mergeReadMarks(a: ReadMarks, b: ReadMarks): ReadMarks {
  const merged: Record<string, readonly string[]> = { ...a };
  for (const [threadId, ids] of Object.entries(b)) {
    const known = new Set(merged[threadId] ?? []);
    const fresh = ids.filter((id) => !known.has(id));
    if (fresh.length) merged[threadId] = [...known, ...fresh];
  }
  return merged;
}

/**
 * Messages of others present in `after` and not in `known` (the message ids
 * this page already had): what arrived with the latest change. `known` gains
 * them, so each message arrives once.
 */
export function takeArrivals(after: readonly ThreadView[], known: Set<string>, reader: Actor | null): Arrival[] {
  const arrivals: Arrival[] = [];
  for (const thread of after) {
    for (const message of thread.messages) {
      if (known.has(message.id)) continue;
      known.add(message.id);
      if (!message.deleted && !(reader && isAuthor(message.author, reader))) arrivals.push({ thread, message });
    }
  }
  return arrivals;
}

/**
 * The quiet notice the chair and the secretariat get as comments arrive:
 * who, and on which paragraph; several at once (a reconnection, a busy
 * minute) make one line.
 */
export function arrivalNotice(arrivals: readonly Arrival[], refOf: (paragraphId: string) => string | null): string {
  if (arrivals.length === 1) {
    const { thread, message } = arrivals[0]!;
    const where = thread.orphaned ? 'a deleted paragraph' : `¶ ${refOf(thread.paragraphId) ?? '(unnumbered)'}`;
    const verb = thread.messages[0]?.id === message.id ? 'commented on' : 'replied on';
    return `${message.author.delegation} (${message.author.name}) ${verb} ${where}`;
  }
  const from = [...new Set(arrivals.map((a) => a.message.author.delegation))];
  const names = from.length > 3 ? `${from.slice(0, 3).join(', ')} and ${from.length - 3} more` : from.join(', ');
  return `${arrivals.length} new comments, from ${names}`;
}

/** Every key of read marks starts so (see readMarksKey). */
export const READ_MARKS_PREFIX = 'nde.read.';

/** Where one person's marks of one document are kept: a reader is their name and delegation, as their comments are signed. */
export function readMarksKey(documentId: string, reader: Actor): string {
  return `${READ_MARKS_PREFIX}${documentId}.${encodeURIComponent(reader.delegation)}.${encodeURIComponent(reader.name)}`;
}

/** Forgets every reader's marks of a document (its access ended: nothing of it stays on this computer). */
export function forgetReadMarks(storage: Pick<Storage, 'length' | 'key' | 'removeItem'>, documentId: string): void {
  const prefix = `${READ_MARKS_PREFIX}${documentId}.`;
  const keys: string[] = [];
  for (let i = 0; i < storage.length; i++) {
    const key = storage.key(i);
    if (key?.startsWith(prefix)) keys.push(key);
  }
  for (const key of keys) storage.removeItem(key);
}

function isMarks(value: unknown): value is ReadMarks {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  return Object.values(value).every((ids) => Array.isArray(ids) && ids.every((id) => typeof id === 'string'));
}

/** The stored marks; none when absent, unreadable or storage is off (private mode): then everything reads as unread. */
export function loadReadMarks(storage: Pick<Storage, 'getItem'>, key: string): ReadMarks {
  try {
    const value: unknown = JSON.parse(storage.getItem(key) ?? 'null');
    return isMarks(value) ? value : NO_MARKS;
  } catch {
    return NO_MARKS;
  }
}

/** Stores the marks, merged with what another tab of the same person may have stored meanwhile; returns what is stored. */
export function saveReadMarks(storage: Pick<Storage, 'getItem' | 'setItem'>, key: string, marks: ReadMarks): ReadMarks {
  const merged = mergeReadMarks(loadReadMarks(storage, key), marks);
  try {
    storage.setItem(key, JSON.stringify(merged));
  } catch {
    // Full or disabled storage: the marks hold for this page only.
  }
  return merged;
}
