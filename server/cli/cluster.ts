import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { type FrontDoor, startFrontDoor } from '../cluster/front-door.js';
import { loadConfig } from '../config.js';
import { createLogger } from '../log.js';

/**
 * Several server processes on one machine, for trying scale-out without a
 * load balancer:
 *
 *   DATABASE_URL=postgres://127.0.0.1:5432/test REDIS_URL=redis://127.0.0.1:6379 \
 *     npm run cluster -- --processes 3 [--port 8080]
 *
 * starts N processes (`server/main.ts`) on ports P+1..P+N and a round-robin
 * front door on P (server/cluster/front-door.ts). A production installation
 * runs the same processes under its own supervisor (systemd, Kubernetes)
 * behind its own balancer; nothing here is needed there.
 */
const USAGE = 'usage: npm run cluster -- --processes <1-16> [--port <port>]';
const MAX_PROCESSES = 16;
/** A child that died is started again after this pause (a crash loop does not spin the CPU). */
const RESTART_DELAY_MS = 1_000;
/** More restarts than this within RESTART_WINDOW_MS and the slot is left down: it would only fail again. */
const MAX_RESTARTS = 5;
const RESTART_WINDOW_MS = 60_000;
/** server/main.ts gives itself 10 s to close; after that it is killed. */
const STOP_TIMEOUT_MS = 10_000;
const ROOT = path.resolve(import.meta.dirname, '../..');

/** A refusal before anything started: one line, exit 2 (a usage error, as for most command lines). */
class Refused extends Error {}

type Slot = {
  index: number;
  port: number;
  child: ChildProcess | null;
  restarts: number[];
  restartTimer: NodeJS.Timeout | null;
  /** Left down after too many restarts. */
  abandoned: boolean;
};

function parseCount(value: string | undefined, what: string, min: number, max: number): number {
  const n = Number(value);
  if (value === undefined || !/^\d+$/.test(value) || n < min || n > max) {
    throw new Refused(`${what} must be an integer from ${min} to ${max}${value === undefined ? '' : `, not "${value}"`} (${USAGE})`);
  }
  return n;
}

function readArguments(argv: string[]): { processes: number; port: number | undefined } {
  let values: { processes?: string; port?: string };
  try {
    ({ values } = parseArgs({ args: argv, options: { processes: { type: 'string' }, port: { type: 'string' } } }));
  } catch (err) {
    throw new Refused(`${err instanceof Error ? err.message : String(err)} (${USAGE})`);
  }
  const processes = parseCount(values.processes, '--processes', 1, MAX_PROCESSES);
  const port = values.port === undefined ? undefined : parseCount(values.port, '--port', 1, 65535 - processes);
  return { processes, port };
}

async function main(argv: string[]): Promise<void> {
  const missing = ['DATABASE_URL', 'REDIS_URL'].filter((name) => !process.env[name]);
  if (missing.length > 0) {
    // One process on SQLite is `npm start`; several on one SQLite file would not see each other's updates.
    throw new Refused(`several processes must share PostgreSQL (DATABASE_URL) and Redis (REDIS_URL): ${missing.join(' and ')} not set`);
  }
  const args = readArguments(argv);
  let config: ReturnType<typeof loadConfig>;
  try {
    // Checked once here rather than N times by children that would then be restarted in a loop.
    config = loadConfig();
  } catch (err) {
    throw new Refused(err instanceof Error ? err.message : String(err));
  }
  const port = args.port ?? config.port;
  if (port < 1 || port + args.processes > 65535) {
    throw new Refused(`the front door's port must leave room for ${args.processes} more after it, not ${port} (${USAGE})`);
  }
  const log = createLogger(config.logLevel).child({ component: 'cluster' });
  // A wildcard is where to listen, not where to connect.
  const backendHost = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const slots: Slot[] = Array.from({ length: args.processes }, (_, i) => ({
    index: i + 1,
    port: port + i + 1,
    child: null,
    restarts: [],
    restartTimer: null,
    abandoned: false,
  }));
  let stopping = false;

  const start = (slot: Slot) => {
    slot.restartTimer = null;
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, PORT: String(slot.port) },
      // Their JSON log lines already carry their pid: passed through as they are.
      stdio: ['ignore', 'inherit', 'inherit'],
      // Their own process group: Ctrl-C reaches the cluster only, which stops the front door before the processes.
      detached: true,
    });
    slot.child = child;
    log.info({ slot: slot.index, pid: child.pid, port: slot.port }, `server process ${slot.index}: pid ${child.pid}, port ${slot.port}`);
    child.once('error', (err) => log.error({ slot: slot.index, err }, `server process ${slot.index} could not be started`));
    child.once('exit', (code, signal) => {
      slot.child = null;
      if (stopping) return;
      log.error({ slot: slot.index, pid: child.pid, code, signal }, `server process ${slot.index} (pid ${child.pid}) exited unexpectedly`);
      const now = Date.now();
      slot.restarts = slot.restarts.filter((t) => now - t < RESTART_WINDOW_MS);
      if (slot.restarts.length >= MAX_RESTARTS) {
        slot.abandoned = true;
        log.error(
          { slot: slot.index, port: slot.port },
          `server process ${slot.index} restarted ${MAX_RESTARTS} times within a minute: left down (the others go on serving)`,
        );
        if (slots.every((s) => s.abandoned)) {
          log.error('every server process is down: stopping the cluster');
          void stop(1);
        }
        return;
      }
      slot.restarts.push(now);
      slot.restartTimer = setTimeout(() => start(slot), RESTART_DELAY_MS);
    });
  };

  // Before the first child starts: a signal during start-up must not leave them behind.
  process.on('SIGTERM', () => void stop(0));
  process.on('SIGINT', () => void stop(0));
  // Detached children outlive a cluster that dies some other way: take them along.
  process.on('exit', () => {
    for (const slot of slots) slot.child?.kill('SIGTERM');
  });
  for (const slot of slots) start(slot);
  let door: FrontDoor | null = null;
  try {
    door = await startFrontDoor({
      host: config.host,
      port,
      backends: slots.map((s) => ({ host: backendHost, port: s.port })),
      log,
    });
  } catch (err) {
    log.error({ err }, `the front door could not listen on ${config.host}:${port}`);
    await stop(1);
    return;
  }
  log.info({ url: `http://${config.host}:${door.port}` }, `front door on http://${config.host}:${door.port}, over ${slots.length} process${slots.length === 1 ? '' : 'es'}`);

  async function stop(code: number): Promise<void> {
    if (stopping) return;
    stopping = true;
    log.info('stopping the cluster');
    // The door first: no new connection lands on a process that is closing.
    await door?.close();
    const exits = slots.map((slot) => {
      if (slot.restartTimer) clearTimeout(slot.restartTimer);
      const child = slot.child;
      if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const killer = setTimeout(() => {
          log.warn({ slot: slot.index, pid: child.pid }, `server process ${slot.index} did not stop in time: killed`);
          child.kill('SIGKILL');
        }, STOP_TIMEOUT_MS);
        child.once('exit', () => {
          clearTimeout(killer);
          resolve();
        });
        child.kill('SIGTERM');
      });
    });
    await Promise.all(exits);
    log.info('cluster stopped');
    process.exit(code);
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(err instanceof Refused ? 2 : 1);
});
