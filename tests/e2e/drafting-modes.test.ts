import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { caretAfterWords, goTo, paragraph, paragraphText, selectWords } from '../support/negotiation.js';
import { openAsSecretariat, openEditorAs } from '../support/pages.js';
import { serverAndBrowser } from '../support/stage.js';

const REPORT = 'eg-itrs-final-report';
const SENTENCE = 'Some members were of the view that such a provision-by-provision review was outside the scope of the ToR.';

async function switchMode(page: Page, mode: 'open' | 'proposals' | 'pen-holder'): Promise<void> {
  await page.getByTestId('drafting-mode-select').selectOption(mode);
  await page.getByTestId('drafting-mode-dialog').waitFor();
  await page.getByTestId('drafting-mode-confirm').click();
  await page.locator(`[data-testid="drafting-mode"][data-mode="${mode}"]`).waitFor();
}

const modeOf = (page: Page) => page.getByTestId('drafting-mode').getAttribute('data-mode');
const notices = (page: Page) => page.getByTestId('notice').locator('.notice__text').allTextContents();

describe('drafting modes on the EG-ITRs report: the secretariat, Kenya and Egypt, in Chromium', () => {
  const stage = serverAndBrowser();
  let secretariat: Page;
  let kenya: Page;
  let egypt: Page;
  /** Paragraph 3.2 as the seed has it. */
  let original32: string;

  beforeAll(async () => {
    secretariat = await openAsSecretariat(stage.browser, stage.server);
    await secretariat.goto(`${stage.server.url}/d/${REPORT}`);
    await secretariat.locator('[data-testid="connection-status"][data-synced="true"]').waitFor();
    kenya = await openEditorAs(stage.browser, stage.server, REPORT, { name: 'Wanjiru Mwangi', delegation: 'Kenya' });
    egypt = await openEditorAs(stage.browser, stage.server, REPORT, { name: 'Amina Hassan', delegation: 'Egypt' });
    for (const page of [kenya, egypt]) await paragraph(page, '3.4').waitFor();
    original32 = await paragraphText(kenya, '3.2');
  });

  it('shows open drafting to everyone, and only the chair or the secretariat can switch it', async () => {
    for (const page of [secretariat, kenya, egypt]) await expect.poll(() => modeOf(page)).toBe('open');
    expect(await kenya.getByTestId('drafting-mode-name').textContent()).toBe('Open drafting');
    expect(await kenya.getByTestId('drafting-mode-select').count()).toBe(0);
    expect(await kenya.getByTestId('drafting-mode').getAttribute('title')).toContain('Everyone with edit rights types');
  });

  it('switches to proposals mode after the secretariat confirms, on every screen', async () => {
    // Cancelling the confirmation changes nothing.
    await secretariat.getByTestId('drafting-mode-select').selectOption('proposals');
    await secretariat.getByTestId('drafting-mode-dialog').getByRole('button', { name: /keep/i }).click();
    expect(await modeOf(secretariat)).toBe('open');

    await switchMode(secretariat, 'proposals');
    for (const page of [kenya, egypt]) {
      await expect.poll(() => modeOf(page), { timeout: 10_000 }).toBe('proposals');
      expect(await page.getByTestId('drafting-mode-name').textContent()).toBe('Proposals');
    }
    expect(await kenya.getByTestId('drafting-mode').getAttribute('title')).toContain('Set by');
  });

  it('turns Kenya’s Delete on a sentence into a bracketed deletion proposal; the sentence stays', async () => {
    await selectWords(kenya, '3.4', SENTENCE);
    await kenya.keyboard.press('Delete');

    const bracketed = paragraph(kenya, '3.4').locator('.bracket-option');
    await expect.poll(() => bracketed.allTextContents()).toEqual([SENTENCE]);
    expect(await paragraphText(kenya, '3.4')).toContain(SENTENCE);
    const details = kenya.getByTestId('bracket-details');
    await details.waitFor();
    expect(await details.getByTestId('option-A').textContent()).toContain(SENTENCE);
    expect(await details.getByTestId('bracketers-A').textContent()).toContain('Kenya');
    expect(await details.getByTestId('option-B').textContent()).toContain('delete the bracketed text');
    expect(await details.getByTestId('proponents-B').textContent()).toContain('Kenya');
    // The server took it: Egypt sees the bracket, labelled with Kenya.
    await paragraph(egypt, '3.4').locator('.bracket-label', { hasText: 'Kenya' }).first().waitFor({ timeout: 10_000 });
    expect(await paragraphText(egypt, '3.4')).toContain(SENTENCE);
  });

  it('turns Kenya’s typing at another place into an insertion proposal by Kenya, and a lone Backspace into a notice', async () => {
    const before = original32;
    await goTo(kenya, '3.2');
    await kenya.keyboard.type('Notably, ');
    await expect.poll(() => paragraph(kenya, '3.2').locator('.bracket-option').allTextContents()).toEqual(['Notably, ']);
    expect(await paragraphText(kenya, '3.2')).toBe(`Notably, ${before}`);
    const details = kenya.getByTestId('bracket-details');
    await expect.poll(() => details.getByTestId('option-A').textContent()).toContain('Notably,');
    expect(await details.getByTestId('proponents-A').textContent()).toContain('Kenya');
    await paragraph(egypt, '3.2').locator('.bracket-option', { hasText: 'Notably,' }).waitFor({ timeout: 10_000 });

    // Backspace with nothing selected, in the paragraph's own text: nothing changes, the notice says what to do.
    await caretAfterWords(kenya, '3.2', 'Divergent');
    await kenya.keyboard.press('Backspace');
    await expect.poll(() => notices(kenya)).toContain('In proposals mode, select the words to propose deleting them');
    expect(await paragraphText(kenya, '3.2')).toBe(`Notably, ${before}`);
  });

  it('stops Egypt typing inside Kenya’s wording, with the reason', async () => {
    await caretAfterWords(egypt, '3.2', 'Notab');
    await egypt.keyboard.type('x');
    await expect.poll(() => notices(egypt)).toContainEqual(expect.stringContaining('wording of Kenya'));
    expect(await paragraphText(egypt, '3.2')).toContain('Notably, Divergent');
  });

  it('takes back Kenya’s own insertion with Ctrl+Z, but not the bracket Egypt has joined since', async () => {
    await egypt.getByTestId('bracket-panel-item').filter({ hasText: 'provision-by-provision' }).click();
    const details = egypt.getByTestId('bracket-details');
    await details.getByTestId('option-B').waitFor();
    await details.getByTestId('support-option-B').click();
    await details.getByTestId('supporters-B').waitFor();
    await kenya.getByTestId('bracket-panel-item').filter({ hasText: 'provision-by-provision' }).click();
    const kenyaDetails = kenya.getByTestId('bracket-details');
    await kenyaDetails.getByTestId('supporters-B').waitFor({ timeout: 10_000 });
    expect(await kenyaDetails.getByTestId('supporters-B').textContent()).toContain('Egypt');

    // Kenya's insertion goes first (the typing and the proposal may be one step or two of the undo history).
    await kenya.locator('.ProseMirror').focus();
    for (let i = 0; i < 3 && (await paragraphText(kenya, '3.2')) !== original32; i++) {
      await kenya.keyboard.press('Control+z');
      await kenya.waitForTimeout(200);
    }
    expect(await paragraphText(kenya, '3.2')).toBe(original32);
    expect(await paragraph(kenya, '3.2').locator('.bracket-option').count()).toBe(0);
    await kenya.keyboard.press('Control+z');
    await expect.poll(() => notices(kenya)).toContain('Others have joined this bracket: withdraw your part in the bracket card instead');
    expect(await paragraph(kenya, '3.4').locator('.bracket-option').allTextContents()).toEqual([SENTENCE]);
    await expect.poll(() => paragraphText(egypt, '3.2'), { timeout: 10_000 }).toBe(original32);
  });

  it('with the pen holder, Kenya’s typing changes nothing and the notice says why', async () => {
    await switchMode(secretariat, 'pen-holder');
    await expect.poll(() => modeOf(kenya), { timeout: 10_000 }).toBe('pen-holder');
    expect(await kenya.getByTestId('drafting-mode-name').textContent()).toBe('Pen holder');

    const before = await paragraphText(kenya, '3.3');
    await goTo(kenya, '3.3');
    await kenya.keyboard.type('Typed');
    await kenya.keyboard.press('Enter');
    await kenya.keyboard.press('Delete');
    await expect
      .poll(() => notices(kenya))
      .toContain('The chair holds the pen: bracket words, propose alternatives in the bracket card, or comment');
    expect(await paragraphText(kenya, '3.3')).toBe(before);
    expect(await paragraph(kenya, '3.3').locator('.bracket-option').count()).toBe(0);
    // Nothing reached the others either, and the server refused nothing this page sent.
    expect(await paragraphText(egypt, '3.3')).toBe(before);
    // (A change the server refuses comes back as a notice that it "was not kept".)
    for (const page of [kenya, egypt]) expect((await notices(page)).some((notice) => notice.includes('not kept'))).toBe(false);
  });
});
