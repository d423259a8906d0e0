import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';

/**
 * Every child process the bench starts (servers, the light-socket process).
 * A bench that dies half way must not leave a server holding a port and a core
 * on a 2-core machine, so they are killed on any exit, including Ctrl-C.
 */
const live = new Set<ChildProcess>();
/** Servers' temporary data directories, removed with them. */
const tempDirs = new Set<string>();

export function track(child: ChildProcess): ChildProcess {
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

export function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

export function trackTempDir(dir: string): string {
  tempDirs.add(dir);
  return dir;
}

export function removeTempDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
  tempDirs.delete(dir);
}

/** Synchronous, so it also works from an 'exit' handler. */
export function killAllChildren(): void {
  for (const child of live) if (isRunning(child)) child.kill('SIGKILL');
  for (const dir of [...tempDirs]) removeTempDir(dir);
}

let installed = false;

export function installChildCleanup(): void {
  if (installed) return;
  installed = true;
  process.once('exit', killAllChildren);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      killAllChildren();
      process.exit(130);
    });
  }
}

/** Sends `signal`, and SIGKILL if the child is still there after `graceMs`. */
export async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM', graceMs = 5_000): Promise<void> {
  if (!isRunning(child)) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  const timer = setTimeout(() => {
    if (isRunning(child)) child.kill('SIGKILL');
  }, graceMs);
  await exited;
  clearTimeout(timer);
}

/** Resolves when the child has exited, or after `timeoutMs` if it has not. */
export async function exitOf(child: ChildProcess, timeoutMs: number): Promise<void> {
  if (!isRunning(child)) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
