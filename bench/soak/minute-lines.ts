import { monitorEventLoopDelay } from 'node:perf_hooks';
import { CpuWindow, MachineCpuWindow, OwnCpuWindow } from '../proc-stats.js';
import { distribution } from '../stats.js';
import { LOOP_SAMPLE_MS } from '../usage-window.js';
import type { Crowd } from './crowd.js';
import type { MetricsAnswer } from './server-metrics.js';

const MB = 1024 * 1024;

/** One row of the per-minute table. NaN where a figure is not available (printed as '-'). */
export type MinuteLine = {
  minute: number;
  rssMb: number;
  heapUsedMb: number;
  /** The worst of the minute's /metrics windows (prom-client resets its histogram at each scrape). */
  loopLagP99Ms: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  /** Document-update frames and MB the server sent to sockets this minute (its own counters). */
  fanoutFrames: number;
  fanoutMb: number;
  /** KB one watcher received this minute: document updates, and presence (awareness). */
  clientDocumentKb: number;
  clientAwarenessKb: number;
  sent: number;
  /** Keystrokes the worst-served watcher received this minute. */
  delivered: number;
  storms: number;
  /** Clients with updates Yjs holds pending (dependencies missing) at the minute's end. */
  pendingClients: number;
  backupsOk: number;
  backupsFailed: number;
  /** Fewest and most documents the server had loaded at this minute's scrapes: 1-2 is the side document loading and unloading. */
  loadedDocuments: { min: number; max: number } | null;
  serverCpuPercent: number;
  soakCpuPercent: number;
  machineCpuPercent: number;
  /** This process's own timer lateness (p99): high means the latency figures include the clients' queueing, not only the server's. */
  soakLagP99Ms: number;
};

type MinuteInputs = { rssBytes: number; scrapes: MetricsAnswer[]; storms: number; backupsOk: number; backupsFailed: number; loadedDocuments: number[] };

/** Keeps the counters at the start of the current minute, so each row shows that minute only. */
export class MinuteWindow {
  private latencyFrom: number[];
  private sentFrom: number;
  private deliveredFrom: number;
  private wireFrom: { doc: number; awareness: number };
  private fanoutFrom: { frames: number; bytes: number } | null = null;
  private serverCpu: CpuWindow;
  private ownCpu = new OwnCpuWindow();
  private machineCpu = new MachineCpuWindow();
  private readonly ownLoop = monitorEventLoopDelay({ resolution: LOOP_SAMPLE_MS });

  constructor(
    private readonly crowd: Crowd,
    private readonly serverPid: number,
    /** A scrape just before the first minute, so its fan-out counts exclude the joins and the seed. */
    baseline: MetricsAnswer | undefined,
  ) {
    if (baseline?.ok) this.fanoutFrom = { frames: baseline.reading.fanoutFrames, bytes: baseline.reading.fanoutBytes };
    this.latencyFrom = crowd.watchers.map((w) => w.latencies.length);
    this.sentFrom = crowd.log.typed;
    this.deliveredFrom = crowd.deliveredMin;
    this.wireFrom = { doc: crowd.wire.documentBytes, awareness: crowd.wire.awarenessBytes };
    this.serverCpu = new CpuWindow(serverPid);
    this.ownLoop.enable();
  }

  stop(): void {
    this.ownLoop.disable();
  }

  /** Closes the minute: its row, and a fresh window for the next one. */
  close(minute: number, inputs: MinuteInputs): MinuteLine {
    const latencies = this.crowd.watchers.flatMap((w, i) => w.latencies.slice(this.latencyFrom[i]));
    const d = distribution(latencies);
    const readings = inputs.scrapes.flatMap((s) => (s.ok ? [s.reading] : []));
    const last = readings.at(-1);
    const fanout = last ? { frames: last.fanoutFrames, bytes: last.fanoutBytes } : null;
    const from = this.fanoutFrom ?? { frames: 0, bytes: 0 };
    const line: MinuteLine = {
      minute,
      rssMb: inputs.rssBytes / MB,
      heapUsedMb: readings.length > 0 ? readings.at(-1)!.heapUsedBytes / MB : NaN,
      loopLagP99Ms: readings.length > 0 ? Math.max(...readings.map((r) => r.loopLagP99Seconds * 1000)) : NaN,
      latencyP50Ms: d.p50,
      latencyP99Ms: d.p99,
      fanoutFrames: fanout ? fanout.frames - from.frames : NaN,
      fanoutMb: fanout ? (fanout.bytes - from.bytes) / MB : NaN,
      clientDocumentKb: (this.crowd.wire.documentBytes - this.wireFrom.doc) / 1024,
      clientAwarenessKb: (this.crowd.wire.awarenessBytes - this.wireFrom.awareness) / 1024,
      sent: this.crowd.log.typed - this.sentFrom,
      delivered: this.crowd.deliveredMin - this.deliveredFrom,
      storms: inputs.storms,
      pendingClients: this.crowd.pendingClients,
      backupsOk: inputs.backupsOk,
      backupsFailed: inputs.backupsFailed,
      loadedDocuments: inputs.loadedDocuments.length > 0 ? { min: Math.min(...inputs.loadedDocuments), max: Math.max(...inputs.loadedDocuments) } : null,
      serverCpuPercent: this.serverCpu.stop().percentOfCore,
      soakCpuPercent: this.ownCpu.stop(),
      machineCpuPercent: this.machineCpu.stop(),
      soakLagP99Ms: Math.max(0, this.ownLoop.percentile(99) / 1e6 - LOOP_SAMPLE_MS),
    };
    this.ownLoop.reset();
    this.latencyFrom = this.crowd.watchers.map((w) => w.latencies.length);
    this.sentFrom = this.crowd.log.typed;
    this.deliveredFrom = this.crowd.deliveredMin;
    if (fanout) this.fanoutFrom = fanout;
    this.wireFrom = { doc: this.crowd.wire.documentBytes, awareness: this.crowd.wire.awarenessBytes };
    this.serverCpu = new CpuWindow(this.serverPid);
    this.ownCpu = new OwnCpuWindow();
    this.machineCpu = new MachineCpuWindow();
    return line;
  }
}

const COLUMNS: Array<[string, (l: MinuteLine) => string]> = [
  ['min', (l) => String(l.minute)],
  ['RSS MB', (l) => fixed(l.rssMb, 1)],
  ['heap MB', (l) => fixed(l.heapUsedMb, 1)],
  ['lag p99 ms', (l) => fixed(l.loopLagP99Ms, 1)],
  ['key p50 ms', (l) => fixed(l.latencyP50Ms, 1)],
  ['key p99 ms', (l) => fixed(l.latencyP99Ms, 1)],
  ['fan-out frames', (l) => fixed(l.fanoutFrames, 0)],
  ['fan-out MB', (l) => fixed(l.fanoutMb, 1)],
  ['watcher KB doc/presence', (l) => `${fixed(l.clientDocumentKb, 0)}/${fixed(l.clientAwarenessKb, 0)}`],
  ['sent', (l) => String(l.sent)],
  ['delivered', (l) => String(l.delivered)],
  ['storms', (l) => String(l.storms)],
  ['pending', (l) => String(l.pendingClients)],
  ['backups ok/failed', (l) => `${l.backupsOk}/${l.backupsFailed}`],
  ['docs loaded', (l) => (l.loadedDocuments ? `${l.loadedDocuments.min}-${l.loadedDocuments.max}` : '-')],
  ['soak lag p99 ms', (l) => fixed(l.soakLagP99Ms, 0)],
  ['CPU % server/soak/machine', (l) => `${fixed(l.serverCpuPercent, 0)}/${fixed(l.soakCpuPercent, 0)}/${fixed(l.machineCpuPercent, 0)}`],
];

function fixed(v: number, digits: number): string {
  return Number.isFinite(v) ? v.toFixed(digits) : '-';
}

export function headerLine(): string {
  return COLUMNS.map(([name]) => name).join(' | ');
}

/** One row, as a Markdown table row too (docs/performance.md takes it as printed). */
export function formatLine(line: MinuteLine): string {
  return COLUMNS.map(([name, cell]) => cell(line).padStart(name.length)).join(' | ');
}
