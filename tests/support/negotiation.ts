import type { Page } from 'playwright-core';

/**
 * Helpers for the negotiation features in the browser. The text of a
 * paragraph on screen also holds drawn things that are not document text
 * (other people's carets, bracket labels and punctuation, margin badges):
 * they are removed from a copy before reading it.
 */

const NOT_TEXT = '.collaboration-carets__caret, .bracket-label, .bracket-punct, .para-widget';

export function paragraph(page: Page, num: string) {
  return page.locator(`.ProseMirror [data-num="${num}"]`).first();
}

/** The document text of the paragraph numbered `num`, as this page shows it. */
export async function paragraphText(page: Page, num: string): Promise<string> {
  return paragraph(page, num).evaluate((el, selector) => {
    const copy = el.cloneNode(true) as HTMLElement;
    for (const node of copy.querySelectorAll(selector)) node.remove();
    return copy.textContent ?? '';
  }, NOT_TEXT);
}

/** Puts the caret at the start of a paragraph with the toolbar's "Go to" box. */
export async function goTo(page: Page, ref: string): Promise<void> {
  const input = page.getByTestId('jump-input');
  await input.fill(ref);
  await input.press('Enter');
  // The toolbar names the paragraph holding the caret.
  await page.locator('.status-control__where, .status-display__where', { hasText: new RegExp(`^¶ ${ref.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }).waitFor();
}

/** Selects `count` characters to the right of the caret, as a person does with Shift+→. */
export async function selectRight(page: Page, count: number): Promise<void> {
  for (let i = 0; i < count; i++) await page.keyboard.press('Shift+ArrowRight');
}

/**
 * Puts the caret after the last character of a paragraph. The End key only
 * goes to the end of the visual line, and lands differently when another
 * person's caret sits there; a DOM selection is exact.
 */
export async function caretAtEnd(page: Page, num: string): Promise<void> {
  await paragraph(page, num).evaluate((el) => {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT, {
      acceptNode: (node) =>
        node.parentElement?.closest('[contenteditable="false"]') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
    });
    let last: Node | null = null;
    while (walker.nextNode()) last = walker.currentNode;
    if (!last) throw new Error('paragraph has no text');
    (el.closest('.ProseMirror') as HTMLElement).focus();
    const range = document.createRange();
    range.setStart(last, last.textContent?.length ?? 0);
    range.collapse(true);
    const selection = getSelection()!;
    selection.removeAllRanges();
    selection.addRange(range);
  });
  await selectionTaken(page);
}

/**
 * Waits until ProseMirror has taken the page's DOM selection as its own: it
 * reads it on the next selectionchange event, which a busy machine can delay
 * past any fixed pause (a key typed before then lands at the old caret).
 */
export async function selectionTaken(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const selection = getSelection();
    const { anchorNode, focusNode } = selection ?? {};
    if (!selection || !anchorNode || !focusNode) return false;
    const dom = focusNode.parentElement?.closest('.ProseMirror') as (HTMLElement & { editor?: EditorLike }) | null;
    const view = dom?.editor?.view;
    if (!view) return false;
    const taken = view.state.selection;
    return (
      view.posAtDOM(anchorNode, selection.anchorOffset) === taken.anchor && view.posAtDOM(focusNode, selection.focusOffset) === taken.head
    );
  });
}

/** What the wait above reads of the TipTap editor its element carries (the page has no types of ours). */
type EditorLike = {
  view: { posAtDOM(node: Node, offset: number): number; state: { selection: { anchor: number; head: number } } };
};

/** Selects the first occurrence of `words` in a paragraph, as a person does with the mouse (a DOM selection, exact). */
export async function selectWords(page: Page, num: string, words: string): Promise<void> {
  await paragraph(page, num).scrollIntoViewIfNeeded();
  await paragraph(page, num).evaluate((el, wanted) => {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT, {
      acceptNode: (node) =>
        node.parentElement?.closest('[contenteditable="false"]') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
    });
    while (walker.nextNode()) {
      const node = walker.currentNode;
      const at = node.textContent?.indexOf(wanted) ?? -1;
      if (at < 0) continue;
      (el.closest('.ProseMirror') as HTMLElement).focus();
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + wanted.length);
      const selection = getSelection()!;
      selection.removeAllRanges();
      selection.addRange(range);
      return;
    }
    throw new Error(`no "${wanted}" in the paragraph`);
  }, words);
  await selectionTaken(page);
}
