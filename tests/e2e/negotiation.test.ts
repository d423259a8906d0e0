import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.js';
import { caretAtEnd, goTo, paragraph, paragraphText, selectRight } from '../support/negotiation.js';
import { openEditorAs } from '../support/pages.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';

const REPORT = 'eg-itrs-final-report';
const SETTLE_MS = 1500;

describe('negotiating the EG-ITRs report: Egypt, the United States and the Chair, in Chromium', () => {
  let server: ServerProcess;
  let browser: Browser;
  let egypt: Page;
  let usa: Page;
  let chair: Page;

  beforeAll(async () => {
    server = await startServerProcess();
    browser = await launchBrowser();
    egypt = await openEditorAs(browser, server, REPORT, { name: 'Amina Hassan', delegation: 'Egypt' });
    usa = await openEditorAs(browser, server, REPORT, { name: 'John Smith', delegation: 'United States' });
    chair = await openEditorAs(browser, server, REPORT, { name: 'Shahira Selim', delegation: 'Chair' });
    for (const page of [egypt, usa, chair]) await paragraph(page, '3.3').waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('brackets words, gathers alternatives from two delegations, and the chair cleans the bracket', async () => {
    const before = await paragraphText(egypt, '3.3');
    expect(before.startsWith('Some members were of the view')).toBe(true);

    // Egypt brackets "Some members" and proposes a second wording.
    await goTo(egypt, '3.3');
    await selectRight(egypt, 'Some members'.length);
    await egypt.getByTestId('toolbar-bracket').click();
    const egyptDetails = egypt.getByTestId('bracket-details');
    await egyptDetails.waitFor();
    await egypt.getByTestId('add-alternative').click();
    await egypt.getByTestId('alternative-text').fill('Several members');
    await egypt.getByTestId('alternative-submit').click();
    await expect.poll(() => egyptDetails.getByTestId('option-B').textContent()).toContain('Several members');
    expect(await paragraph(egypt, '3.3').locator('.bracket-option').count()).toBe(2);

    // The delegate has no way to clean a bracket: the controls are not there at all.
    expect(await egypt.getByTestId('resolve-choose-A').count()).toBe(0);
    expect(await egypt.getByTestId('resolve-delete').count()).toBe(0);
    expect(await egypt.getByTestId('resolve-remove-brackets').count()).toBe(0);

    // The US sees the brackets with Egypt's label, then adds a third option from the panel.
    const usParagraph = paragraph(usa, '3.3');
    await usParagraph.locator('.bracket-label', { hasText: 'Egypt' }).first().waitFor({ timeout: 10_000 });
    expect(await usParagraph.locator('.bracket-punct', { hasText: '[' }).count()).toBe(1);
    await usa.getByTestId('bracket-panel-item').filter({ hasText: 'Several members' }).click();
    const usDetails = usa.getByTestId('bracket-details');
    await usDetails.waitFor();
    expect(await usDetails.getByTestId('proponents-A').textContent()).toBe('Egypt');
    await usa.getByTestId('add-alternative').click();
    await usa.getByTestId('alternative-text').fill('Many members');
    await usa.getByTestId('alternative-submit').click();
    await usDetails.getByTestId('option-C').waitFor();
    expect(await usa.getByTestId('resolve-choose-C').count()).toBe(0);

    // Every page shows three options, each labelled with its proponent.
    await expect
      .poll(() => paragraph(egypt, '3.3').locator('.bracket-label').allTextContents(), { timeout: 10_000 })
      .toEqual(['AEgypt', 'BEgypt', 'CUnited States']);
    expect(await paragraphText(egypt, '3.3')).toContain('Some membersSeveral membersMany members were of the view');

    // The chair picks the group from the panel and keeps option B.
    await chair.getByTestId('bracket-panel-item').filter({ hasText: 'Many members' }).click();
    await chair.getByTestId('bracket-details').getByTestId('option-C').waitFor();
    await chair.getByTestId('resolve-choose-B').click();

    for (const page of [egypt, usa, chair]) {
      await expect
        .poll(() => paragraph(page, '3.3').locator('.bracket-option, .bracket-punct, .bracket-label').count(), { timeout: 10_000 })
        .toBe(0);
      expect(await paragraphText(page, '3.3')).toBe(before.replace('Some members', 'Several members'));
    }

    // Both delegations can read what was on the table, dropped options and their proponents included.
    for (const page of [egypt, usa]) {
      await paragraph(page, '3.3').getByTestId('resolution-marker').click();
      const record = page.getByTestId('resolution-records').getByTestId('resolution-record');
      await record.waitFor();
      const text = await record.textContent();
      expect(text).toContain('Shahira Selim');
      expect(text).toContain('option B chosen');
      expect(text).toContain('Several members');
      expect(await record.locator('[data-fate="dropped"]').count()).toBe(2);
      expect(await record.locator('[data-fate="dropped"]').allTextContents()).toEqual([
        expect.stringContaining('Proposed by Egypt'),
        expect.stringContaining('Proposed by United States'),
      ]);
      expect(await record.locator('[data-fate="kept"]').textContent()).toContain('Several members');
    }
    expect(await egypt.getByTestId('brackets-panel').textContent()).toContain('Resolved');
  });

  it('shows the imported comment thread on 2.6 to everyone, and carries a reply across', async () => {
    const egyptThread = egypt.getByTestId('comment-thread').filter({ hasText: 'Link to be inserted' });
    const usThread = usa.getByTestId('comment-thread').filter({ hasText: 'Link to be inserted' });
    await egyptThread.waitFor();
    await usThread.waitFor();
    expect(await egyptThread.textContent()).toContain('2.6');
    expect(await egyptThread.textContent()).toContain('Original document');
    expect(await paragraph(egypt, '2.6').getByTestId('comment-badge').textContent()).toBe('1');

    await egyptThread.getByTestId('reply-input').fill('Egypt asks the secretariat to insert the link before Council.');
    await egyptThread.getByTestId('reply-submit').click();
    await expect
      .poll(() => usThread.textContent(), { timeout: 10_000 })
      .toContain('Egypt asks the secretariat to insert the link before Council.');
    expect(await usThread.textContent()).toContain('Amina Hassan');

    // Only the author may edit or delete a message.
    expect(await egyptThread.getByTestId('edit-comment').count()).toBe(1);
    expect(await usThread.getByTestId('edit-comment').count()).toBe(0);
  });

  it('locks a paragraph the chair marks agreed against the delegates, not against the chair', async () => {
    const original = await paragraphText(egypt, '3.2');

    await goTo(chair, '3.2');
    await chair.getByTestId('paragraph-status-select').selectOption('agreed');
    await paragraph(egypt, '3.2').locator('.status-badge', { hasText: 'Agreed' }).waitFor({ timeout: 10_000 });
    expect(await paragraph(egypt, '3.2').getAttribute('class')).toContain('is-agreed');
    expect(await egypt.getByTestId('paragraph-status-select').count()).toBe(0);

    // Egypt types into it, at the start and at the end, and deletes: nothing changes anywhere.
    await goTo(egypt, '3.2');
    await egypt.keyboard.type('Egypt edit ');
    await caretAtEnd(egypt, '3.2');
    await egypt.keyboard.type(' more');
    await egypt.keyboard.press('Backspace');
    await egypt.getByTestId('notice').filter({ hasText: 'Paragraph 3.2 is agreed' }).waitFor();
    await egypt.waitForTimeout(SETTLE_MS);
    for (const page of [egypt, usa, chair]) expect(await paragraphText(page, '3.2')).toBe(original);

    // The chair still edits it, and everyone sees the change.
    await caretAtEnd(chair, '3.2');
    await chair.keyboard.type(' (as agreed)');
    for (const page of [egypt, usa, chair]) {
      await expect.poll(() => paragraphText(page, '3.2'), { timeout: 10_000 }).toBe(`${original} (as agreed)`);
    }
    await expect
      .poll(() => egypt.getByTestId('consensus-figure').textContent())
      .toContain('1 of');
  });
});
