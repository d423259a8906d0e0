import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NOISY_OTHER_CPU_PERCENT, type BenchConfig, type ServerKind } from './config.js';
import type { MeasuredLoad } from './quietest-load.js';
import type { Goal, Ratio } from './goals.js';
import type { MemoryResult } from './memory-run.js';

export type Failure = { what: string; server: ServerKind; error: string };

export type BenchResults = {
  startedAt: string;
  finishedAt: string;
  machine: { cpus: number; cpuModel: string; node: string; platform: string };
  config: Omit<BenchConfig, 'seedFile' | 'resultsFile'> & { seedFile: string };
  loads: MeasuredLoad[];
  memory: MemoryResult[];
  ratios: Ratio[];
  goals: Goal[];
  failures: Failure[];
  notes: string[];
};

const MB = 1024 * 1024;
const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '-');
const mb = (v: number) => (Number.isFinite(v) ? (v / MB).toFixed(1) : '-');

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function printReport(results: BenchResults): void {
  const out: string[] = [''];
  if (results.loads.length > 0) {
    out.push(`Keystroke-to-screen latency, ${results.config.seconds} s of typing per load, ${results.config.keystrokesPerSecond} keys/s per typist`);
    out.push(
      table(
        ['load', 'server', 'clients', 'typists', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'delivered/typed', 'CPU %core', 'peak RSS MB', 'storm open/synced s', 'frames/sock/s', 'KB/sock/s', 'awareness bytes'],
        results.loads.map((r) => [
          r.load,
          r.server,
          String(r.clients),
          String(r.typists),
          ms(r.latencyMs.p50),
          ms(r.latencyMs.p95),
          ms(r.latencyMs.p99),
          ms(r.latencyMs.max),
          `${r.deliveredMin}/${r.typed}`,
          r.usage.serverCpuPercent.toFixed(0),
          mb(r.serverPeakRssBytes),
          `${(r.storm.openMs / 1000).toFixed(2)}/${(r.storm.syncedMs / 1000).toFixed(2)}`,
          r.lightFramesPerSocketPerSecond.toFixed(0),
          r.lightKilobytesPerSocketPerSecond.toFixed(1),
          `${(r.lightAwarenessByteShare * 100).toFixed(0)}%`,
        ]),
      ),
    );
    out.push('', `CPU during typing, % of one core (${results.machine.cpus} cores: near ${results.machine.cpus * 100} the whole machine, not only the server, was saturated)`);
    out.push(
      table(
        ['load', 'server', 'server', 'bench', 'light sockets', 'other', 'machine', 'background before', 'bench loop lag p99 ms'],
        results.loads.map((r) => [
          r.load,
          r.server,
          r.usage.serverCpuPercent.toFixed(0),
          r.usage.benchCpuPercent.toFixed(0),
          r.usage.lightCpuPercent.toFixed(0),
          r.usage.otherCpuPercent.toFixed(0),
          r.usage.machineCpuPercent.toFixed(0),
          `${r.before.backgroundCpuPercent.toFixed(0)}${r.before.quiet ? '' : ' (busy)'}`,
          ms(r.usage.benchLoopLagP99Ms),
        ]),
      ),
    );
  }
  if (results.memory.length > 0) {
    out.push('', 'Memory per idle loaded copy of the seed report');
    out.push(
      table(
        ['server', 'copies', 'RSS before MB', 'RSS after MB', 'per copy MB', 'slope per copy MB'],
        results.memory.map((m) => [
          m.server,
          String(m.copies),
          mb(m.rssBeforeBytes),
          mb(m.rssAfterBytes),
          (m.perCopyBytes / MB).toFixed(2),
          (m.slopePerCopyBytes / MB).toFixed(2),
        ]),
      ),
    );
  }
  if (results.ratios.length > 0) {
    out.push('', 'Ratios (ours / reference)');
    for (const r of results.ratios) out.push(`  ${r.load}: p99 ${r.oursP99OverReferenceP99.toPrecision(2)}`);
  }
  out.push('', 'Goals');
  for (const g of results.goals) out.push(`  [${g.met === null ? 'n/a ' : g.met ? 'met ' : 'MISS'}] ${g.goal}: ${g.value}`);
  for (const r of results.loads) {
    const issues: string[] = [];
    if (!r.allDelivered) issues.push(`only ${r.deliveredMin} of ${r.typed} keystrokes reached every measuring client by the end of the drain; its latency percentiles cover the delivered ones only`);
    if (r.light.unexpectedCloses > 0) issues.push(`${r.light.unexpectedCloses} light sockets closed (${JSON.stringify(r.light.closeCodes)})`);
    if (r.typistsDisconnected > 0) issues.push(`${r.typistsDisconnected} typists disconnected`);
    if (r.usage.otherCpuPercent > NOISY_OTHER_CPU_PERCENT) issues.push(`other processes used ${r.usage.otherCpuPercent.toFixed(0)}% of a core during typing: latencies are inflated`);
    if (r.attempts > 1) issues.push(`measured ${r.attempts} times because other processes were busy; the quietest attempt is shown`);
    if (r.serverProblems.length > 0) issues.push(`${r.serverProblems.length} server warnings, first: ${r.serverProblems[0]!.slice(0, 200)}`);
    if (issues.length > 0) out.push(`  ! ${r.load}/${r.server}: ${issues.join('; ')}`);
  }
  for (const f of results.failures) out.push(`  ! ${f.what}/${f.server} failed: ${f.error}`);
  for (const n of results.notes) out.push(`  note: ${n}`);
  console.log(out.join('\n'));
}

export function writeResults(file: string, results: BenchResults): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
}

export function machine(): BenchResults['machine'] {
  return { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', node: process.version, platform: `${os.platform()} ${os.release()}` };
}
