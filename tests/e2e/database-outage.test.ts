import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORAGE_UNAVAILABLE_NOTICE } from '../../client/collab/close-messages.js';
import { launchBrowser } from '../support/browser.js';
import { startServerBehindCuttablePostgres, type CuttableProxy } from '../support/cuttable-proxy.js';
import { caretAtEnd, paragraphText } from '../support/negotiation.js';
import { openEditorAs } from '../support/pages.js';
import type { ServerProcess } from '../support/server-process.js';
import { needServices } from '../support/services.js';

const REPORT = 'eg-itrs-final-report';
const ARTIFACTS = 'test-results/database-outage';
const missing = await needServices('postgres');

describe.skipIf(missing !== null)('PostgreSQL going away, as a delegate in Chromium sees it', () => {
  let setup: Awaited<ReturnType<typeof startServerBehindCuttablePostgres>> | undefined;
  let proxy: CuttableProxy;
  let server: ServerProcess;
  let browser: Browser | undefined;
  let egypt: Page;
  let kenya: Page;

  beforeAll(async () => {
    setup = await startServerBehindCuttablePostgres('outage_e2e');
    ({ server, proxy } = setup);
    browser = await launchBrowser();
    egypt = await openEditorAs(browser, server, REPORT, { name: 'Amina Hassan', delegation: 'Egypt' });
    kenya = await openEditorAs(browser, server, REPORT, { name: 'Wanjiru Kamau', delegation: 'Kenya' });
  });

  afterAll(async () => {
    await browser?.close();
    await setup?.stop();
  });

  it('says the server cannot reach its database, keeps what was typed, and sends it once the database is back', async () => {
    await caretAtEnd(egypt, '3.4');
    await egypt.keyboard.type(' Stored before.');
    await expect.poll(() => paragraphText(kenya, '3.4'), { timeout: 10_000 }).toContain('Stored before.');

    proxy.cut();
    await egypt.keyboard.type(' Typed while the database was away.');
    const notice = egypt.getByTestId('server-pause-message');
    await notice.waitFor({ timeout: 15_000 });
    expect(await notice.textContent()).toBe(STORAGE_UNAVAILABLE_NOTICE);
    expect(await egypt.getByTestId('connection-status').textContent()).toContain('Server database unreachable');
    expect(await paragraphText(egypt, '3.4')).toContain('Typed while the database was away.');
    expect(await paragraphText(kenya, '3.4')).not.toContain('Typed while the database was away.');

    fs.mkdirSync(ARTIFACTS, { recursive: true });
    for (const [width, height] of [[1440, 900], [1024, 768]] as const) {
      await egypt.setViewportSize({ width, height });
      await notice.waitFor();
      await egypt.screenshot({ path: `${ARTIFACTS}/editor-${width}x${height}.png` });
    }

    proxy.restore();
    await expect.poll(() => paragraphText(kenya, '3.4'), { timeout: 20_000 }).toContain('Typed while the database was away.');
    await expect.poll(() => notice.count(), { timeout: 10_000 }).toBe(0);
  });
});
