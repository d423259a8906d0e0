import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from './log.js';

/** `npm start` on a fresh clone: build the client once if it is not there yet. */
export async function buildClientIfMissing(clientDir: string, log: Logger): Promise<void> {
  if (fs.existsSync(path.join(clientDir, 'index.html'))) return;
  log.info({ clientDir }, 'building the client (first start)');
  const { build } = await import('vite');
  await build({ configFile: path.resolve('vite.config.ts'), logLevel: 'warn' });
}
