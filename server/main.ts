import { buildClientIfMissing } from './build-client.js';
import { loadConfig } from './config.js';
import { createLogger } from './log.js';
import { startServer } from './server.js';
import { RedisUnreachableError } from './cluster/redis-bus.js';
import { DataRefusedError } from './storage/data-refused-error.js';

const config = loadConfig();
const log = createLogger(config.logLevel);

if (process.argv.includes('--build-if-needed')) await buildClientIfMissing(config.clientDir, log);

const server = await startServer(config, log).catch((err: unknown) => {
  // Data the server must not touch (not ours, newer, damaged), or a database or Redis it cannot reach: the one line that says so, no stack trace.
  if (!(err instanceof DataRefusedError) && !(err instanceof RedisUnreachableError)) throw err;
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
});
log.info({ url: server.url, dataDir: config.dataDir }, `drafting editor listening on ${server.url}`);
if (server.setupUrl) {
  // Said in plain words too: among JSON log lines a newcomer would miss it.
  process.stderr.write(`\nFirst start: open this link once to create the secretariat account:\n  ${server.setupUrl}\n\n`);
}

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'shutting down');
  const forced = setTimeout(() => {
    log.error('shutdown took too long; exiting');
    process.exit(1);
  }, 10_000);
  forced.unref();
  try {
    await server.close();
    log.info('stopped cleanly');
    process.exit(0);
  } catch (err) {
    log.error({ err }, 'error while shutting down');
    process.exit(1);
  }
}
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));
