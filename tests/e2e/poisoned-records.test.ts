import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listThreads, reply } from '../../shared/model/comments.js';
import { launchBrowser } from '../support/browser.js';
import { paragraphText } from '../support/negotiation.js';
import { openEditorAs } from '../support/pages.js';
import { ANNEX, COMMENT } from '../support/poisoned-doc.js';
import { startWithPoisonedDocument } from '../support/poisoned-server.js';
import type { ServerProcess } from '../support/server-process.js';
import { connectSynced } from '../support/yjs-client.js';

describe('a document with damaged records, in Chromium', () => {
  let server: ServerProcess;
  let browser: Browser;
  let documentId = '';
  let token = '';
  let secretariat: Page;
  let egypt: Page;

  beforeAll(async () => {
    ({ server, documentId, token } = await startWithPoisonedDocument());
    browser = await launchBrowser();
    secretariat = await openEditorAs(browser, server, documentId, { name: 'Sam Clerk', delegation: 'Secretariat', role: 'secretariat' });
    egypt = await openEditorAs(browser, server, documentId, { name: 'Amina Hassan', delegation: 'Egypt' });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const count = (page: Page, heading: string) => page.locator(`#${heading} .panel__count`).textContent();

  it('shows every valid record, and tells the secretariat what was skipped', async () => {
    for (const page of [secretariat, egypt]) {
      await page.getByTestId('bracket-panel-item').first().waitFor();
      expect(await count(page, 'brackets-heading')).toBe('2');
      expect(await count(page, 'comments-heading')).toBe('2');
      expect(await paragraphText(page, '4.1')).toBe(ANNEX);
      await page.getByText(COMMENT).first().waitFor();
    }
    const notice = secretariat.getByTestId('damaged-records');
    await notice.waitFor();
    const lines = await notice.getByTestId('damaged-records-line').allTextContents();
    expect(lines[0]).toMatch(/^13 damaged bracket records were skipped: empty-group/);
    expect(lines).toContain('4 damaged bracket marks in the text were ignored: ¶ 4.1 (p3)');
    // Delegates work on without it: it is not theirs to repair.
    expect(await egypt.getByTestId('damaged-records').count()).toBe(0);
  });

  it('keeps following the document: a reply made elsewhere appears on the open pages', async () => {
    const client = await connectSynced(server.wsUrl, documentId, token);
    const thread = listThreads(client.doc).find((t) => t.messages.some((m) => m.text === COMMENT))!;
    reply(client.doc, { threadId: thread.id, text: 'Seen on every page.', actor: { name: 'Secretariat', delegation: 'Secretariat' } });
    for (const page of [secretariat, egypt]) await page.getByText('Seen on every page.').first().waitFor();
    client.destroy();
  });
});
