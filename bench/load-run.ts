import type { BenchConfig, LoadSpec, ServerKind } from './config.js';
import { KeystrokeLog } from './keystroke-log.js';
import { LatencyProbe } from './latency.js';
import type { LightStats, StormResult } from './light-sockets-protocol.js';
import { LightSockets } from './light-sockets.js';
import { PeakRss } from './proc-stats.js';
import { waitForQuietMachine, type Quietness } from './quiet-machine.js';
import { seedDocument } from './seed-doc.js';
import { startServer } from './server-process.js';
import { distribution, type Distribution } from './stats.js';
import { Typist } from './typists.js';
import { startUsageWindow, type Usage } from './usage-window.js';
import { sleep, waitFor, waitUntil } from './wait.js';

export type LoadResult = {
  server: ServerKind;
  load: string;
  clients: number;
  typists: number;
  measurers: number;
  lightSockets: number;
  seconds: number;
  /** Over the keystrokes delivered to the measuring clients (all three pooled). */
  latencyMs: Distribution;
  typed: number;
  /** Keystrokes the worst-served measuring client received by the end of the drain. */
  deliveredMin: number;
  allDelivered: boolean;
  /** CPU during typing: the server's, and the clients' own, to tell a slow server from a saturated machine. */
  usage: Usage;
  /** From just before the light sockets connect to the end of the drain. */
  serverPeakRssBytes: number;
  /** Background load just before the server started. */
  before: Quietness;
  storm: StormResult;
  /** What the light sockets received during typing. */
  light: LightStats;
  lightFramesPerSocketPerSecond: number;
  lightKilobytesPerSocketPerSecond: number;
  /** Share of the light sockets' bytes that was awareness rather than document updates. */
  lightAwarenessByteShare: number;
  typistsDisconnected: number;
  serverProblems: string[];
};

/**
 * One load against one freshly started server: seed a document, storm the
 * light sockets in, connect the measuring clients and typists, type for the
 * configured time, let late keystrokes drain, then tear everything down.
 */
export async function runLoad(kind: ServerKind, load: LoadSpec, config: BenchConfig, paragraphs: string[]): Promise<LoadResult> {
  const measurers = load.measurers ?? config.measurers;
  const lightCount = load.clients - load.typists - measurers;
  const before = await waitForQuietMachine(config.quietWaitSeconds);
  const server = await startServer(kind, kind === 'ours' ? config.oursEnv : {});
  const typists: Typist[] = [];
  const probes: LatencyProbe[] = [];
  let light: LightSockets | undefined;
  let rss: PeakRss | undefined;
  try {
    const endpoint = await server.createDocument(`Bench load ${load.name}`);
    await seedDocument(endpoint, paragraphs);

    rss = new PeakRss(server.pid);
    light = load.sharedLight ? LightSockets.inProcess() : await LightSockets.start();
    const storm = await light.storm(endpoint, lightCount);
    if (storm.synced < lightCount) throw new Error(`only ${storm.synced}/${lightCount} light sockets synced (${storm.failed} failed)`);

    // Measuring clients join after the storm, so every fan-out reaches them after the light sockets: the late joiner's view.
    const log = new KeystrokeLog();
    for (let i = 0; i < measurers; i++) probes.push(new LatencyProbe(endpoint, log));
    await Promise.all(probes.map((p) => p.synced()));
    for (let i = 0; i < load.typists; i++) typists.push(new Typist(endpoint, log, i));
    await Promise.all(typists.map((t) => t.whenSynced()));
    for (const typist of typists) typist.createParagraph();
    await waitFor(() => probes.every((p) => p.paragraphsSeen === load.typists), 'every typist paragraph to reach the measuring clients', 15_000);
    // Let the joins' awareness and sync traffic settle so the window measures typing only.
    await sleep(1_000);

    await light.resetCounters();
    const window = startUsageWindow(server.pid, light.pid);
    const until = performance.now() + config.seconds * 1000;
    const interval = 1000 / config.keystrokesPerSecond;
    await Promise.all(typists.map((t) => t.type(until, config.keystrokesPerSecond, Math.random() * interval)));
    const usage = window.stop();
    const lightDuringTyping = await light.stats();

    await waitUntil(() => probes.every((p) => p.delivered >= log.typed), config.drainSeconds * 1000);
    const deliveredMin = Math.min(...probes.map((p) => p.delivered));
    return {
      server: kind,
      load: load.name,
      clients: load.clients,
      typists: load.typists,
      measurers,
      lightSockets: lightCount,
      seconds: config.seconds,
      latencyMs: distribution(probes.flatMap((p) => p.latencies)),
      typed: log.typed,
      deliveredMin,
      allDelivered: deliveredMin >= log.typed,
      usage,
      serverPeakRssBytes: rss.stop(),
      before,
      storm,
      light: lightDuringTyping,
      lightFramesPerSocketPerSecond: lightDuringTyping.messages / Math.max(1, lightCount) / usage.wallSeconds,
      lightKilobytesPerSocketPerSecond: lightDuringTyping.bytes / 1024 / Math.max(1, lightCount) / usage.wallSeconds,
      lightAwarenessByteShare: lightDuringTyping.bytes > 0 ? lightDuringTyping.awarenessBytes / lightDuringTyping.bytes : 0,
      typistsDisconnected: typists.filter((t) => !t.isOpen).length,
      serverProblems: server.problems.slice(0, 20),
    };
  } finally {
    rss?.stop();
    for (const typist of typists) typist.close();
    for (const probe of probes) probe.destroy();
    await light?.close();
    await server.stop();
  }
}
