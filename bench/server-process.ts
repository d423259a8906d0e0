import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { ROOT, type ServerKind } from './config.js';
import { isRunning, removeTempDir, stopChild, track, trackTempDir } from './children.js';
import type { Endpoint } from './endpoint.js';
import { sessionFromSetupLink } from './our-session.js';
import { sleep, waitUntil } from './wait.js';

export type Health = { loadedDocuments: number; connections: number };

/** A server under test, running as a child process on 127.0.0.1. */
export type ServerUnderTest = {
  kind: ServerKind;
  pid: number;
  /** Creates an empty document and says where clients reach it. */
  createDocument(title: string): Promise<Endpoint>;
  /** Our server's /api/health; undefined for the reference, which has no such thing. */
  health(): Promise<Health | undefined>;
  /** Log lines at warn level or above (ours) or anything on stderr (reference), for the report. */
  problems: string[];
  stop(): Promise<void>;
};

const REFERENCE_BIN = path.join(ROOT, 'node_modules', 'y-websocket-classic', 'bin', 'server.js');
const OUR_MAIN = path.join(ROOT, 'server', 'main.ts');

export function ourServerExists(): boolean {
  return fs.existsSync(OUR_MAIN);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Starts a fresh server (fresh data directory, free port) and waits for
 * `GET /api/health` to answer 200. The reference answers "okay" to any GET,
 * so the same readiness check serves both.
 */
export async function startServer(kind: ServerKind, extraEnv: Record<string, string> = {}): Promise<ServerUnderTest> {
  const port = await freePort();
  const dataDir = trackTempDir(fs.mkdtempSync(path.join(os.tmpdir(), `bench-${kind}-`)));
  // BENCH_SERVER_PROFILE=<dir>: our server writes a V8 CPU profile there when it stops (open it in Chromium's DevTools).
  const profile = process.env.BENCH_SERVER_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_SERVER_PROFILE}`] : [];
  const args = kind === 'ours' ? [...profile, '--import', 'tsx', OUR_MAIN] : [REFERENCE_BIN];
  const child = track(
    spawn(process.execPath, args, {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        // Production default, set explicitly so a LOG_LEVEL=debug in the caller's shell cannot slow one server down.
        LOG_LEVEL: 'info',
        ...extraEnv,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );

  const problems: string[] = [];
  let setupUrl: string | undefined;
  const tail: string[] = [];
  const remember = (line: string) => {
    tail.push(line);
    if (tail.length > 40) tail.shift();
  };
  // Both pipes must be drained continuously: pino writes synchronously, and a full pipe would stall the server.
  readline.createInterface({ input: child.stdout! }).on('line', (line) => {
    remember(line);
    if (kind !== 'ours') return;
    try {
      const entry = JSON.parse(line) as { level?: number; msg?: string; setupUrl?: unknown };
      // The first-start setup link is logged as a warning on purpose; it is not a problem here.
      if (typeof entry.setupUrl === 'string') setupUrl = entry.setupUrl;
      else if ((entry.level ?? 0) >= 40 && problems.length < 200) problems.push(line);
    } catch {
      // not a log line
    }
  });
  readline.createInterface({ input: child.stderr! }).on('line', (line) => {
    remember(line);
    if (problems.length < 200) problems.push(line);
  });

  const httpBase = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await stopChild(child);
    removeTempDir(dataDir);
  };

  try {
    await waitHealthy(httpBase, () => isRunning(child), 30_000);
  } catch (err) {
    await stop();
    throw new Error(`${kind} server did not become healthy: ${(err as Error).message}\n${tail.join('\n')}`);
  }

  const wsBase = `ws://127.0.0.1:${port}/collab`;
  const headers: Record<string, string> = {};
  if (kind === 'ours') {
    // The setup link is logged right after listening; its line may trail the health answer by a moment.
    await waitUntil(() => setupUrl !== undefined, 500);
    if (setupUrl) {
      try {
        headers.cookie = await sessionFromSetupLink(httpBase, setupUrl);
      } catch (err) {
        await stop();
        throw err;
      }
    }
  }

  return {
    kind,
    pid: child.pid!,
    problems,
    stop,
    async createDocument(title) {
      // The reference has no API: any room name is a document, created on first connection.
      if (kind === 'reference') return { wsBase, documentId: `bench-${crypto.randomBytes(6).toString('hex')}`, headers };
      const res = await fetch(`${httpBase}/api/documents`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ title }),
      });
      if (res.status !== 201) {
        await sleep(100); // let the server's own account of it reach the log
        const logged = problems.at(-1);
        throw new Error(`POST /api/documents answered ${res.status}: ${await res.text()}${logged ? `\n  server log: ${logged.slice(0, 400)}` : ''}`);
      }
      const { id } = (await res.json()) as { id: string };
      return { wsBase, documentId: id, headers };
    },
    async health() {
      if (kind === 'reference') return undefined;
      const res = await fetch(`${httpBase}/api/health`, { headers });
      return (await res.json()) as Health;
    },
  };
}

async function waitHealthy(httpBase: string, alive: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  let last = 'no answer';
  while (performance.now() < deadline) {
    if (!alive()) throw new Error('the process exited');
    try {
      const res = await fetch(`${httpBase}/api/health`);
      await res.arrayBuffer();
      if (res.status === 200) return;
      last = `status ${res.status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await sleep(100);
  }
  throw new Error(`timed out (${last})`);
}
