import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

/** Kernel clock ticks per second, the unit of utime/stime in /proc/<pid>/stat. */
const CLOCK_TICKS = (() => {
  try {
    const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isFinite(ticks) && ticks > 0 ? ticks : 100;
  } catch {
    return 100;
  }
})();

/** CPU time (user + system) the process has used so far, in seconds. */
export function cpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may contain spaces and parentheses: split after its closing one.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state), so utime (field 14) and stime (field 15) are at 11 and 12.
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/** Resident set size in bytes (VmRSS), or 0 once the process is gone. */
export function rssBytes(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Samples a process's RSS on a timer and keeps the peak. */
export class PeakRss {
  private peak = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly pid: number,
    intervalMs = 200,
  ) {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  private sample(): void {
    this.peak = Math.max(this.peak, rssBytes(this.pid));
  }

  stop(): number {
    clearInterval(this.timer);
    this.sample();
    return this.peak;
  }
}

/** CPU use over a window, as % of one core. */
export class CpuWindow {
  private readonly startCpu: number;
  private readonly startedAt = performance.now();

  constructor(private readonly pid: number) {
    this.startCpu = cpuSeconds(pid);
  }

  stop(): { percentOfCore: number; cpuSeconds: number; wallSeconds: number } {
    const used = cpuSeconds(this.pid) - this.startCpu;
    const wall = (performance.now() - this.startedAt) / 1000;
    return { percentOfCore: (used / wall) * 100, cpuSeconds: used, wallSeconds: wall };
  }
}

/** This process's own CPU use over a window, as % of one core. */
export class OwnCpuWindow {
  private readonly start = process.cpuUsage();
  private readonly startedAt = performance.now();

  stop(): number {
    const used = process.cpuUsage(this.start);
    const wallMs = performance.now() - this.startedAt;
    return ((used.user + used.system) / 1000 / wallMs) * 100;
  }
}

/** Busy CPU time of the whole machine so far (all cores), in seconds, from /proc/stat. */
export function machineBusySeconds(): number {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
  // cpu  user nice system idle iowait irq softirq steal ...
  const ticks = line.trim().split(/\s+/).slice(1, 9).map(Number);
  const total = ticks.reduce((a, b) => a + b, 0);
  return (total - ticks[3]! - ticks[4]!) / CLOCK_TICKS;
}

/** Whole-machine CPU use over a window, as % of one core (so 200 on a saturated 2-core machine). */
export class MachineCpuWindow {
  private readonly start = machineBusySeconds();
  private readonly startedAt = performance.now();

  stop(): number {
    return ((machineBusySeconds() - this.start) / ((performance.now() - this.startedAt) / 1000)) * 100;
  }
}
