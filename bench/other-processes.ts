import fs from 'node:fs';
import { cpuSeconds } from './proc-stats.js';

/**
 * CPU used by every other process on the machine during a window: other
 * engineers' type checks and test runs share these two cores, and a latency
 * figure taken while they ran must be recognisable as such. Scanned every
 * second so a short-lived process (a type check) is still caught; kernel
 * threads are left out, since their work (network softirqs) is the bench's own.
 */
export class OtherProcessesCpu {
  private readonly first = new Map<number, number>();
  private readonly last = new Map<number, number>();
  private readonly startedAt = performance.now();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly exclude: ReadonlySet<number>) {
    this.scan(true);
    this.timer = setInterval(() => this.scan(false), 1_000);
  }

  private scan(initial: boolean): void {
    for (const name of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      const pid = Number(name);
      if (this.exclude.has(pid) || isKernelThread(pid)) continue;
      let cpu: number;
      try {
        cpu = cpuSeconds(pid);
      } catch {
        continue; // gone between readdir and read
      }
      // A process first seen after the start used all its CPU inside the window.
      if (!this.first.has(pid)) this.first.set(pid, initial ? cpu : 0);
      this.last.set(pid, cpu);
    }
  }

  /** % of one core used by other processes since construction. */
  stop(): number {
    this.scan(false);
    clearInterval(this.timer);
    let used = 0;
    for (const [pid, cpu] of this.last) used += cpu - (this.first.get(pid) ?? cpu);
    return (used / ((performance.now() - this.startedAt) / 1000)) * 100;
  }
}

function isKernelThread(pid: number): boolean {
  if (pid === 2) return true;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 4 (ppid) right after the state: kernel threads are children of kthreadd (pid 2).
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1] === '2';
  } catch {
    return true;
  }
}
