import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { dataDirSchemaName, withSchema } from './pg-schemas.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

export type ServerProcess = {
  url: string;
  wsUrl: string;
  port: number;
  dataDir: string;
  process: ChildProcess;
  /** JSON log lines the server printed so far. */
  logs: Array<Record<string, unknown>>;
  /** Sends a signal and waits for the process to exit; resolves with its exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
};

export type ServerOptions = {
  dataDir?: string;
  port?: number;
  env?: Record<string, string>;
  /**
   * 'sqlite': this server keeps SQLite in its data directory even when the
   * suite runs on PostgreSQL (DATABASE_URL set), for the tests of the SQLite
   * file itself: backups, restore, damaged files, a full disk, records
   * written into the file.
   */
  storage?: 'sqlite';
};

/**
 * The environment of a server or admin command on `dataDir`. Without
 * DATABASE_URL, the test process's own. With it (the suite in PostgreSQL
 * mode), DATABASE_URL names a schema of that data directory's own: tests
 * stay apart, and a server restarted on the same directory finds its data
 * again, as it would in the SQLite file.
 */
export function storageEnv(dataDir: string, storage?: 'sqlite'): NodeJS.ProcessEnv {
  const { DATABASE_URL, ...rest } = process.env;
  if (!DATABASE_URL || storage === 'sqlite') return rest;
  return { ...rest, DATABASE_URL: withSchema(DATABASE_URL, dataDirSchemaName(dataDir)) };
}

export function tempDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'drafts-test-'));
}

/** Starts the real server (`server/main.ts`) as a child process and waits until it listens. */
export async function startServerProcess(options: ServerOptions = {}): Promise<ServerProcess> {
  const dataDir = options.dataDir ?? tempDataDir();
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: {
      ...storageEnv(dataDir, options.storage),
      PORT: String(options.port ?? 0),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'debug',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Array<Record<string, unknown>> = [];
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in time\n${stderr}`)), 30_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening\n${stderr}`));
    });
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return;
      }
      logs.push(entry);
      if (typeof entry.url === 'string' && String(entry.msg).includes('listening')) {
        clearTimeout(timer);
        resolve(entry.url);
      }
    });
  });
  const port = Number(new URL(url).port);
  return {
    url,
    wsUrl: `ws://127.0.0.1:${port}/collab`,
    port,
    dataDir,
    process: child,
    logs,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
