import type { Browser, Page } from 'playwright-core';

export type Person = { name: string; delegation: string };

/** A person in their own browser profile (own storage), on the editor of a document. */
export async function openEditorAs(browser: Browser, baseUrl: string, documentId: string, person: Person): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${baseUrl}/d/${documentId}`);
  await page.getByTestId('join-name').fill(person.name);
  await page.getByTestId('join-delegation').fill(person.delegation);
  await page.getByTestId('join-submit').click();
  await page.locator('.ProseMirror').waitFor();
  await page.locator('[data-testid="connection-status"][data-state="connected"]').waitFor();
  return page;
}

/** Puts the caret at the end of the first block containing `text`. */
export async function clickEndOf(page: Page, text: string): Promise<void> {
  const block = page.locator('.ProseMirror > *', { hasText: text }).first();
  await block.scrollIntoViewIfNeeded();
  await block.click();
  await page.keyboard.press('End');
}
