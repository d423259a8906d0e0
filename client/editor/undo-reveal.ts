import type { Editor } from '@tiptap/core';
import * as Y from 'yjs';
import { paragraphMetas } from '../../shared/model/paragraph-status.js';
import { BLOCK_ID_ATTR, BracketGroupKeys } from '../../shared/schema/negotiation.js';
import { paragraphFlashKey } from './extensions/paragraph-flash.js';
import { findBlockPos } from './positions.js';

/**
 * Ctrl+Z takes back this person's last change wherever it was: typed an hour
 * ago on 2.6 while reading 3.5, it would vanish off-screen unseen. Before an
 * undo (or a redo) the paragraph it changes comes into view and flashes; when
 * one is on screen already, nothing moves.
 */

/** What an undo-stack item changes: undoing deletes its insertions and brings back its deletions. */
type StackChanges = Pick<Y.UndoManager['undoStack'][number], 'insertions' | 'deletions'>;

const idOf = (value: unknown): string | null => (typeof value === 'string' && value.length > 0 ? value : null);

/**
 * The paragraph a shared type is part of: the text block element holding it
 * (its `id` attribute), or the paragraph a bracket group names, going up
 * through options and their fields.
 */
function paragraphOfType(type: Y.AbstractType<unknown> | null): string | null {
  for (let current = type; current; ) {
    if (current instanceof Y.XmlElement) {
      const id = idOf(current.getAttribute(BLOCK_ID_ATTR));
      if (id) return id;
    } else if (current instanceof Y.Map) {
      const id = idOf(current.get(BracketGroupKeys.paragraphId));
      if (id) return id;
    }
    const parent = current._item?.parent;
    current = parent instanceof Y.AbstractType ? parent : null;
  }
  return null;
}

function paragraphOfItem(doc: Y.Doc, item: Y.Item): string | null {
  if (!(item.parent instanceof Y.AbstractType)) return null;
  // A paragraph's status entry is keyed by the paragraph's id.
  if (item.parent === paragraphMetas(doc)) return idOf(item.parentSub);
  // A whole new text block (Enter, a paste) is the item itself.
  if (item.content instanceof Y.ContentType) {
    const own = paragraphOfType(item.content.type);
    if (own) return own;
  }
  return paragraphOfType(item.parent);
}

/** Every item of the document in a set of ids (GC'd ones have nothing left to say where they were). */
function eachItem(doc: Y.Doc, set: StackChanges['insertions'], visit: (item: Y.Item) => void): void {
  for (const [client, ranges] of set.clients) {
    const structs = doc.store.clients.get(client);
    if (!structs) continue;
    const known = Y.getState(doc.store, client);
    for (const { clock, len } of ranges) {
      if (clock >= known) continue;
      for (let i = Y.findIndexSS(structs, clock); i < structs.length && structs[i]!.id.clock < clock + len; i++) {
        const struct = structs[i]!;
        if (struct instanceof Y.Item) visit(struct);
      }
    }
  }
}

/** The ids of the paragraphs an undo-stack item changes, each once, in the order its changes were made. */
export function paragraphsChangedBy(doc: Y.Doc, changes: StackChanges): string[] {
  const ids = new Set<string>();
  const collect = (item: Y.Item) => {
    const id = paragraphOfItem(doc, item);
    if (id) ids.add(id);
  };
  eachItem(doc, changes.insertions, collect);
  eachItem(doc, changes.deletions, collect);
  return [...ids];
}

/** Is any of this box in the window, below the sticky header and toolbar? */
function inView(dom: HTMLElement): boolean {
  const box = dom.getBoundingClientRect();
  const covered = document.querySelector('.toolbar')?.getBoundingClientRect().bottom ?? 0;
  return box.bottom > covered && box.top < window.innerHeight;
}

function paragraphDom(editor: Editor, id: string): HTMLElement | null {
  const pos = findBlockPos(editor.state.doc, id);
  const dom = pos === null ? null : editor.view.nodeDOM(pos);
  return dom instanceof HTMLElement ? dom : null;
}

/** Frames to re-centre in: blocks on the way are drawn at their real height only once scrolled to (content-visibility). */
const SETTLE_FRAMES = 3;

function centre(editor: Editor, id: string, frames: number): void {
  const dom = paragraphDom(editor, id);
  if (!dom) return;
  dom.scrollIntoView({ block: 'center', behavior: 'instant' });
  if (frames > 0)
    requestAnimationFrame(() => {
      const again = paragraphDom(editor, id);
      if (!editor.isDestroyed && again && !inView(again)) centre(editor, id, frames - 1);
    });
}

/**
 * Brings the paragraph an undo (or redo) of these changes would change into
 * view, and flashes it, unless one of them is on screen already. Called just
 * before the undo: the person sees where it happens.
 */
export function revealChange(editor: Editor, doc: Y.Doc, changes: StackChanges): void {
  let target: string | null = null;
  for (const id of paragraphsChangedBy(doc, changes)) {
    const dom = paragraphDom(editor, id);
    if (!dom) continue;
    if (inView(dom)) return;
    target ??= id;
  }
  if (!target) return;
  centre(editor, target, SETTLE_FRAMES);
  editor.view.dispatch(editor.state.tr.setMeta(paragraphFlashKey, { id: target }));
}
