import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { paragraphStatus, setParagraphStatus } from '../../shared/model/paragraph-status.js';
import { blockText, findBlockByRef } from '../../shared/model/paragraphs.js';
import { caretAtEnd, goTo, paragraph, paragraphText } from '../support/negotiation.js';
import { adminOf, openEditorAs } from '../support/pages.js';
import { caretParagraph, goOffline, goOnline, screenTop, scrollToMiddle, scrollTop } from '../support/reading-place.js';
import { serverAndBrowser } from '../support/stage.js';
import { waitFor } from '../support/wait.js';
import { connectSynced, type TestClient } from '../support/yjs-client.js';

const REPORT = 'eg-itrs-final-report';
const CHAIR = { name: 'Chair', delegation: 'Chair' };

/** Appends words to a paragraph's last run of text, as a stock client types them. */
function typeAtEnd(client: TestClient, ref: string, words: string): void {
  const last = findBlockByRef(client.doc, ref)!.element.toArray().filter((child) => child instanceof Y.XmlText).pop()!;
  last.insert(last.length, words);
}

function refusalNotice(page: Page) {
  return page.locator('[data-testid="notice"][role="alert"]');
}

describe('a change the server refuses, in Chromium', () => {
  const stage = serverAndBrowser();

  it("is dropped from the delegate's page, which keeps the reader's place, says what was not kept and offers the words back", async () => {
    const admin = await adminOf(stage.server);
    const chair = await connectSynced(stage.server.wsUrl, REPORT, (await admin.invite(REPORT, 'chair')).token);
    const egypt = await openEditorAs(stage.browser, stage.server, REPORT, { name: 'Amina Hassan', delegation: 'Egypt' });
    await egypt.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stage.server.url });
    const original = await paragraphText(egypt, '3.2');

    // Egypt has read far down the report, to 3.2, and edits it while cut off from the server;
    // meanwhile the chair marks 3.2 agreed.
    await scrollToMiddle(egypt, '3.2');
    await goOffline(egypt);
    await caretAtEnd(egypt, '3.2');
    await egypt.keyboard.type(' Offline amendment.');
    expect(await paragraphText(egypt, '3.2')).toBe(`${original} Offline amendment.`);
    setParagraphStatus(chair.doc, { paragraphId: findBlockByRef(chair.doc, '3.2')!.id!, status: 'agreed', actor: CHAIR });
    expect(await scrollTop(egypt)).toBeGreaterThan(5000);
    const readingAt = await screenTop(egypt, '3.2');

    // Back online, the offline edit reaches the server, which refuses it: 3.2 is agreed.
    await goOnline(egypt);
    const notice = refusalNotice(egypt);
    await notice.waitFor({ timeout: 15_000 });
    expect(await notice.locator('.notice__text').textContent()).toBe('Your edit to 3.2 was not kept: 3.2 was agreed while you were offline.');
    await waitFor(async () => (await paragraphText(egypt, '3.2')) === original, "Egypt's page to show the server's text", 15_000);
    expect(blockText(findBlockByRef(chair.doc, '3.2')!.element)).toBe(original);
    await egypt.locator('[data-testid="connection-status"][data-state="connected"]').waitFor();

    // The page was rebuilt on the server's copy, and Egypt is still reading where they were, caret in 3.2:
    // 3.2 stands where it stood in the window (the window's offset itself moves with the estimated
    // heights of the blocks above that the new page has not drawn yet: content-visibility).
    expect(await scrollTop(egypt)).toBeGreaterThan(5000);
    expect(Math.abs((await screenTop(egypt, '3.2')) - readingAt)).toBeLessThanOrEqual(4);
    expect(await caretParagraph(egypt)).toBe('3.2');
    await egypt.locator('.status-display__where', { hasText: /^¶ 3\.2$/ }).waitFor();

    // The words that were not kept are offered back, and copied with one click.
    expect(await notice.getByTestId('offered-text').allTextContents()).toEqual([`${original} Offline amendment.`]);
    await notice.getByTestId('copy-my-text').click();
    await notice.getByTestId('copy-my-text').filter({ hasText: 'Copied' }).waitFor();
    expect(await egypt.evaluate(() => navigator.clipboard.readText())).toBe(`${original} Offline amendment.`);

    // It does not cover the paragraph being read, and stays beyond a brief notice's time, until dismissed.
    const [box, text] = [await notice.boundingBox(), await paragraph(egypt, '3.2').boundingBox()];
    expect(box!.x >= text!.x + text!.width || box!.y >= text!.y + text!.height || box!.y + box!.height <= text!.y).toBe(true);
    await egypt.waitForTimeout(5500);
    expect(await notice.count()).toBe(1);
    await notice.getByRole('button', { name: 'Dismiss' }).click();
    expect(await notice.count()).toBe(0);
    chair.destroy();
  });

  it("refuses the chair's offline agreement of a paragraph a delegate changed meanwhile, and says to look again", async () => {
    const admin = await adminOf(stage.server);
    const chairPage = await openEditorAs(stage.browser, stage.server, REPORT, { name: 'Shahira Selim', delegation: 'Chair' });
    const egypt = await connectSynced(stage.server.wsUrl, REPORT, (await admin.invite(REPORT, 'delegate', 'Egypt')).token);
    const watcher = await connectSynced(stage.server.wsUrl, REPORT, (await admin.invite(REPORT, 'observer')).token);
    const id = findBlockByRef(watcher.doc, '3.2')!.id!;

    // 3.2 is open again (the first case left it agreed).
    await goTo(chairPage, '3.2');
    await chairPage.getByTestId('paragraph-status-select').selectOption('open');
    await waitFor(() => paragraphStatus(watcher.doc, id) === 'open', '3.2 to be open on the server');
    const before = blockText(findBlockByRef(watcher.doc, '3.2')!.element);

    // The chair, offline, agrees 3.2 as it reads it; Egypt's amendment of 3.2 reaches the server first.
    await goOffline(chairPage);
    typeAtEnd(egypt, '3.2', ' Egypt amendment.');
    await waitFor(() => blockText(findBlockByRef(watcher.doc, '3.2')!.element) === `${before} Egypt amendment.`, "Egypt's amendment on the server");
    await goTo(chairPage, '3.2');
    await chairPage.getByTestId('paragraph-status-select').selectOption('agreed');

    // Back online, the agreement of a text that is no longer 3.2's is refused.
    await goOnline(chairPage);
    const notice = refusalNotice(chairPage);
    await notice.waitFor({ timeout: 15_000 });
    expect(await notice.locator('.notice__text').textContent()).toContain('3.2 changed since you looked: review and agree again');
    await waitFor(async () => (await paragraphText(chairPage, '3.2')) === `${before} Egypt amendment.`, "the chair's page to show Egypt's amendment", 15_000);
    expect(paragraphStatus(watcher.doc, id)).toBe('open');
    expect(await paragraph(chairPage, '3.2').locator('.status-badge', { hasText: 'Agreed' }).count()).toBe(0);
    egypt.destroy();
    watcher.destroy();
  });
});
