import type { Worker } from 'node:worker_threads';
import { startWorker } from '../start-worker.js';
import { PayloadTooLargeError, UnprocessableEntityError, UnsupportedMediaTypeError } from '../errors.js';
import type { ImportedFile } from './import-file.js';

/**
 * Imports run in a worker thread: a 300-page Word file is a second of CPU,
 * and on the main thread that second would freeze every live editing session
 * on the server. The worker also bounds what a hostile file can cost: its heap
 * is capped and it is stopped after a time limit.
 */

export type WorkerLimits = { timeoutMs: number; maxHeapMb: number };
const DEFAULT_LIMITS: WorkerLimits = { timeoutMs: 60_000, maxHeapMb: 1024 };

type Answer =
  | { ok: true; result: ImportedFile }
  | { ok: false; error: { status: number; code: string; message: string; detail?: string } };

export function importInWorker(fileName: string, bytes: Buffer, limits: WorkerLimits = DEFAULT_LIMITS): Promise<ImportedFile> {
  return new Promise((resolve, reject) => {
    const worker = startImportWorker(limits);
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      fn();
    };
    const timer = setTimeout(
      () => finish(() => reject(new UnprocessableEntityError('This file took too long to convert; it was not imported.'))),
      limits.timeoutMs,
    );
    worker.once('message', (answer: Answer) =>
      finish(() => (answer.ok ? resolve({ ...answer.result, update: new Uint8Array(answer.result.update) }) : reject(toError(answer.error)))),
    );
    worker.once('error', (err: Error & { code?: string }) =>
      finish(() =>
        reject(
          err.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? new UnprocessableEntityError('This file needs more memory to convert than an import may use; it was not imported.')
            : err,
        ),
      ),
    );
    worker.once('exit', (code) => finish(() => reject(new Error(`The import worker stopped (exit code ${code})`))));
    const copy = new Uint8Array(bytes);
    worker.postMessage({ fileName, bytes: copy }, [copy.buffer]);
  });
}

function startImportWorker(limits: WorkerLimits): Worker {
  return startWorker(import.meta.url, './import-worker', { resourceLimits: { maxOldGenerationSizeMb: limits.maxHeapMb } });
}

function toError(error: { status: number; code: string; message: string; detail?: string }): Error {
  if (error.status === 415) return new UnsupportedMediaTypeError(error.message);
  if (error.status === 422) return new UnprocessableEntityError(error.message);
  if (error.status === 413) return new PayloadTooLargeError(error.message);
  return new Error(error.detail ?? error.message);
}
