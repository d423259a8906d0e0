import { describe, expect, it } from 'vitest';
import { clickEndOf, openAsSecretariat, openEditorAs } from '../support/pages.js';
import { serverAndBrowser } from '../support/stage.js';

const REPORT = 'eg-itrs-final-report';

describe('two delegates on the EG-ITRs report, in Chromium', () => {
  const stage = serverAndBrowser();

  it('lists the seed drafts, the report first', async () => {
    const page = await openAsSecretariat(stage.browser, stage.server);
    const items = page.getByTestId('document-item');
    await items.first().waitFor();
    expect(await items.count()).toBe(5);
    expect(await items.first().textContent()).toContain('EG-ITRs');
    await items.first().locator('a').first().click();
    await page.waitForURL(`**/d/${REPORT}`);
    await page.context().close();
  });

  it('shows what one types on the other screen, with the typist caret labelled', async () => {
    const egypt = await openEditorAs(stage.browser, stage.server, REPORT, { name: 'Amina Hassan', delegation: 'Egypt' });
    const usa = await openEditorAs(stage.browser, stage.server, REPORT, { name: 'John Smith', delegation: 'United States' });
    await expect.poll(() => usa.locator('.ProseMirror').textContent()).toContain('Draft final Report of the EG-ITRs');

    await clickEndOf(egypt, 'The Council is invited to examine this report');
    await egypt.keyboard.type(' Typed live by Egypt.');

    await expect
      .poll(() => usa.locator('.ProseMirror').textContent(), { timeout: 10_000 })
      .toContain('Typed live by Egypt.');
    const label = usa.locator('.collaboration-carets__label', { hasText: 'Amina Hassan' });
    await label.waitFor({ timeout: 10_000 });
    expect(await label.textContent()).toContain('Egypt');

    // Both are listed as present on both screens.
    await expect.poll(() => usa.getByTestId('presence-item').count()).toBe(2);
    expect(await egypt.getByTestId('presence-list').textContent()).toContain('United States');

    // And the other way round.
    await clickEndOf(usa, 'Typed live by Egypt.');
    await usa.keyboard.type(' Reply from the US.');
    await expect.poll(() => egypt.locator('.ProseMirror').textContent()).toContain('Reply from the US.');

    await egypt.context().close();
    await usa.context().close();
  });
});
