import type { Editor, EditorEvents } from '@tiptap/core';
import { ySyncPluginKey } from '@tiptap/y-tiptap';
import { focusOf } from './extensions/meeting-focus.js';
import { findBlockPos, textblockAtSelection } from './positions.js';

/**
 * "Follow the chair": while on, this person's view goes (smoothly) to the
 * paragraph under discussion whenever the chair moves it. Following is a
 * choice, never forced: it stops as soon as the person scrolls themselves
 * (wheel, touch, scrolling keys: never our own scrolling, which fires none of
 * these) or types in another paragraph, and the header offers "Back to 3.5 b)".
 */

/** Why following stopped: the header then shows the way back. */
export type StopReason = 'scrolled' | 'typed';

/** Keys that scroll the page when the caret is not in the text. */
const SCROLL_KEYS = new Set(['PageUp', 'PageDown', 'Home', 'End', 'ArrowUp', 'ArrowDown', ' ']);

/** The live editor of the page, found from its element (TipTap keeps a reference to itself on it). */
export function draftEditor(): Editor | null {
  const dom = document.getElementById('draft-body') as (HTMLElement & { editor?: Editor }) | null;
  const editor = dom?.editor;
  return editor && !editor.isDestroyed ? editor : null;
}

/** How long a smooth scroll may take before its end is no longer waited for. */
const SETTLE_MS = 2000;

/**
 * Brings the paragraph into view, smoothly: the eye follows the move instead
 * of losing its place. Returns null when the paragraph is not drawn, else a
 * function that cancels the settling below.
 */
export function scrollToParagraph(editor: Editor, paragraphId: string, behavior: ScrollBehavior = 'smooth'): (() => void) | null {
  const pos = findBlockPos(editor.state.doc, paragraphId);
  if (pos === null) return null;
  const dom = editor.view.nodeDOM(pos);
  if (!(dom instanceof HTMLElement)) return null;
  const tall = dom.getBoundingClientRect().height > window.innerHeight * 0.5;
  const block = tall ? 'start' : 'center';
  dom.scrollIntoView({ behavior, block });
  if (behavior !== 'smooth') return () => {};
  // Blocks far off screen are drawn at an estimated height (draft-text.css): once the smooth scroll ends, settle on the real place.
  const settle = () => {
    cancel();
    if (dom.isConnected) dom.scrollIntoView({ block });
  };
  const timer = setTimeout(() => cancel(), SETTLE_MS);
  const cancel = () => {
    clearTimeout(timer);
    window.removeEventListener('scrollend', settle);
  };
  window.addEventListener('scrollend', settle);
  return cancel;
}

/** What the screen says when the paragraph under discussion was deleted: "3.5 was deleted: now at 3.6". */
export function movedNotice(was: string | null, now: string | null): string {
  return `${was ?? 'The paragraph under discussion'} was deleted: now at ${now ?? 'the next paragraph'}`;
}

/** Says in this browser's presence whether it follows the chair (the room counts them). */
function announce(editor: Editor, following: boolean): void {
  const awareness = editor.extensionManager.extensions.find((e) => e.name === 'meetingFocus')?.options.awareness as
    | { setLocalStateField: (field: string, value: unknown) => void }
    | null
    | undefined;
  awareness?.setLocalStateField('following', following ? true : null);
}

/** Starts following; the returned function stops (without calling onStop). */
export function followChair(editor: Editor, onStop: (reason: StopReason) => void): () => void {
  let shown: string | null = null;
  let settling = () => {};
  const go = () => {
    const focus = focusOf(editor);
    if (!focus || focus.paragraphId === shown) return;
    const scrolled = scrollToParagraph(editor, focus.paragraphId);
    if (!scrolled) return;
    settling();
    settling = scrolled;
    shown = focus.paragraphId;
  };
  const stop = (reason: StopReason) => {
    end();
    onStop(reason);
  };
  const onWheel = () => stop('scrolled');
  const onKey = (event: KeyboardEvent) => {
    if (!SCROLL_KEYS.has(event.key)) return;
    // In the text, arrows move the caret (the editor's own updates say whether it left the paragraph); in a field they edit it.
    const target = event.target as HTMLElement | null;
    if (target && (editor.view.dom.contains(target) || target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    stop('scrolled');
  };
  const onTransaction = ({ transaction }: EditorEvents['transaction']) => {
    const remote = transaction.getMeta(ySyncPluginKey) !== undefined;
    if (transaction.docChanged && !remote && editor.view.hasFocus()) {
      const here = textblockAtSelection(editor.state)?.id;
      if (here && here !== focusOf(editor)?.paragraphId) return stop('typed');
    }
    go();
  };
  // A new width (a window resized, a drawer opened) reflows the text: back onto the paragraph, at once, still following.
  let width = 0;
  const reflowed = new ResizeObserver(([entry]) => {
    const now = Math.round(entry?.contentRect.width ?? 0);
    if (now === width) return;
    width = now;
    if (shown) scrollToParagraph(editor, shown, 'instant');
  });
  const end = () => {
    settling();
    reflowed.disconnect();
    window.removeEventListener('wheel', onWheel);
    window.removeEventListener('touchmove', onWheel);
    window.removeEventListener('keydown', onKey);
    editor.off('transaction', onTransaction);
    if (!editor.isDestroyed) announce(editor, false);
  };
  window.addEventListener('wheel', onWheel, { passive: true });
  window.addEventListener('touchmove', onWheel, { passive: true });
  window.addEventListener('keydown', onKey);
  editor.on('transaction', onTransaction);
  reflowed.observe(editor.view.dom);
  announce(editor, true);
  go();
  return end;
}
