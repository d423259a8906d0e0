import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchBrowser } from './browser.js';
import { startServerProcess, type ServerProcess } from './server-process.js';

export type Stage = { server: ServerProcess; browser: Browser };

/**
 * The real server and a real Chromium for one `describe` block: started before
 * its tests (and before hooks registered after this call), stopped after them.
 */
export function serverAndBrowser(): Stage {
  const stage = {} as Stage;
  beforeAll(async () => {
    stage.server = await startServerProcess();
    stage.browser = await launchBrowser();
  });
  afterAll(async () => {
    await stage.browser?.close();
    await stage.server?.stop();
  });
  return stage;
}
