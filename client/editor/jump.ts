import type { Editor } from '@tiptap/core';
import { TextSelection } from '@tiptap/pm/state';
import { paragraphFlashKey } from './extensions/paragraph-flash.js';
import { findBlockPos } from './positions.js';
import { restoreScroll, restoreSelection, type ReadingPlace } from './reading-place.js';

/** Frames to let the blocks around the place be drawn at their real height while scrolling back to it. */
const MAX_SETTLING = 10;

/**
 * Takes the reader to a paragraph (or a spot inside it): the caret goes there,
 * the paragraph comes to the middle of the screen (at once: a slow scroll
 * would fight the next keystroke) and flashes, so the eye
 * finds it when the chair says "we are on 3.5 b)".
 *
 * `focus: false` leaves the keyboard where it is: stepping through the
 * comments pane moves the caret and the page, and the next press of "Next"
 * still reaches the pane.
 */
export function jumpToParagraph(editor: Editor, paragraphId: string, offset = 0, { focus = true } = {}): boolean {
  const { state, view } = editor;
  const pos = findBlockPos(state.doc, paragraphId);
  if (pos === null) return false;
  const node = state.doc.nodeAt(pos)!;
  const inside = Math.min(pos + 1 + offset, pos + node.nodeSize - 1);
  view.dispatch(
    state.tr.setSelection(TextSelection.create(state.doc, inside)).setMeta(paragraphFlashKey, { id: paragraphId }),
  );
  if (focus) view.focus();
  const dom = view.nodeDOM(pos);
  if (dom instanceof HTMLElement) {
    // A long paragraph is read from its start; a short one sits best mid-screen.
    const tall = dom.getBoundingClientRect().height > window.innerHeight * 0.5;
    dom.scrollIntoView({ block: tall ? 'start' : 'center' });
  }
  return true;
}

/**
 * Back to where the reader was before a jump (readingPlace, read then): the
 * selection, the keyboard if it was in the text, and the paragraph at the
 * height it stood on screen, settled over a few frames as the blocks around
 * it are drawn.
 */
export function returnToPlace(editor: Editor, place: ReadingPlace): void {
  if (editor.isDestroyed) return;
  restoreSelection(editor, place);
  let settling = 0;
  requestAnimationFrame(function settle() {
    if (editor.isDestroyed) return;
    if (Math.abs(restoreScroll(editor, place)) >= 1 && ++settling < MAX_SETTLING) requestAnimationFrame(settle);
  });
}
