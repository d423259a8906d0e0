import * as Y from 'yjs';
import { FocusSetting, SettingKeys, type Actor } from '../schema/negotiation.js';
import { settings } from './drafting-mode.js';
import { nowIso } from './ids.js';
import { body, listBlocks, type Block } from './paragraphs.js';

/**
 * The paragraph under discussion (README, "Document format": `focus`): set by
 * the chair or the secretariat in the settings map, where the server's update
 * rules refuse it from anyone else. Screens and following laptops read it by
 * paragraph id, so edits elsewhere never move it.
 *
 * `anchor` is always where the paragraph stands in the body: a Yjs relative
 * position on the body fragment at the index of the top-level element that
 * holds the paragraph. That element's tombstone survives its deletion (its
 * parent, the body, is never deleted, so garbage collection keeps the
 * struct), and the position then resolves to the index where it stood: the
 * element that followed it, so "3.5 was deleted: now at 3.6". A caret
 * position inside the paragraph's text would not do: once the paragraph is
 * deleted and collected, nothing says where it was.
 */

export type MeetingFocus = {
  /** The paragraph shown: the one set, or the nearest remaining one when that was deleted. */
  paragraphId: string;
  ref: string | null;
  by: Actor;
  at: string;
  anchor: string | null;
  /** The paragraph set is gone and this is the nearest remaining one. */
  moved: boolean;
};

export function setFocus(doc: Y.Doc, input: { paragraphId: string; anchor?: string | undefined; actor: Actor }, origin?: unknown): void {
  // The caller's anchor (a caret) is not kept: see above for why the body place is stored instead.
  const setting: FocusSetting = {
    paragraphId: input.paragraphId,
    anchor: placeOf(doc, input.paragraphId),
    by: { name: input.actor.name, delegation: input.actor.delegation },
    at: nowIso(),
  };
  doc.transact(() => settings(doc).set(SettingKeys.focus, setting), origin);
}

export function clearFocus(doc: Y.Doc, origin?: unknown): void {
  doc.transact(() => settings(doc).delete(SettingKeys.focus), origin);
}

/** The paragraph under discussion; null when none is set, the setting is unreadable, or nothing remains to show. */
export function readFocus(doc: Y.Doc): MeetingFocus | null {
  const parsed = FocusSetting.safeParse(settings(doc).get(SettingKeys.focus));
  if (!parsed.success) return null;
  const { paragraphId, by, at } = parsed.data;
  const anchor = parsed.data.anchor ?? null;
  const blocks = listBlocks(doc).filter((b): b is Block & { id: string } => b.id !== null);
  const set = blocks.find((b) => b.id === paragraphId);
  if (set) return { paragraphId, ref: set.ref, by, at, anchor, moved: false };
  const nearest = anchor ? nearestTo(doc, blocks, anchor) : undefined;
  return nearest ? { paragraphId: nearest.id, ref: nearest.ref, by, at, anchor, moved: true } : null;
}

/** The body place of a paragraph, base64 of an encoded relative position; null when it is not in the body. */
function placeOf(doc: Y.Doc, paragraphId: string): string | null {
  const block = listBlocks(doc).find((b) => b.id === paragraphId);
  if (!block) return null;
  const fragment = body(doc);
  const index = fragment.toArray().indexOf(topLevel(block.element, fragment));
  if (index < 0) return null;
  return toBase64(Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(fragment, index)));
}

/** The first block at or after the place the anchor resolves to in the body, else the last one before it. */
function nearestTo<B extends Block>(doc: Y.Doc, blocks: readonly B[], anchor: string): B | undefined {
  let index: number;
  try {
    const absolute = Y.createAbsolutePositionFromRelativePosition(Y.decodeRelativePosition(fromBase64(anchor)), doc);
    if (!absolute || absolute.type !== body(doc)) return undefined;
    index = absolute.index;
  } catch {
    return undefined; // An anchor that is not a relative position: nothing says where the paragraph was.
  }
  const fragment = body(doc);
  const tops = new Map(fragment.toArray().map((child, i) => [child, i]));
  const placed = blocks.map((block) => ({ block, at: tops.get(topLevel(block.element, fragment)) ?? -1 }));
  return placed.find((p) => p.at >= index)?.block ?? placed.filter((p) => p.at >= 0 && p.at < index).at(-1)?.block;
}

function topLevel(element: Y.XmlElement, fragment: Y.XmlFragment): Y.XmlElement {
  let node: Y.XmlElement = element;
  while (node.parent && node.parent !== fragment && node.parent instanceof Y.XmlElement) node = node.parent;
  return node;
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}
