import path from 'node:path';
import { build } from 'vite';

/** The browser tests run against the client as `npm start` serves it: built by Vite. */
export default async function setup(): Promise<void> {
  await build({ configFile: path.resolve(import.meta.dirname, '../../vite.config.ts'), logLevel: 'warn' });
}
