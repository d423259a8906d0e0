import { pathToFileURL } from 'node:url';
import fs from 'node:fs';
import pg from 'pg';
import { createClient } from 'redis';
import { installChildCleanup, killAllChildren } from './children.js';
import { KeystrokeLog } from './keystroke-log.js';
import { LatencyProbe } from './latency.js';
import { LightSockets } from './light-sockets.js';
import { OtherProcessesCpu } from './other-processes.js';
import { waitForQuietMachine, type Quietness } from './quiet-machine.js';
import { CpuWindow, MachineCpuWindow } from './proc-stats.js';
import { startBenchCluster, type BenchCluster } from './scale-out-cluster.js';
import { benchPostgresStore, benchSqliteStore, type StoreFigures } from './scale-out-store.js';
import { readSeedParagraphs, seedDocument } from './seed-doc.js';
import { distribution, type Distribution } from './stats.js';
import { Typist } from './typists.js';
import { sleep, waitFor, waitUntil } from './wait.js';
import crypto from 'node:crypto';
import path from 'node:path';
import { ROOT } from './config.js';

/**
 * Issue 15's scale-out figures: what PostgreSQL costs against SQLite per
 * appended keystroke and per load of the seed report, what the Redis hop adds
 * to a keystroke reaching a client on another process, and the L load on one
 * process against the same load spread over two. All of it in one run, on
 * PostgreSQL and Redis where this machine has them; without them, skipped.
 */
const POSTGRES_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const APPENDS = 2_000;
const CROSS_KEYSTROKES = 300;
const CROSS_INTERVAL_MS = 20;
/** Other engineers' runs share the two cores: each part waits (bounded) for a quiet machine and says what it found. */
const QUIET_WAIT_SECONDS = Number(process.env.BENCH_QUIET_WAIT_SECONDS ?? 90);
const LOAD = { clients: 1000, typists: 50, measurersPerProcess: 2, seconds: Number(process.env.BENCH_SECONDS ?? 20), drainSeconds: 5, perSecond: 5 };

export type CrossProcess = { before: Quietness; keystrokes: number; sameProcessMs: Distribution; otherProcessMs: Distribution; delivered: [number, number] };

export type SpreadLoad = {
  processes: number;
  before: Quietness;
  typed: number;
  /** Per process the measuring clients sat on: their pooled latencies, and the worst-served one's count. */
  perProcess: Array<{ latencyMs: Distribution; deliveredMin: number }>;
  latencyMs: Distribution;
  allDelivered: boolean;
  lightSynced: number;
  serverCpuPercent: number[];
  machineCpuPercent: number;
  otherCpuPercent: number;
};

export type ScaleOutBench =
  | { skipped: string }
  | { storeBefore: Quietness; store: StoreFigures[]; crossProcess: CrossProcess | null; loads: SpreadLoad[]; problems: string[]; failures: string[] };

async function unreachable(): Promise<string | null> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 2000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (err) {
    return `PostgreSQL at ${POSTGRES_URL} unreachable (${(err as Error).message || String((err as { code?: unknown }).code)})`;
  } finally {
    void client.end().catch(() => {});
  }
  const redis = createClient({ url: REDIS_URL, socket: { connectTimeout: 2000, reconnectStrategy: false } });
  redis.on('error', () => {});
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    return `Redis at ${REDIS_URL} unreachable (${(err as Error).message})`;
  } finally {
    if (redis.isOpen) void redis.close().catch(() => {});
  }
  return null;
}

/** A writer and a reader on process A, a reader on B: the difference between the readers is the Redis hop. */
async function crossProcess(cluster: BenchCluster): Promise<CrossProcess> {
  const before = await waitForQuietMachine(QUIET_WAIT_SECONDS);
  const [onA, onB] = await cluster.createDocument('Scale-out cross-process');
  const log = new KeystrokeLog();
  const readers = [new LatencyProbe(onA!, log), new LatencyProbe(onB!, log)];
  const writer = new Typist(onA!, log, 0);
  try {
    await Promise.all([...readers.map((r) => r.synced()), writer.whenSynced()]);
    writer.createParagraph();
    await waitFor(() => readers.every((r) => r.paragraphsSeen === 1), 'the writer paragraph on both readers', 10_000);
    await sleep(500);
    await writer.type(performance.now() + CROSS_KEYSTROKES * CROSS_INTERVAL_MS, 1000 / CROSS_INTERVAL_MS, 0);
    await waitUntil(() => readers.every((r) => r.delivered >= log.typed), 5_000);
    return {
      before,
      keystrokes: log.typed,
      sameProcessMs: distribution(readers[0]!.latencies),
      otherProcessMs: distribution(readers[1]!.latencies),
      delivered: [readers[0]!.delivered, readers[1]!.delivered],
    };
  } finally {
    writer.close();
    for (const r of readers) r.destroy();
  }
}

/** The L load with its sockets, typists and measuring clients dealt round-robin over the first `spread` processes. */
async function spreadLoad(cluster: BenchCluster, spread: number, paragraphs: string[]): Promise<SpreadLoad> {
  const before = await waitForQuietMachine(QUIET_WAIT_SECONDS);
  const endpoints = (await cluster.createDocument(`Scale-out L over ${spread}`)).slice(0, spread);
  await seedDocument(endpoints[0]!, paragraphs);
  const log = new KeystrokeLog();
  const probes: LatencyProbe[][] = endpoints.map(() => []);
  const typists: Typist[] = [];
  const light = await LightSockets.start();
  try {
    const lightCount = LOAD.clients - LOAD.typists - LOAD.measurersPerProcess * 2;
    let lightSynced = 0;
    for (const [i, endpoint] of endpoints.entries()) {
      const share = Math.floor(lightCount / spread) + (i < lightCount % spread ? 1 : 0);
      lightSynced += (await light.storm(endpoint, share)).synced;
    }
    // Four measuring clients whatever the spread, so both runs apply the same client work.
    for (let i = 0; i < LOAD.measurersPerProcess * 2; i++) probes[i % spread]!.push(new LatencyProbe(endpoints[i % spread]!, log));
    await Promise.all(probes.flat().map((p) => p.synced()));
    for (let i = 0; i < LOAD.typists; i++) typists.push(new Typist(endpoints[i % spread]!, log, i));
    await Promise.all(typists.map((t) => t.whenSynced()));
    for (const typist of typists) typist.createParagraph();
    await waitFor(() => probes.flat().every((p) => p.paragraphsSeen === LOAD.typists), 'every typist paragraph on every measuring client', 15_000);
    await sleep(1_000);

    const cpu = cluster.processes.slice(0, spread).map((p) => new CpuWindow(p.pid));
    const machine = new MachineCpuWindow();
    const others = new OtherProcessesCpu(new Set([...cluster.processes.map((p) => p.pid), light.pid, process.pid]));
    const until = performance.now() + LOAD.seconds * 1000;
    const interval = 1000 / LOAD.perSecond;
    await Promise.all(typists.map((t) => t.type(until, LOAD.perSecond, Math.random() * interval)));
    const serverCpuPercent = cpu.map((c) => c.stop().percentOfCore);
    const machineCpuPercent = machine.stop();
    const otherCpuPercent = others.stop();
    await waitUntil(() => probes.flat().every((p) => p.delivered >= log.typed), LOAD.drainSeconds * 1000);
    const perProcess = probes.map((group) => ({
      latencyMs: distribution(group.flatMap((p) => p.latencies)),
      deliveredMin: Math.min(...group.map((p) => p.delivered)),
    }));
    return {
      processes: spread,
      before,
      typed: log.typed,
      perProcess,
      latencyMs: distribution(probes.flat().flatMap((p) => p.latencies)),
      allDelivered: perProcess.every((p) => p.deliveredMin >= log.typed),
      lightSynced,
      serverCpuPercent,
      machineCpuPercent,
      otherCpuPercent,
    };
  } finally {
    for (const t of typists) t.close();
    for (const p of probes.flat()) p.destroy();
    await light.close();
  }
}

export async function benchScaleOut(): Promise<ScaleOutBench> {
  const why = await unreachable();
  if (why) return { skipped: why };
  const failures: string[] = [];
  const store: StoreFigures[] = [];
  const storeBefore = await waitForQuietMachine(QUIET_WAIT_SECONDS);
  store.push(await benchSqliteStore(APPENDS));
  store.push(await benchPostgresStore(POSTGRES_URL, `bench_scale_out_store_${crypto.randomBytes(4).toString('hex')}`, APPENDS));

  const cluster = await startBenchCluster(2, POSTGRES_URL, REDIS_URL);
  let cross: CrossProcess | null = null;
  const loads: SpreadLoad[] = [];
  try {
    try {
      cross = await crossProcess(cluster);
    } catch (err) {
      failures.push(`cross-process latency: ${(err as Error).message}`);
    }
    const paragraphs = readSeedParagraphs(path.join(ROOT, 'seeds', '002_d139c0fac23d053a.txt'));
    for (const spread of [1, 2]) {
      try {
        loads.push(await spreadLoad(cluster, spread, paragraphs));
      } catch (err) {
        failures.push(`L over ${spread} process(es): ${(err as Error).message}`);
      }
    }
  } finally {
    await cluster.stop();
  }
  return { storeBefore, store, crossProcess: cross, loads, problems: cluster.processes.flatMap((p) => p.problems).slice(0, 20), failures };
}

const ms = (v: number) => (Number.isFinite(v) ? (v < 1 ? v.toFixed(3) : v.toFixed(1)) : 'n/a');
const dist = (d: Distribution) => `p50 ${ms(d.p50)} ms, p99 ${ms(d.p99)} ms, mean ${ms(d.mean)} ms (n=${d.count})`;

export function describeScaleOut(result: ScaleOutBench): string[] {
  if ('skipped' in result) return [`scale-out: skipped: ${result.skipped}`];
  const quiet = (q: Quietness) => `[background ${q.backgroundCpuPercent.toFixed(0)}% after ${q.waitedSeconds.toFixed(0)} s wait${q.quiet ? '' : ', NOT QUIET'}]`;
  const lines = ['scale-out (PostgreSQL + Redis, 2 processes):', `  store figures ${quiet(result.storeBefore)}`];
  for (const s of result.store) {
    lines.push(`  append (${s.updateBytes}-byte keystroke) on ${s.storage}: ${dist(s.appendMs)}`);
    lines.push(`  load of the seed report + apply on ${s.storage}: median ${ms(s.loadMedianMs)} ms of ${s.loadSamplesMs.length}`);
  }
  const c = result.crossProcess;
  if (c) {
    lines.push(`  cross-process ${quiet(c.before)}`);
    lines.push(`  ${c.keystrokes} keystrokes every ${CROSS_INTERVAL_MS} ms, writer on A: reader on A ${dist(c.sameProcessMs)}`);
    lines.push(`    reader on B (through Redis) ${dist(c.otherProcessMs)}; Redis adds p50 ${ms(c.otherProcessMs.p50 - c.sameProcessMs.p50)} ms, p99 ${ms(c.otherProcessMs.p99 - c.sameProcessMs.p99)} ms`);
  }
  for (const l of result.loads) {
    lines.push(`  L over ${l.processes} process(es) ${quiet(l.before)}`);
    lines.push(
      `  L over ${l.processes} process(es): ${l.allDelivered ? 'delivery complete' : 'DELIVERY INCOMPLETE'} (${l.typed} typed, light synced ${l.lightSynced}), ${dist(l.latencyMs)}; server CPU ${l.serverCpuPercent.map((p) => `${p.toFixed(0)}%`).join(' + ')}, machine ${l.machineCpuPercent.toFixed(0)}%, others ${l.otherCpuPercent.toFixed(0)}%`,
    );
    if (l.processes === 1) continue;
    for (const [i, p] of l.perProcess.entries()) lines.push(`    measuring clients on process ${i}: ${dist(p.latencyMs)}, worst delivered ${p.deliveredMin}`);
  }
  for (const f of result.failures) lines.push(`  FAILED: ${f}`);
  for (const p of result.problems) lines.push(`  server problem: ${p.slice(0, 300)}`);
  return lines;
}

/** `npm run bench`'s last section: printed, never failing the bench (a missing service is a skip, anything else a line saying so). */
export async function printScaleOut(): Promise<void> {
  console.log('scale-out over PostgreSQL and Redis: running...');
  try {
    for (const line of describeScaleOut(await benchScaleOut())) console.log(line);
  } catch (err) {
    console.log(`scale-out: FAILED: ${(err as Error).message}`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  installChildCleanup();
  benchScaleOut()
    .then((result) => {
      for (const line of describeScaleOut(result)) console.log(line);
      if (process.env.BENCH_SCALE_OUT_JSON) fs.writeFileSync(process.env.BENCH_SCALE_OUT_JSON, JSON.stringify(result, null, 2));
      killAllChildren();
      process.exit(0);
    })
    .catch((err: unknown) => {
      console.error(err);
      killAllChildren();
      process.exit(1);
    });
}
