import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readZipDirectory, readZipEntry } from '../../server/convert/zip-guard.js';
import { launchBrowser } from '../support/browser.js';
import { caretAtEnd, goTo, paragraph, paragraphText, selectWords } from '../support/negotiation.js';
import { adminOf, openEditorAs } from '../support/pages.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';

const REPORT = 'eg-itrs-final-report';
const SETTLE_MS = 1500;
const BRACKETED = 'provision-by-provision';
const EGYPT_TEXT = 'each provision in turn';

/** The bracket of 3.4 in this page's card, picked from the brackets panel. */
async function openBracket(page: Page): Promise<ReturnType<Page['getByTestId']>> {
  await page.getByTestId('bracket-panel-item').filter({ hasText: BRACKETED }).first().click();
  const card = page.getByTestId('bracket-details');
  await card.getByTestId('option-A').waitFor();
  return card;
}

/** The footnotes of a Word file, as text. */
function footnotesOf(docx: Buffer): string {
  const part = readZipDirectory(docx).find((entry) => entry.name === 'word/footnotes.xml');
  if (!part) throw new Error('the Word file has no footnotes part');
  return readZipEntry(docx, part).toString('utf8').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
}

describe('negotiating the EG-ITRs report: Brazil, Egypt, the United States and the Chair, in Chromium', () => {
  let server: ServerProcess;
  let browser: Browser;
  let brazil: Page;
  let egypt: Page;
  let usa: Page;
  let chair: Page;

  beforeAll(async () => {
    server = await startServerProcess();
    browser = await launchBrowser();
    brazil = await openEditorAs(browser, server, REPORT, { name: 'Ana Souza', delegation: 'Brazil' });
    egypt = await openEditorAs(browser, server, REPORT, { name: 'Amina Hassan', delegation: 'Egypt' });
    usa = await openEditorAs(browser, server, REPORT, { name: 'John Smith', delegation: 'United States' });
    chair = await openEditorAs(browser, server, REPORT, { name: 'Shahira Selim', delegation: 'Chair' });
    for (const page of [brazil, egypt, usa, chair]) await paragraph(page, '3.4').waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('Brazil brackets, Egypt proposes, the United States moves from deletion to Egypt, the chair keeps Egypt’s text', async () => {
    const before = await paragraphText(brazil, '3.4');
    expect(before).toContain(BRACKETED);

    // Brazil brackets words: they become the original text, bracketed by Brazil, proposed by nobody.
    await selectWords(brazil, '3.4', BRACKETED);
    await brazil.getByTestId('toolbar-bracket').click();
    const brazilCard = brazil.getByTestId('bracket-details');
    await brazilCard.getByTestId('option-A').waitFor();
    expect(await brazilCard.getByTestId('option-A').textContent()).toContain('Original text');
    expect(await brazilCard.getByTestId('bracketers-A').textContent()).toMatch(/bracketed by Brazil \(Ana Souza, /);
    expect(await brazilCard.getByTestId('proponents-A').count()).toBe(0);
    expect(await brazilCard.textContent()).not.toMatch(/proposed by Brazil/i);
    expect(await brazilCard.getByTestId('my-position').textContent()).toBe('Brazil bracketed the original text');
    expect(await brazilCard.getByTestId('withdraw-bracket').count()).toBe(1);
    expect(await brazilCard.getByTestId('join-bracket').count()).toBe(0);

    // Egypt sees who bracketed it, and proposes an alternative.
    const egyptCard = await openBracket(egypt);
    expect(await egypt.getByTestId('bracket-panel-item').filter({ hasText: BRACKETED }).textContent()).toContain('bracketed by Brazil');
    expect(await egyptCard.getByTestId('join-bracket').textContent()).toBe('Also bracket');
    await egyptCard.getByTestId('add-alternative').click();
    await egyptCard.getByTestId('alternative-text').fill(EGYPT_TEXT);
    await egyptCard.getByTestId('alternative-submit').click();
    await expect.poll(() => egyptCard.getByTestId('option-B').textContent()).toContain(EGYPT_TEXT);
    expect(await egyptCard.getByTestId('proponents-B').textContent()).toBe('proposed by Egypt');
    expect(await egyptCard.getByTestId('my-position').textContent()).toBe('Egypt proposes B');
    // A delegation cleans no bracket: the controls are not there at all.
    for (const id of ['resolve-choose-A', 'resolve-delete', 'resolve-remove-brackets']) expect(await egyptCard.getByTestId(id).count()).toBe(0);

    // The United States proposes deleting the words.
    const usCard = await openBracket(usa);
    await usCard.getByTestId('option-B').waitFor();
    await usCard.getByTestId('add-delete-option').click();
    await usCard.getByTestId('option-C').waitFor();
    expect(await usCard.getByTestId('option-C').textContent()).toContain('Delete');
    expect(await usCard.getByTestId('proponents-C').textContent()).toBe('proposed by United States');
    expect(await usCard.getByTestId('my-position').textContent()).toBe('United States proposes deleting the text (C)');
    await expect
      .poll(() => paragraph(brazil, '3.4').locator('.bracket-label').allTextContents(), { timeout: 10_000 })
      .toEqual(['Abracketed by Brazil', 'BEgypt', 'CUnited States']);

    // It changes its mind: supporting Egypt moves its one position, and the deletion nobody holds goes at once.
    await usCard.getByTestId('support-option-B').click();
    await expect.poll(() => usCard.getByTestId('option-C').count()).toBe(0);
    expect(await usCard.getByTestId('supporters-B').textContent()).toBe('supported by United States');
    expect(await usCard.getByTestId('my-position').textContent()).toBe('United States supports B');
    expect(await usCard.getByTestId('withdraw-option-B').count()).toBe(1);
    expect(await usCard.getByTestId('support-option-A').count()).toBe(1);
    for (const page of [brazil, egypt, chair]) {
      await expect
        .poll(() => paragraph(page, '3.4').locator('.bracket-label').allTextContents(), { timeout: 10_000 })
        .toEqual(['Abracketed by Brazil', 'BEgypt · supported by United States']);
    }
    await expect.poll(() => egyptCard.getByTestId('option-C').count(), { timeout: 10_000 }).toBe(0);
    expect(await egyptCard.getByTestId('supporters-B').textContent()).toBe('supported by United States');

    // The chair takes no position: no bracket button, no support, proposal or bracket controls; only resolving.
    expect(await chair.getByTestId('toolbar-bracket').count()).toBe(0);
    const chairCard = await openBracket(chair);
    await chairCard.getByTestId('option-B').waitFor();
    for (const id of ['support-option-A', 'support-option-B', 'withdraw-option-B', 'join-bracket', 'withdraw-bracket', 'add-alternative', 'add-delete-option', 'my-position']) {
      expect(await chairCard.getByTestId(id).count(), id).toBe(0);
    }
    expect(await chairCard.getByTestId('resolve-choose-B').textContent()).toBe('Choose B');

    // The compilation text in Word before the chair resolves: its footnote says who bracketed, proposes and supports.
    const exported = await (await adminOf(server)).api(`/api/documents/${REPORT}/export?format=docx&version=bracketed`);
    expect(exported.status).toBe(200);
    const notes = footnotesOf(Buffer.from(await exported.arrayBuffer()));
    expect(notes).toMatch(/bracketed by Brazil/i);
    expect(notes).toContain(EGYPT_TEXT);
    expect(notes).toMatch(/proposed by Egypt; supported by United States/i);
    expect(notes).not.toMatch(/proposed by Brazil/i);
    expect(notes).not.toMatch(/proposed by United States/i);

    // The chair keeps Egypt's text.
    await chairCard.getByTestId('resolve-choose-B').click();
    for (const page of [brazil, egypt, usa, chair]) {
      await expect
        .poll(() => paragraph(page, '3.4').locator('.bracket-option, .bracket-punct, .bracket-label').count(), { timeout: 10_000 })
        .toBe(0);
      expect(await paragraphText(page, '3.4')).toBe(before.replace(BRACKETED, EGYPT_TEXT));
    }

    // The margin marker says what it is; the record says who stood where, dropped text included.
    for (const page of [brazil, usa]) {
      const marker = paragraph(page, '3.4').getByTestId('resolution-marker');
      expect(await marker.getAttribute('aria-label')).toBe('Resolved brackets: 1 — see record');
      await marker.click();
      const record = page.getByTestId('resolution-records').getByTestId('resolution-record');
      await record.waitFor();
      const text = await record.textContent();
      expect(text).toContain('Shahira Selim');
      expect(text).toContain('option B chosen');
      expect(await record.locator('[data-fate="dropped"]').allTextContents()).toEqual([expect.stringMatching(/Original text.*Bracketed by Brazil/)]);
      expect(await record.locator('[data-fate="kept"]').textContent()).toMatch(/each provision in turn.*Proposed by Egypt · supported by United States/);
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

    await egyptThread.getByTestId('reply-open').click();
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

  it('locks an agreed paragraph against delegations; the chair’s edit makes it “changed since agreed” until the chair agrees section 3', async () => {
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
    await expect.poll(() => egypt.getByTestId('consensus-figure').textContent()).toContain('1 of');

    // The chair still edits it: everyone sees the change, and that the agreement no longer holds.
    await caretAtEnd(chair, '3.2');
    await chair.keyboard.type(' (as agreed)');
    for (const page of [egypt, usa, chair]) {
      await expect.poll(() => paragraphText(page, '3.2'), { timeout: 10_000 }).toBe(`${original} (as agreed)`);
      const badge = paragraph(page, '3.2').locator('.status-badge');
      await expect.poll(() => badge.textContent(), { timeout: 10_000 }).toBe('Changed since agreed');
      expect(await badge.getAttribute('title')).toContain('The chair must agree it again');
    }
    await expect.poll(() => egypt.getByTestId('consensus-figure').textContent()).toContain('0 of');
    // Still locked for delegations: the stored status is what locks.
    await caretAtEnd(egypt, '3.2');
    await egypt.keyboard.type(' Egypt');
    await egypt.waitForTimeout(SETTLE_MS);
    expect(await paragraphText(usa, '3.2')).toBe(`${original} (as agreed)`);
    await goTo(egypt, '3.2');
    expect(await egypt.getByTestId('paragraph-status').textContent()).toContain('Changed since agreed');

    // The chair agrees the whole section, told first how many paragraphs that sets.
    await chair.getByTestId('agree-section').click();
    const dialog = chair.getByTestId('agree-dialog');
    await dialog.waitFor();
    const title = (await chair.locator('dialog[open] .modal__title').textContent()) ?? '';
    const count = Number(/^Agree (\d+) paragraphs of section 3\?$/.exec(title)?.[1]);
    // 3.1 to 3.5 and a) to f) under 3.5: the heading "3 Summary of views" is not a paragraph.
    expect(count).toBe(11);
    expect(await dialog.getByTestId('agree-refs').textContent()).toBe('3.1, 3.2, 3.3, 3.4, 3.5 … 3.5 e), 3.5 f)');
    await dialog.getByTestId('agree-confirm').click();
    for (const page of [egypt, chair]) {
      await expect.poll(() => paragraph(page, '3.2').locator('.status-badge').textContent(), { timeout: 10_000 }).toBe('Agreed');
      await expect.poll(() => paragraph(page, '3.4').locator('.status-badge').textContent(), { timeout: 10_000 }).toBe('Agreed');
    }
    await expect.poll(() => egypt.getByTestId('consensus-figure').textContent()).toContain(`${count} of`);
  });
});
