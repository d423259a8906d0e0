import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * A worker thread running `entry` (a module beside the caller, named without
 * its extension). The server runs TypeScript through tsx, whose loader a
 * worker thread does not inherit: under tsx a small bootstrap registers it in
 * the worker before loading the entry; from compiled JavaScript the entry is
 * loaded as it is.
 */
export function startWorker(callerUrl: string, entry: string, options: WorkerOptions = {}): Worker {
  const isTs = callerUrl.endsWith('.ts');
  const href = new URL(`${entry}${isTs ? '.ts' : '.js'}`, callerUrl).href;
  if (!isTs) return new Worker(new URL(href), options);
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(href)}); })`;
  return new Worker(bootstrap, { ...options, eval: true });
}
