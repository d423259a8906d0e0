import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORAGE_FULL_NOTICE } from '../../client/collab/close-messages.js';
import { launchBrowser } from '../support/browser.js';
import { caretAtEnd, paragraphText } from '../support/negotiation.js';
import { openEditorAs } from '../support/pages.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { cannotMountSmallDisk, fillDisk, mountSmallDisk, type SmallDisk } from '../support/small-disk.js';

const REPORT = 'eg-itrs-final-report';
const ARTIFACTS = 'test-results/disk-full';

const cannotMount = cannotMountSmallDisk();
if (cannotMount) console.warn(`skipping tests/e2e/disk-full.test.ts: ${cannotMount}`);

describe.skipIf(cannotMount !== null)('a full disk, as a delegate in Chromium sees it', () => {
  let disk: SmallDisk | undefined;
  let server: ServerProcess | undefined;
  let browser: Browser | undefined;
  let egypt: Page;
  let kenya: Page;

  beforeAll(async () => {
    disk = mountSmallDisk(8);
    // The full disk is the SQLite file's: this server keeps SQLite even when the suite runs on PostgreSQL.
    server = await startServerProcess({ dataDir: path.join(disk.dir, 'data'), storage: 'sqlite' });
    browser = await launchBrowser();
    egypt = await openEditorAs(browser, server, REPORT, { name: 'Amina Hassan', delegation: 'Egypt' });
    kenya = await openEditorAs(browser, server, REPORT, { name: 'Wanjiru Kamau', delegation: 'Kenya' });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop('SIGKILL');
    disk?.unmount();
  });

  it('says the server cannot save, keeps what the delegate typed, and sends it once space is back', async () => {
    await caretAtEnd(egypt, '3.4');
    await egypt.keyboard.type(' Saved before.');
    await expect.poll(() => paragraphText(kenya, '3.4'), { timeout: 10_000 }).toContain('Saved before.');

    const filler = path.join(disk!.dir, 'filler');
    fillDisk(filler);
    await egypt.keyboard.type(' Typed on a full disk.');
    const notice = egypt.getByTestId('server-pause-message');
    await notice.waitFor({ timeout: 10_000 });
    expect(await notice.textContent()).toBe(STORAGE_FULL_NOTICE);
    expect(await egypt.getByTestId('connection-status').textContent()).toContain('Server disk full');
    // Kept where it was typed, and still editable: nothing was thrown away.
    expect(await paragraphText(egypt, '3.4')).toContain('Typed on a full disk.');
    expect(await egypt.locator('.ProseMirror').getAttribute('contenteditable')).toBe('true');
    // Nobody else sees what the server did not save.
    expect(await paragraphText(kenya, '3.4')).not.toContain('Typed on a full disk.');

    fs.mkdirSync(ARTIFACTS, { recursive: true });
    for (const [width, height] of [[1440, 900], [1024, 768]] as const) {
      await egypt.setViewportSize({ width, height });
      await notice.waitFor();
      await egypt.screenshot({ path: `${ARTIFACTS}/editor-${width}x${height}.png` });
    }

    fs.rmSync(filler);
    await expect.poll(() => paragraphText(kenya, '3.4'), { timeout: 15_000 }).toContain('Typed on a full disk.');
    await expect.poll(() => notice.count(), { timeout: 10_000 }).toBe(0);
    expect(server!.process.exitCode).toBeNull();
  });
});
