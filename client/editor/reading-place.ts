import type { Editor } from '@tiptap/core';
import { TextSelection } from '@tiptap/pm/state';
import { blockId, eachTextblock, findBlockPos } from './positions.js';

/**
 * Where the reader is, in terms that outlive the editor: when the server
 * refuses a change, the editor is rebuilt on the server's copy, with new
 * ProseMirror positions and, while it loads, an empty page that drops the
 * window's scroll to the top. The window is what scrolls the document (the
 * header, the toolbar and the sidebar are sticky: editor.css).
 *
 * The place is a paragraph and where it stood on screen, not the window's
 * scroll offset: off-screen blocks are skipped at an estimated height
 * (content-visibility, draft-text.css) until first drawn, and a rebuilt page
 * has drawn none of them yet, so the same offset would show other text. The
 * paragraph is the caret's when it is on screen (the one being worked on),
 * else the first one reaching below the window's top edge.
 */

/** A spot in the text: a paragraph's id and an offset inside it (ProseMirror's parentOffset). */
type TextPoint = { paragraphId: string; offset: number };

export type ReadingPlace = {
  /** The paragraph being read, and where its top stood in the window. */
  anchor: { paragraphId: string; top: number } | null;
  /** The window's scroll, for when that paragraph is gone. */
  scrollY: number;
  selection: { anchor: TextPoint; head: TextPoint } | null;
  /** Whether the caret was in the text (the person was typing), to give it the keyboard back. */
  focused: boolean;
};

export function readingPlace(editor: Editor): ReadingPlace {
  const { state, view } = editor;
  const from = pointAt(editor, state.selection.anchor);
  const to = pointAt(editor, state.selection.head);
  return {
    anchor: (to && onScreen(editor, to.paragraphId)) || topParagraph(editor),
    scrollY: window.scrollY,
    selection: from && to ? { anchor: from, head: to } : null,
    focused: view.hasFocus(),
  };
}

function pointAt(editor: Editor, pos: number): TextPoint | null {
  const $pos = editor.state.doc.resolve(pos);
  const paragraphId = $pos.parent.isTextblock ? blockId($pos.parent) : null;
  return paragraphId ? { paragraphId, offset: $pos.parentOffset } : null;
}

function boxOf(editor: Editor, paragraphId: string): DOMRect | null {
  const pos = findBlockPos(editor.state.doc, paragraphId);
  const dom = pos === null ? null : editor.view.nodeDOM(pos);
  return dom instanceof HTMLElement ? dom.getBoundingClientRect() : null;
}

function onScreen(editor: Editor, paragraphId: string): ReadingPlace['anchor'] {
  const box = boxOf(editor, paragraphId);
  return box && box.bottom > 0 && box.top < window.innerHeight ? { paragraphId, top: box.top } : null;
}

/** Paragraphs are in reading order, so the first whose bottom is below the window's top is the one read from. */
function topParagraph(editor: Editor): ReadingPlace['anchor'] {
  let found: ReadingPlace['anchor'] = null;
  eachTextblock(editor.state.doc, (_node, pos, id) => {
    if (found || !id) return;
    const dom = editor.view.nodeDOM(pos);
    if (!(dom instanceof HTMLElement)) return;
    const box = dom.getBoundingClientRect();
    if (box.bottom > 0) found = { paragraphId: id, top: box.top };
  });
  return found;
}

function posOf(editor: Editor, point: TextPoint): number | null {
  const doc = editor.state.doc;
  const pos = findBlockPos(doc, point.paragraphId);
  if (pos === null) return null;
  // The paragraph may be shorter now: the refused words are gone.
  return pos + 1 + Math.min(point.offset, doc.nodeAt(pos)!.content.size);
}

/** Puts the selection back where it was, without scrolling to it, and the keyboard in the text if it was there. */
export function restoreSelection(editor: Editor, place: ReadingPlace): void {
  if (!place.selection) return;
  const { view } = editor;
  const anchor = posOf(editor, place.selection.anchor);
  const head = posOf(editor, place.selection.head);
  if (anchor === null || head === null) return;
  view.dispatch(view.state.tr.setSelection(TextSelection.create(view.state.doc, anchor, head)));
  // ProseMirror focuses without scrolling (preventScroll).
  if (place.focused) view.focus();
}

/**
 * Scrolls the window so the place's paragraph stands where it stood; returns
 * how far it scrolled. Blocks near the screen are drawn, at their real height,
 * only after a scroll brings them there, so the caller repeats this, a frame
 * apart, until nothing moves.
 */
export function restoreScroll(editor: Editor, place: ReadingPlace): number {
  const box = place.anchor ? boxOf(editor, place.anchor.paragraphId) : null;
  const by = box && place.anchor ? box.top - place.anchor.top : place.scrollY - window.scrollY;
  if (Math.abs(by) >= 1) window.scrollBy({ top: by, behavior: 'instant' });
  return by;
}
