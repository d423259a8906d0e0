import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..');

export type ServerKind = 'ours' | 'reference';

export type LoadSpec = {
  name: string;
  /** Every socket on the document: typists + measuring clients + light sockets. */
  clients: number;
  typists: number;
  /** Measuring clients (full Y.Docs applying every update), instead of BENCH_MEASURERS. */
  measurers?: number;
  /** The light sockets in the bench's own process, sharing its event loop with the measuring clients. */
  sharedLight?: boolean;
  /** Run against our server only (the reference does not keep up with L in the first place). */
  oursOnly?: boolean;
};

export type BenchConfig = {
  servers: ServerKind[];
  loads: LoadSpec[];
  /** How long the typists type, per load. */
  seconds: number;
  /** How long after typing stops a keystroke may still arrive and count as delivered. */
  drainSeconds: number;
  keystrokesPerSecond: number;
  measurers: number;
  /** Idle loaded copies of the seed for the memory figure; 0 skips it. */
  memoryCopies: number;
  /** Longest wait, before each load, for other processes to leave the machine quiet. */
  quietWaitSeconds: number;
  /** How many more times a load is run when other processes were busy during it. */
  noisyRetries: number;
  /** Extra environment for our server only (BENCH_OURS_ENV="FANOUT_WINDOW_MS=0 AWARENESS_INTERVAL_MS=100"), to try settings. */
  oursEnv: Record<string, string>;
  seedFile: string;
  resultsFile: string;
};

const LOADS: Record<string, LoadSpec> = {
  S: { name: 'S', clients: 200, typists: 10 },
  L: { name: 'L', clients: 1000, typists: 50 },
  /**
   * L as someone trying the server with one script measures it: five full
   * clients applying every update, and the 945 light sockets in the same
   * process, so the client side is busier and every fan-out reaches a loaded
   * event loop (issue 15's figures: p99 82.6 ms where L says 45.9).
   */
  LH: { name: 'LH', clients: 1000, typists: 50, measurers: 5, sharedLight: true, oursOnly: true },
};

/** Other processes using more than this (% of one core) during typing make a load's figures suspect; it is run again. */
export const NOISY_OTHER_CPU_PERCENT = 25;

export const GOALS = {
  sP99Ms: 15,
  lP99Ms: 50,
  p99Ratio: 0.8,
  rssPerCopyBytes: 2 * 1024 * 1024,
} as const;

function positiveNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number, got "${raw}"`);
  return value;
}

function list(name: string, fallback: string): string[] {
  return (process.env[name] ?? fallback)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function envPairs(name: string): Record<string, string> {
  const pairs: Record<string, string> = {};
  for (const pair of (process.env[name] ?? '').split(/\s+/).filter(Boolean)) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new Error(`${name}: expected NAME=value pairs, got "${pair}"`);
    pairs[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return pairs;
}

export function loadConfig(): BenchConfig {
  const servers = list('BENCH_SERVERS', 'ours,reference').map((s) => {
    if (s !== 'ours' && s !== 'reference') throw new Error(`BENCH_SERVERS: unknown server "${s}" (ours, reference)`);
    return s as ServerKind;
  });
  const loads = list('BENCH_LOADS', 'S,L,LH').map((name) => {
    const load = LOADS[name.toUpperCase()];
    if (!load) throw new Error(`BENCH_LOADS: unknown load "${name}" (S, L, LH)`);
    return load;
  });
  return {
    servers,
    loads,
    seconds: positiveNumber('BENCH_SECONDS', 20),
    drainSeconds: positiveNumber('BENCH_DRAIN_SECONDS', 5),
    keystrokesPerSecond: 5,
    measurers: Math.max(1, Math.round(positiveNumber('BENCH_MEASURERS', 3))),
    memoryCopies: Math.round(positiveNumber('BENCH_MEMORY_COPIES', 50)),
    quietWaitSeconds: positiveNumber('BENCH_QUIET_WAIT_SECONDS', 60),
    noisyRetries: Math.round(positiveNumber('BENCH_NOISY_RETRIES', 1)),
    oursEnv: envPairs('BENCH_OURS_ENV'),
    seedFile: path.join(ROOT, 'seeds', '002_d139c0fac23d053a.txt'),
    resultsFile: path.join(ROOT, 'bench', 'results', 'latest.json'),
  };
}
