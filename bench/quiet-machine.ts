import { MachineCpuWindow } from './proc-stats.js';
import { sleep } from './wait.js';

export type Quietness = { waitedSeconds: number; backgroundCpuPercent: number; quiet: boolean };

/**
 * Other engineers' test runs share this 2-core machine; a load measured while
 * a type check eats a core says little about either server. Called between
 * loads, when the bench itself is idle: waits (bounded) until the machine is
 * quiet and reports what background load remained.
 */
export async function waitForQuietMachine(maxWaitSeconds: number, thresholdPercent = 25): Promise<Quietness> {
  const started = performance.now();
  let busy = Infinity;
  for (;;) {
    const window = new MachineCpuWindow();
    await sleep(1_000);
    busy = window.stop();
    const waited = (performance.now() - started) / 1000;
    if (busy <= thresholdPercent || waited >= maxWaitSeconds) {
      return { waitedSeconds: waited, backgroundCpuPercent: busy, quiet: busy <= thresholdPercent };
    }
  }
}
