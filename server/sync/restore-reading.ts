import * as Y from 'yjs';
import { migrateDocument } from '../../shared/model/migrate-document.js';
import { BLOCK_ID_ATTR, BRACKETS_MAP, COMMENTS_MAP, PARAGRAPHS_MAP, SETTINGS_MAP } from '../../shared/schema/negotiation.js';
import { BODY_FRAGMENT, TEXT_BLOCKS } from '../../shared/schema/ydoc.js';
import type { TouchedParagraphs } from '../check/touched-paragraphs.js';

/**
 * The negotiation maps a restore brings back. The change record (CHANGES_MAP)
 * is not among them: it says who changed what, and the restore is itself a
 * change, recorded there as the secretariat's.
 */
const RESTORED_MAPS = [PARAGRAPHS_MAP, BRACKETS_MAP, COMMENTS_MAP, SETTINGS_MAP] as const;

/** A restore as a forward change: one Yjs update written under a client id of its own, and the paragraphs it touches. */
export type RestoreChange = { update: Uint8Array; clientId: number; paragraphs: TouchedParagraphs };

type Child = Y.XmlElement | Y.XmlText;

const textBlocks = new Set<string>(TEXT_BLOCKS);

function blockIds(node: Child, into: Set<string>): void {
  if (!(node instanceof Y.XmlElement)) return;
  const id = node.getAttribute(BLOCK_ID_ATTR) as unknown;
  if (textBlocks.has(node.nodeName) && typeof id === 'string' && id) into.add(id);
  for (const child of node.toArray()) blockIds(child as Child, into);
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(toPlain(a)) === JSON.stringify(toPlain(b));
const toPlain = (value: unknown): unknown => (value instanceof Y.AbstractType ? value.toJSON() : value);
const copy = (value: unknown): unknown => (value instanceof Y.AbstractType ? value.clone() : value);

/** A client id no struct of the document uses yet (Yjs picks them at random). */
function freshClientId(doc: Y.Doc): number {
  let id = doc.clientID;
  while (doc.store.clients.has(id)) id = Math.floor(Math.random() * 0xffffffff);
  return id;
}

/**
 * The change that turns `live` into the text and negotiation of a reading
 * (its full state, `readingState`), computed on a copy: the caller applies
 * it to the live document in one transaction, so nobody ever sees half of it,
 * and the history stays (the restore deletes and inserts, it never rewinds).
 *
 * Only the blocks that differ are replaced: the blocks before the first
 * difference and after the last one are kept as they are, so a delegate's
 * pending edit in an untouched paragraph still lands. An edit made
 * concurrently in a replaced block lands in the deleted copy and is not seen.
 * Returns null when the live document already reads as the reading.
 */
export function restoreChange(live: Y.Doc, readingState: Uint8Array): RestoreChange | null {
  const reading = new Y.Doc();
  Y.applyUpdate(reading, readingState);
  migrateDocument(reading);
  const work = new Y.Doc();
  Y.applyUpdate(work, Y.encodeStateAsUpdate(live));
  work.clientID = freshClientId(work);
  const before = Y.encodeStateVector(work);
  const paragraphs: TouchedParagraphs = { edited: new Set(), deleted: new Set() };

  work.transact(() => {
    const body = work.getXmlFragment(BODY_FRAGMENT);
    const now = body.toArray() as Child[];
    const then = reading.getXmlFragment(BODY_FRAGMENT).toArray() as Child[];
    let head = 0;
    while (head < now.length && head < then.length && now[head]!.toString() === then[head]!.toString()) head++;
    let tail = 0;
    while (
      tail < now.length - head &&
      tail < then.length - head &&
      now[now.length - 1 - tail]!.toString() === then[then.length - 1 - tail]!.toString()
    ) {
      tail++;
    }
    const removed = now.slice(head, now.length - tail);
    const inserted = then.slice(head, then.length - tail);
    const gone = new Set<string>();
    for (const node of removed) blockIds(node, gone);
    for (const node of inserted) blockIds(node, paragraphs.edited);
    for (const id of gone) if (!paragraphs.edited.has(id)) paragraphs.deleted.add(id);
    if (removed.length > 0) body.delete(head, removed.length);
    if (inserted.length > 0) body.insert(head, inserted.map((node) => node.clone()));

    for (const name of RESTORED_MAPS) {
      const target = work.getMap<unknown>(name);
      const source = reading.getMap<unknown>(name);
      for (const key of [...target.keys()]) if (!source.has(key)) target.delete(key);
      for (const [key, value] of source.entries()) if (!target.has(key) || !same(target.get(key), value)) target.set(key, copy(value));
    }
  });

  const update = Y.encodeStateAsUpdate(work, before);
  const changed = Y.encodeStateVector(work).toString() !== before.toString() || Y.decodeUpdate(update).ds.clients.size > 0;
  const change = changed ? { update, clientId: work.clientID, paragraphs } : null;
  reading.destroy();
  work.destroy();
  return change;
}
