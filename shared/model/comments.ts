import * as Y from 'yjs';
import {
  COMMENTS_MAP,
  CommentMessageKeys as M,
  CommentText,
  CommentThreadKeys as T,
  type Actor,
  type ThreadStatus,
} from '../schema/negotiation.js';
import { ModelError } from './errors.js';
import { newId, nowIso } from './ids.js';
import { compareCreation } from './creation-order.js';
import { listBlocks } from './paragraphs.js';
import { readThread, type OnDamaged, type ThreadRecord } from './record-guards.js';

/**
 * Comment threads hang on a paragraph id, not on a character range: a
 * delegation's remark is about "3.5 c)", whatever happens to its words. A
 * thread whose paragraph was deleted is orphaned, never dropped.
 */

export type CommentView = {
  id: string;
  author: Actor;
  at: string;
  text: string;
  editedAt: string | null;
  deleted: boolean;
};

export type ThreadView = {
  id: string;
  paragraphId: string;
  createdAt: string;
  status: ThreadStatus;
  statusBy: Actor | null;
  statusAt: string | null;
  messages: CommentView[];
  /** True when its paragraph no longer exists. */
  orphaned: boolean;
};

/** The raw map: its values are not trusted (read them through readThread, or listThreads). */
export function commentThreads(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap<unknown>(COMMENTS_MAP);
}

function commentText(text: string): string {
  const parsed = CommentText.safeParse(text);
  if (!parsed.success) throw new ModelError(parsed.error.issues[0]?.message ?? 'invalid comment');
  return parsed.data;
}

function message(actor: Actor, text: string): Y.Map<unknown> {
  return new Y.Map<unknown>([
    [M.id, newId()],
    [M.author, { name: actor.name, delegation: actor.delegation }],
    [M.at, nowIso()],
    [M.text, commentText(text)],
  ]);
}

function requireThread(doc: Y.Doc, threadId: string): ThreadRecord {
  const value = commentThreads(doc).get(threadId);
  if (value === undefined) throw new ModelError(`No comment thread ${threadId}`, 'not-found');
  const thread = readThread(threadId, value);
  if (!thread) throw new ModelError('This comment thread is damaged and cannot be changed; ask the secretariat');
  return thread;
}

function messagesOf(thread: ThreadRecord): Y.Array<Y.Map<unknown>> {
  return thread.map.get(T.messages) as Y.Array<Y.Map<unknown>>;
}

function requireOwnMessage(thread: ThreadRecord, messageId: string, actor: Actor): Y.Map<unknown> {
  const found = thread.messages.find((m) => m.fields.id === messageId);
  if (!found) throw new ModelError(`No comment ${messageId}`, 'not-found');
  if (!isAuthor(found.fields.author, actor)) {
    throw new ModelError('Only its author can change a comment', 'forbidden');
  }
  if (found.fields.deleted === true) throw new ModelError('This comment was deleted');
  return found.map;
}

export function isAuthor(author: Actor, actor: Actor): boolean {
  return author.name === actor.name && author.delegation === actor.delegation;
}

export function addThread(
  doc: Y.Doc,
  input: { paragraphId: string; text: string; actor: Actor },
  origin?: unknown,
): { threadId: string } {
  if (!listBlocks(doc).some((b) => b.id === input.paragraphId)) {
    throw new ModelError(`No paragraph with id ${input.paragraphId}`, 'not-found');
  }
  const threadId = newId();
  const first = message(input.actor, input.text);
  doc.transact(() => {
    const messages = new Y.Array<Y.Map<unknown>>();
    messages.push([first]);
    commentThreads(doc).set(
      threadId,
      new Y.Map<unknown>([
        [T.paragraphId, input.paragraphId],
        [T.createdAt, nowIso()],
        [T.status, 'open'],
        [T.messages, messages],
      ]),
    );
  }, origin);
  return { threadId };
}

export function reply(doc: Y.Doc, input: { threadId: string; text: string; actor: Actor }, origin?: unknown): { messageId: string } {
  const thread = requireThread(doc, input.threadId);
  const reply = message(input.actor, input.text);
  doc.transact(() => messagesOf(thread).push([reply]), origin);
  return { messageId: reply.get(M.id) as string };
}

export function editComment(
  doc: Y.Doc,
  input: { threadId: string; messageId: string; text: string; actor: Actor },
  origin?: unknown,
): void {
  const found = requireOwnMessage(requireThread(doc, input.threadId), input.messageId, input.actor);
  const text = commentText(input.text);
  doc.transact(() => {
    found.set(M.text, text);
    found.set(M.editedAt, nowIso());
  }, origin);
}

/** Deleting keeps a "deleted" placeholder so the replies still read in order. */
export function deleteComment(
  doc: Y.Doc,
  input: { threadId: string; messageId: string; actor: Actor },
  origin?: unknown,
): void {
  const found = requireOwnMessage(requireThread(doc, input.threadId), input.messageId, input.actor);
  doc.transact(() => {
    found.set(M.text, '');
    found.set(M.deleted, true);
  }, origin);
}

export function setThreadStatus(
  doc: Y.Doc,
  input: { threadId: string; status: ThreadStatus; actor: Actor },
  origin?: unknown,
): void {
  const thread = requireThread(doc, input.threadId);
  doc.transact(() => {
    thread.map.set(T.status, input.status);
    thread.map.set(T.statusBy, { name: input.actor.name, delegation: input.actor.delegation });
    thread.map.set(T.statusAt, nowIso());
  }, origin);
}

/**
 * Every thread that can be read, in paragraph order, orphaned ones last.
 * Damaged threads and messages are skipped, and reported to `onDamaged` when
 * given.
 */
export function listThreads(doc: Y.Doc, onDamaged?: OnDamaged): ThreadView[] {
  const order = new Map<string, number>();
  listBlocks(doc).forEach((b, i) => {
    if (b.id && !order.has(b.id)) order.set(b.id, i);
  });
  const records = new Map<string, ThreadRecord>();
  for (const [id, value] of commentThreads(doc).entries()) {
    const record = readThread(id, value, onDamaged);
    if (record) records.set(id, record);
  }
  return threadViewsOf(records, order);
}

/**
 * Threads as views, in paragraph order (`order`: each paragraph id's first
 * index in the body), orphaned ones last: the one ordering of the list, also
 * used by the client's index.
 */
export function threadViewsOf(records: ReadonlyMap<string, ThreadRecord>, order: ReadonlyMap<string, number>): ThreadView[] {
  const views = [...records].map(([id, { fields, messages }]): ThreadView => ({
    id,
    paragraphId: fields.paragraphId,
    createdAt: fields.createdAt,
    status: fields.status,
    statusBy: fields.statusBy ?? null,
    statusAt: fields.statusAt ?? null,
    messages: messages.map(({ fields: m }) => ({
      id: m.id,
      author: m.author,
      at: m.at,
      text: m.text,
      editedAt: m.editedAt ?? null,
      deleted: m.deleted === true,
    })),
    orphaned: !order.has(fields.paragraphId),
  }));
  const rank = (t: ThreadView) => order.get(t.paragraphId) ?? Number.MAX_SAFE_INTEGER;
  return views.sort(
    (a, b) =>
      rank(a) - rank(b) ||
      a.createdAt.localeCompare(b.createdAt) ||
      compareCreation(records.get(a.id)!.map as Y.AbstractType<unknown>, records.get(b.id)!.map as Y.AbstractType<unknown>),
  );
}
