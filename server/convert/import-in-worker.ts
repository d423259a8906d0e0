import { Worker } from 'node:worker_threads';
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
    const worker = startWorker(limits);
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

/**
 * The server runs TypeScript through tsx, whose loader a worker thread does
 * not inherit: a small bootstrap registers it there before loading the entry.
 */
function startWorker(limits: WorkerLimits): Worker {
  const isTs = import.meta.url.endsWith('.ts');
  const entry = new URL(isTs ? './import-worker.ts' : './import-worker.js', import.meta.url).href;
  const resourceLimits = { maxOldGenerationSizeMb: limits.maxHeapMb };
  if (!isTs) return new Worker(new URL(entry), { resourceLimits });
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(bootstrap, { eval: true, resourceLimits });
}

function toError(error: { status: number; code: string; message: string; detail?: string }): Error {
  if (error.status === 415) return new UnsupportedMediaTypeError(error.message);
  if (error.status === 422) return new UnprocessableEntityError(error.message);
  if (error.status === 413) return new PayloadTooLargeError(error.message);
  return new Error(error.detail ?? error.message);
}
