import type { Page } from 'playwright-core';
import { paragraph } from './negotiation.js';

/**
 * Where a person is reading, in the browser: the window scrolls the document
 * (header, toolbar and sidebar are sticky), and the caret is in a numbered
 * paragraph. Also cutting a page off the network and back, as a delegate's
 * laptop drops off the meeting-room Wi-Fi.
 */

/** Scrolls the window so the paragraph numbered `num` is in the middle of it, as a reader leaves it. */
export async function scrollToMiddle(page: Page, num: string): Promise<void> {
  await paragraph(page, num).evaluate((el) => el.scrollIntoView({ block: 'center', behavior: 'instant' }));
}

export function scrollTop(page: Page): Promise<number> {
  return page.evaluate(() => window.scrollY);
}

/** Where the top of the paragraph numbered `num` stands in the window, in pixels: what the reader sees of the scroll. */
export async function screenTop(page: Page, num: string): Promise<number> {
  return paragraph(page, num).evaluate((el) => el.getBoundingClientRect().top);
}

/** The number of the paragraph holding the caret, as the page's DOM selection says; null outside the text. */
export function caretParagraph(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const node = getSelection()?.anchorNode;
    const element = node instanceof Element ? node : (node?.parentElement ?? null);
    if (!element?.closest('.ProseMirror')) return null;
    return element.closest<HTMLElement>('[data-num]')?.dataset.num ?? null;
  });
}

export async function goOffline(page: Page): Promise<void> {
  await page.context().setOffline(true);
  await page.locator('[data-testid="connection-status"][data-state="offline"]').waitFor();
}

export async function goOnline(page: Page): Promise<void> {
  await page.context().setOffline(false);
}
