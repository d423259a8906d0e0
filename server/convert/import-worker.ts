import { parentPort } from 'node:worker_threads';
import { describeError } from '../errors.js';
import { importFile } from './import-file.js';

/**
 * Runs one import off the main thread (see import-in-worker.ts). Answers
 * `{ ok, result }` or `{ ok: false, error: { status, code, message } }`.
 */
parentPort!.once('message', async ({ fileName, bytes }: { fileName: string; bytes: Uint8Array }) => {
  try {
    const result = await importFile(fileName, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    parentPort!.postMessage({ ok: true, result }, [result.update.buffer as ArrayBuffer]);
  } catch (err) {
    const { status, code, message } = describeError(err);
    parentPort!.postMessage({ ok: false, error: { status, code, message, detail: status >= 500 ? String(err) : undefined } });
  }
});
