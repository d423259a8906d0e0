import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { createClient } from 'redis';
import { ROOT } from './config.js';
import { isRunning, removeTempDir, stopChild, track, trackTempDir } from './children.js';
import type { Endpoint } from './endpoint.js';
import { dropSchema } from './scale-out-store.js';
import { sleep, waitUntil } from './wait.js';

/** One process of a bench cluster: where its clients connect, and its pid for CPU figures. */
export type ClusterProcess = { pid: number; httpBase: string; wsBase: string; problems: string[] };

export type BenchCluster = {
  processes: ClusterProcess[];
  /** A document created through process 0, as an endpoint on each process (one session cookie: sessions live in PostgreSQL). */
  createDocument(title: string): Promise<Endpoint[]>;
  stop(): Promise<void>;
};

const OUR_MAIN = path.join(ROOT, 'server', 'main.ts');
const PASSWORD = 'bench-password-not-secret';

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
 * N server processes on one PostgreSQL schema, one Redis prefix and one data
 * directory, as `npm run cluster` would start them, each on a port of its
 * own. Everything they made (schema, stream, directory) goes with stop().
 */
export async function startBenchCluster(count: number, postgresUrl: string, redisUrl: string): Promise<BenchCluster> {
  const tag = crypto.randomBytes(4).toString('hex');
  const schema = `bench_scale_out_${tag}`;
  const prefix = `bench_scale_out_${tag}`;
  const dataDir = trackTempDir(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-scale-out-')));
  const env = { DATABASE_URL: `${postgresUrl}?schema=${schema}`, REDIS_URL: `${redisUrl}?prefix=${prefix}` };
  const children: ChildProcess[] = [];
  const setupUrls: string[] = [];
  const processes: ClusterProcess[] = [];

  const stop = async () => {
    await Promise.all(children.map((c) => stopChild(c)));
    removeTempDir(dataDir);
    const redis = createClient({ url: redisUrl });
    redis.on('error', () => {});
    await redis.connect();
    await redis.del(`${prefix}:live`);
    await redis.close();
    await dropSchema(postgresUrl, schema);
  };

  try {
    // One after the other: the first migrates and makes the setup link, the rest find both done.
    for (let i = 0; i < count; i++) {
      const port = await freePort();
      const child = track(
        spawn(process.execPath, ['--import', 'tsx', OUR_MAIN], {
          cwd: ROOT,
          env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info', ...env },
          stdio: ['ignore', 'pipe', 'pipe'],
        }),
      );
      children.push(child);
      const problems: string[] = [];
      const tail: string[] = [];
      readline.createInterface({ input: child.stdout! }).on('line', (line) => {
        tail.push(line);
        if (tail.length > 30) tail.shift();
        try {
          const entry = JSON.parse(line) as { level?: number; setupUrl?: unknown };
          if (typeof entry.setupUrl === 'string') setupUrls.push(entry.setupUrl);
          else if ((entry.level ?? 0) >= 40 && problems.length < 100) problems.push(line);
        } catch {
          // not a log line
        }
      });
      readline.createInterface({ input: child.stderr! }).on('line', (line) => {
        tail.push(line);
        // The first start prints its setup link on stderr too, for a person; that is not a problem.
        if (line.trim() && !/setup|secretariat account/i.test(line) && problems.length < 100) problems.push(line);
      });
      const httpBase = `http://127.0.0.1:${port}`;
      if (!(await healthy(httpBase, child))) throw new Error(`cluster process ${i} did not become healthy:\n${tail.join('\n')}`);
      processes.push({ pid: child.pid!, httpBase, wsBase: `ws://127.0.0.1:${port}/collab`, problems });
    }
    await waitUntil(() => setupUrls.length > 0, 2_000);
    const cookie = await signIn(processes[0]!.httpBase, setupUrls[0]);
    return {
      processes,
      stop,
      async createDocument(title) {
        const res = await fetch(`${processes[0]!.httpBase}/api/documents`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie },
          body: JSON.stringify({ title }),
        });
        if (res.status !== 201) throw new Error(`POST /api/documents answered ${res.status}: ${await res.text()}`);
        const { id } = (await res.json()) as { id: string };
        return processes.map((p) => ({ wsBase: p.wsBase, documentId: id, headers: { cookie } }));
      },
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function healthy(httpBase: string, child: ChildProcess): Promise<boolean> {
  const deadline = performance.now() + 30_000;
  while (performance.now() < deadline && isRunning(child)) {
    try {
      const res = await fetch(`${httpBase}/api/health`);
      await res.arrayBuffer();
      if (res.status === 200) return true;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  return false;
}

/** The setup link makes the secretariat account; without one (it was made already), the password signs in. */
async function signIn(httpBase: string, setupUrl: string | undefined): Promise<string> {
  const body = setupUrl
    ? { path: '/api/session/setup', json: { token: new URL(setupUrl).pathname.split('/').filter(Boolean).at(-1), name: 'Bench Secretariat', password: PASSWORD } }
    : { path: '/api/session/password', json: { name: 'Bench Secretariat', password: PASSWORD } };
  const res = await fetch(`${httpBase}${body.path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body.json),
  });
  if (!res.ok) throw new Error(`signing in the bench secretariat answered ${res.status}: ${await res.text()}`);
  const cookies = res.headers.getSetCookie().map((c) => c.split(';', 1)[0]!);
  if (cookies.length === 0) throw new Error('signing in the bench secretariat returned no session cookie');
  return cookies.join('; ');
}
