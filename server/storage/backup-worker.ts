import { parentPort } from 'node:worker_threads';
import { backupDatabase } from './backup.js';

export type BackupRequest = { dataDir: string; out: string };
export type BackupAnswer = { ok: true; file: string; bytes: number; ms: number } | { ok: false; message: string };

/** Runs one backup off the server's main thread (see backup-in-worker.ts). */
parentPort!.once('message', async ({ dataDir, out }: BackupRequest) => {
  try {
    parentPort!.postMessage({ ok: true, ...(await backupDatabase(dataDir, out)) } satisfies BackupAnswer);
  } catch (err) {
    parentPort!.postMessage({ ok: false, message: (err as Error).message } satisfies BackupAnswer);
  }
});
