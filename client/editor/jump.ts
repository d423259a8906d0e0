import type { Editor } from '@tiptap/core';
import { TextSelection } from '@tiptap/pm/state';
import { paragraphFlashKey } from './extensions/paragraph-flash.js';
import { findBlockPos } from './positions.js';

/**
 * Takes the reader to a paragraph (or a spot inside it): the caret goes there,
 * the paragraph comes to the middle of the screen (at once: a slow scroll
 * would fight the next keystroke) and flashes, so the eye
 * finds it when the chair says "we are on 3.5 b)".
 */
export function jumpToParagraph(editor: Editor, paragraphId: string, offset = 0): boolean {
  const { state, view } = editor;
  const pos = findBlockPos(state.doc, paragraphId);
  if (pos === null) return false;
  const node = state.doc.nodeAt(pos)!;
  const inside = Math.min(pos + 1 + offset, pos + node.nodeSize - 1);
  view.dispatch(
    state.tr.setSelection(TextSelection.create(state.doc, inside)).setMeta(paragraphFlashKey, { id: paragraphId }),
  );
  view.focus();
  const dom = view.nodeDOM(pos);
  if (dom instanceof HTMLElement) {
    // A long paragraph is read from its start; a short one sits best mid-screen.
    const tall = dom.getBoundingClientRect().height > window.innerHeight * 0.5;
    dom.scrollIntoView({ block: tall ? 'start' : 'center' });
  }
  return true;
}
