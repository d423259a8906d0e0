import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { removeTempDir, trackTempDir } from '../children.js';
import { loadConfig } from '../config.js';
import { readSeedParagraphs, seedDocument } from '../seed-doc.js';
import { startServer } from '../server-process.js';
import { sleep } from '../wait.js';
import { AdminBackups, scheduledBackups, type BackupStats } from './admin-backups.js';
import { Crowd, type CrowdCheck } from './crowd.js';
import { RssSampler, thresholdMbPerHour, trendOf, type Trend } from './memory-trend.js';
import { MinuteWindow, formatLine, headerLine, type MinuteLine } from './minute-lines.js';
import { scrapeMetrics, type MetricsAnswer } from './server-metrics.js';
import { SideDocument, type SideStats } from './side-document.js';
import type { SoakConfig } from './soak-config.js';
import { checkStored, type StoredCheck } from './stored-check.js';

export type SoakResult = {
  minutes: number;
  lines: MinuteLine[];
  typed: number;
  crowd: CrowdCheck;
  stored: StoredCheck | { error: string };
  side: SideStats;
  /** The last half's slope (the verdict's), and the last quarter's: still growing at the end, or a step that levelled off. */
  rss: Trend & { lastQuarter: Trend; thresholdMbPerHour: number };
  /** Every RSS reading: [seconds since typing started, MB]. */
  rssSamples: Array<[number, number]>;
  heap: Trend | null;
  backups: BackupStats & { scheduledFiles: number };
  /** How many /metrics scrapes gave no figures, and why (null when all did). */
  metricsProblem: string | null;
  serverProblems: string[];
};

/** Storm times (ms from the start of typing): every two minutes, or once early in a run too short for that. */
function stormTimes(config: SoakConfig, durationMs: number): number[] {
  const times: number[] = [];
  for (let t = config.stormEveryMs; t < durationMs - 20_000; t += config.stormEveryMs) times.push(t);
  return times.length > 0 ? times : [durationMs * config.shortRunStormAt];
}

export async function runSoak(config: SoakConfig): Promise<SoakResult> {
  const root = trackTempDir(fs.mkdtempSync(path.join(os.tmpdir(), 'soak-')));
  const dataDir = path.join(root, 'data');
  const backupDir = path.join(root, 'backups');
  const token = crypto.randomBytes(16).toString('hex');
  const server = await startServer('ours', { ...config.serverEnv, DATA_DIR: dataDir, BACKUP_DIR: backupDir, METRICS_TOKEN: token });
  const timers: NodeJS.Timeout[] = [];
  let crowd: Crowd | undefined;
  let side: SideDocument | undefined;
  try {
    const main = await server.createDocument('Soak: draft report');
    await seedDocument(main, readSeedParagraphs(loadConfig().seedFile));
    const sideDoc = await server.createDocument('Soak: annex');
    const httpBase = main.wsBase.replace(/^ws/, 'http').replace(/\/collab$/, '');

    // Each WebsocketProvider in Node adds a process 'exit' listener; 200 of them are expected here, not a leak.
    process.setMaxListeners(config.clients + config.side.clients + 20);
    crowd = new Crowd(main, config);
    await crowd.ready();
    console.log(`${config.clients} clients synced, ${config.typists} typing, ${config.watchers} watching; soak for ${config.minutes} min`);
    const durationMs = config.minutes * 60_000;
    const started = performance.now();
    const until = started + durationMs;

    const rss = new RssSampler(server.pid, config.rssEveryMs);
    const scrapes: Array<{ at: number; answer: MetricsAnswer; loadedDocuments: number }> = [];
    // Health rides along with each scrape: its count of loaded documents shows the side document coming and going.
    const scrape = async () => {
      const at = (performance.now() - started) / 1000;
      const [answer, health] = await Promise.all([scrapeMetrics(httpBase, token), server.health().catch(() => undefined)]);
      scrapes.push({ at, answer, loadedDocuments: health?.loadedDocuments ?? NaN });
    };
    await scrape();
    timers.push(setInterval(() => void scrape(), config.metricsEveryMs));
    const backups = new AdminBackups(dataDir, path.join(root, 'admin'));
    let backupRunning: Promise<void> = Promise.resolve();
    timers.push(
      setInterval(() => {
        backupRunning = backups.runOnce();
      }, config.backupEveryMs),
    );
    for (const at of stormTimes(config, durationMs)) timers.push(setTimeout(() => void crowd!.storm(), at));
    side = new SideDocument(sideDoc, config);
    side.start();

    const typing = crowd.type(until);
    const lines: MinuteLine[] = [];
    const window = new MinuteWindow(crowd, server.pid, scrapes[0]?.answer);
    let scrapedUpTo = 0;
    console.log(headerLine());
    for (let minute = 1; minute <= Math.ceil(config.minutes); minute++) {
      await sleep(Math.min(started + minute * 60_000, until) - performance.now());
      await scrape();
      const minuteScrapes = scrapes.slice(scrapedUpTo);
      const line = window.close(minute, {
        rssBytes: rss.latest,
        scrapes: minuteScrapes.map((s) => s.answer),
        storms: crowd.storms,
        backupsOk: backups.stats.ok,
        backupsFailed: backups.stats.failed,
        loadedDocuments: minuteScrapes.map((s) => s.loadedDocuments).filter(Number.isFinite),
      });
      scrapedUpTo = scrapes.length;
      lines.push(line);
      console.log(formatLine(line));
    }
    await typing;
    window.stop();
    rss.stop();
    for (const t of timers) clearTimeout(t);
    await side.stop();
    await backupRunning;

    const crowdCheck = await crowd.check();
    const typed = crowd.typed;
    crowd.close();
    crowd = undefined;
    // The first-start banner (a one-time setup link, on stderr) is neither a problem nor something to print.
    const serverProblems = server.problems.filter((line) => line.trim() !== '' && !line.includes('/setup/') && !line.startsWith('First start')).slice(0, 20);
    // SIGTERM, as systemd or Ctrl-C would stop it; what it stored is read after it exited.
    await server.stop();
    let stored: StoredCheck | { error: string };
    try {
      stored = checkStored(dataDir, { main: main.documentId, side: sideDoc.documentId }, typed, side.added);
    } catch (err) {
      stored = { error: (err as Error).message };
    }

    const half = durationMs / 2000;
    const heapPoints = scrapes.flatMap((s): Array<[number, number]> => (s.answer.ok ? [[s.at, s.answer.reading.heapUsedBytes]] : []));
    const failedScrapes = scrapes.flatMap((s) => (s.answer.ok ? [] : [s.answer.why]));
    const result: SoakResult = {
      minutes: config.minutes,
      lines,
      typed: [...typed.values()].reduce((a, b) => a + b, 0),
      crowd: crowdCheck,
      stored,
      side: side.stats,
      rss: {
        ...trendOf(rss.points, half),
        lastQuarter: trendOf(rss.points, (durationMs * 3) / 4000),
        thresholdMbPerHour: thresholdMbPerHour(config.minutes, config.rssEveryMs / 1000),
      },
      rssSamples: rss.points.map(([t, b]) => [Math.round(t * 10) / 10, Math.round((b / 1024 / 1024) * 10) / 10]),
      heap: heapPoints.length > 2 ? trendOf(heapPoints, half) : null,
      backups: { ...backups.stats, scheduledFiles: scheduledBackups(backupDir).length },
      metricsProblem: failedScrapes.length > 0 ? `${failedScrapes.length} of ${scrapes.length} scrapes failed (first: ${failedScrapes[0]})` : null,
      serverProblems,
    };
    return result;
  } finally {
    for (const t of timers) clearTimeout(t);
    crowd?.close();
    await side?.stop();
    await server.stop();
    removeTempDir(root);
  }
}
