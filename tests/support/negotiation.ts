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
export function caretAtEnd(page: Page, num: string): Promise<void> {
  return placeSelection(page, { num, text: null, collapse: true });
}

/** Selects the first occurrence of `words` in a paragraph, as a person does with the mouse (a DOM selection, exact). */
export function selectWords(page: Page, num: string, words: string): Promise<void> {
  return placeSelection(page, { num, text: words, collapse: false });
}

/** Puts the caret right after the first occurrence of `words` in a paragraph. */
export function caretAfterWords(page: Page, num: string, words: string): Promise<void> {
  return placeSelection(page, { num, text: words, collapse: true });
}

/** Where a selection goes: in the paragraph numbered `num`, over `text` (its first occurrence, across text nodes) or at the end. */
type WantedSelection = { num: string; text: string | null; collapse: boolean };

/** What the page keeps of the selection being placed, between the two evaluations below. */
type PlacedSelection = { range: () => Range; apply: () => void; at: number };

/**
 * Puts a DOM selection, as a mouse does, and waits until ProseMirror holds
 * it. ProseMirror reads a DOM selection on the next selectionchange event; a
 * remote change arriving before then makes y-prosemirror restore the old
 * selection and write it back over ours (on a busy machine, or with slower
 * storage, that happened: the chair's Enter landed at the old caret). So the
 * wait compares ProseMirror's selection with the one wanted, worked out again
 * from the page as it is, and puts it again while it does not hold.
 */
async function placeSelection(page: Page, wanted: WantedSelection): Promise<void> {
  await paragraph(page, wanted.num).scrollIntoViewIfNeeded();
  await page.evaluate((w) => {
    const range = (): Range => {
      const el = document.querySelector(`.ProseMirror [data-num="${w.num}"]`);
      if (!el) throw new Error(`no paragraph ${w.num}`);
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT, {
        acceptNode: (node) =>
          node.parentElement?.closest('[contenteditable="false"]') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
      });
      const nodes: Array<{ node: Node; start: number }> = [];
      let all = '';
      while (walker.nextNode()) {
        nodes.push({ node: walker.currentNode, start: all.length });
        all += walker.currentNode.textContent ?? '';
      }
      if (nodes.length === 0) throw new Error(`paragraph ${w.num} has no text`);
      let from = w.text === null ? all.length : all.indexOf(w.text);
      if (from < 0) throw new Error(`no "${w.text}" in paragraph ${w.num}`);
      const to = w.text === null ? from : from + w.text.length;
      if (w.collapse) from = to;
      const locate = (offset: number, end: boolean) => {
        const hit = [...nodes].reverse().find(({ node, start }) => (end ? offset > start : offset >= start) && offset <= start + (node.textContent?.length ?? 0))!;
        return { node: hit.node, offset: offset - hit.start };
      };
      const a = locate(from, from === to);
      const b = locate(to, true);
      const made = document.createRange();
      made.setStart(a.node, a.offset);
      made.setEnd(b.node, b.offset);
      return made;
    };
    const apply = () => {
      const made = range();
      (made.startContainer.parentElement?.closest('.ProseMirror') as HTMLElement | null)?.focus();
      const selection = getSelection()!;
      selection.removeAllRanges();
      selection.addRange(made);
    };
    (window as unknown as { placedSelection: PlacedSelection }).placedSelection = { range, apply, at: performance.now() };
    apply();
  }, wanted);
  await page.waitForFunction(() => {
    const placed = (window as unknown as { placedSelection: PlacedSelection }).placedSelection;
    const made = placed.range();
    const dom = made.startContainer.parentElement?.closest('.ProseMirror') as (HTMLElement & { editor?: EditorLike }) | null;
    const view = dom?.editor?.view;
    if (!view) return false;
    const held = view.state.selection;
    if (held.from === view.posAtDOM(made.startContainer, made.startOffset) && held.to === view.posAtDOM(made.endContainer, made.endOffset)) return true;
    if (performance.now() - placed.at > 300) {
      placed.apply();
      placed.at = performance.now();
    }
    return false;
  });
}

/** What the wait above reads of the TipTap editor its element carries (the page has no types of ours). */
type EditorLike = {
  view: { posAtDOM(node: Node, offset: number): number; state: { selection: { from: number; to: number } } };
};
