import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

const SYSTEM_CHROMIUM = '/usr/bin/chromium';

/**
 * A real headless Chromium: the system one when installed, otherwise the one
 * shipped inside the @sparticuz/chromium package (no browser download needed).
 */
export async function launchBrowser(): Promise<Browser> {
  const executablePath = fs.existsSync(SYSTEM_CHROMIUM)
    ? SYSTEM_CHROMIUM
    : await (await import('@sparticuz/chromium')).default.executablePath();
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
