import { slope } from '../memory-run.js';
import { rssBytes } from '../proc-stats.js';

const MB = 1024 * 1024;

/** The leak budget: 50 MB/h is 500 MB over a 10-hour conference day (see "Soak" in docs/performance.md). */
const BUDGET_MB_PER_HOUR = 50;
/** The run length and RSS sampling the budget is meant for: 10 minutes, a reading every 5 s. */
const BUDGET_RUN_MINUTES = 10;
const BUDGET_SAMPLE_SECONDS = 5;

/** The largest single RSS step seen without a leak: V8 growing a heap space, the allocator taking a new arena. */
const BENIGN_STEP_MB = 10;
/** Below this length, one such step, not the scatter of many, decides the slope of a window. */
const SHORT_RUN_MINUTES = 5;

/**
 * The threshold on the least-squares slope of server RSS over the last half
 * of the run (the first half is warm-up: JIT, V8 growing its heap to its
 * working size, SQLite's page cache, the first storm's buffers).
 *
 * A run of 10 minutes or more is held to the budget. A shorter run cannot
 * resolve 50 MB/h: GC and allocator steps move RSS by megabytes within
 * seconds, and the slope's standard error for the same noise grows as
 * sqrt(sample interval) / length^1.5 (n = length / interval points spread
 * over a window proportional to the length). The threshold is scaled by that
 * same factor, so a short run has the same odds of a false alarm as the
 * 10-minute one. Under 5 minutes one step alone can decide the window: a step
 * of h MB at the worst place in a window of W s reads as 1.5·h/W MB/s, so the
 * threshold is at least that for a 10 MB step. 1 minute sampled every second:
 * 1800 MB/h, which still fails anything kept per keystroke or per fan-out
 * frame (88 keystrokes/s to 200 sockets: 100 bytes kept per frame is over
 * 4 GB/h).
 */
export function thresholdMbPerHour(minutes: number, sampleSeconds: number): number {
  const noise = Math.sqrt(sampleSeconds / BUDGET_SAMPLE_SECONDS) * (BUDGET_RUN_MINUTES / minutes) ** 1.5;
  const windowSeconds = (minutes * 60) / 2;
  const oneStep = minutes < SHORT_RUN_MINUTES ? ((1.5 * BENIGN_STEP_MB) / windowSeconds) * 3600 : 0;
  return Math.max(BUDGET_MB_PER_HOUR * Math.max(1, noise), oneStep);
}

export type Trend = {
  samples: number;
  /** The last-half window the slope is taken over, in seconds from the start. */
  fromSeconds: number;
  toSeconds: number;
  slopeMbPerHour: number;
  /** Standard error of that slope (from the residuals): how much the samples' noise alone moves it. */
  standardErrorMbPerHour: number;
  /** Net change over the window by the fitted line. */
  fittedChangeMb: number;
  /**
   * Theil–Sen: the median of the slopes between every two samples. A steady
   * leak moves it as much as the least-squares slope; one step of RSS (a heap
   * space grown, an allocator arena taken, at the worst place: the last
   * seconds of a short window) moves only the pairs that straddle it, a
   * minority, and leaves the median where it was.
   */
  medianSlopeMbPerHour: number;
};

/** Least squares of y (bytes) on x (seconds) over the points from `fromSeconds`. */
export function trendOf(points: ReadonlyArray<[number, number]>, fromSeconds: number): Trend {
  const window = points.filter(([t]) => t >= fromSeconds);
  const perSecond = slope(window as Array<[number, number]>);
  const n = window.length;
  const mx = window.reduce((s, [x]) => s + x, 0) / Math.max(1, n);
  const my = window.reduce((s, [, y]) => s + y, 0) / Math.max(1, n);
  const sxx = window.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  const residuals = window.reduce((s, [x, y]) => s + (y - (my + perSecond * (x - mx))) ** 2, 0);
  const se = n > 2 && sxx > 0 ? Math.sqrt(residuals / (n - 2) / sxx) : NaN;
  const from = window[0]?.[0] ?? fromSeconds;
  const to = window.at(-1)?.[0] ?? fromSeconds;
  return {
    samples: n,
    fromSeconds: from,
    toSeconds: to,
    slopeMbPerHour: (perSecond * 3600) / MB,
    standardErrorMbPerHour: (se * 3600) / MB,
    fittedChangeMb: (perSecond * (to - from)) / MB,
    medianSlopeMbPerHour: (medianSlope(window) * 3600) / MB,
  };
}

function medianSlope(points: ReadonlyArray<[number, number]>): number {
  const slopes: number[] = [];
  for (let i = 0; i < points.length; i++) {
    for (let j = i + 1; j < points.length; j++) {
      const dx = points[j]![0] - points[i]![0];
      if (dx > 0) slopes.push((points[j]![1] - points[i]![1]) / dx);
    }
  }
  if (slopes.length === 0) return Number.NaN;
  slopes.sort((a, b) => a - b);
  const mid = slopes.length >> 1;
  return slopes.length % 2 === 1 ? slopes[mid]! : (slopes[mid - 1]! + slopes[mid]!) / 2;
}

/** The server's RSS every `everyMs`, as (seconds since start, bytes). */
export class RssSampler {
  readonly points: Array<[number, number]> = [];
  private readonly timer: NodeJS.Timeout;
  private readonly startedAt = performance.now();

  constructor(
    private readonly pid: number,
    everyMs: number,
  ) {
    this.sample();
    this.timer = setInterval(() => this.sample(), everyMs);
  }

  private sample(): void {
    const rss = rssBytes(this.pid);
    if (rss > 0) this.points.push([(performance.now() - this.startedAt) / 1000, rss]);
  }

  get latest(): number {
    return this.points.at(-1)?.[1] ?? 0;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
