import { installChildCleanup, killAllChildren } from './children.js';
import { soakConfig } from './soak/soak-config.js';
import { runSoak, type SoakResult } from './soak/soak-run.js';

/**
 * `npm run soak -- --minutes N` (default 10): a real server under a plenary's
 * load for N minutes (200 clients, 20 typing, presence, reconnect storms,
 * compaction, unload cycles, backups), one line per minute, then the verdict:
 * exit 1 if a keystroke was lost anywhere or the server's memory kept growing.
 * See "Soak" in docs/performance.md.
 */
function verdict(r: SoakResult): string[] {
  const reasons: string[] = [];
  if (r.crowd.incomplete > 0 || r.crowd.connected < r.crowd.clients) {
    reasons.push(
      `keystrokes lost on clients: ${r.crowd.incomplete}/${r.crowd.clients} documents incomplete (worst: ${r.crowd.worst.keystrokesMissing} missing, ${r.crowd.worst.wrongParagraphs} wrong paragraphs), ${r.crowd.connected}/${r.crowd.clients} connected`,
    );
  }
  if ('error' in r.stored) reasons.push(`the stored database could not be read: ${r.stored.error}`);
  else {
    if (r.stored.main.keystrokesMissing > 0 || r.stored.main.wrongParagraphs > 0)
      reasons.push(`keystrokes lost in storage: ${r.stored.main.keystrokesMissing} missing, ${r.stored.main.wrongParagraphs} wrong paragraphs`);
    if (r.stored.sideMissingLines > 0) reasons.push(`the side document lost ${r.stored.sideMissingLines} paragraph(s) across unloads`);
  }
  if (r.side.failedVisits > 0) reasons.push(`side document: ${r.side.failedVisits} failed visit(s): ${r.side.problems.join('; ')}`);
  // Without bound: above the threshold over the last half AND still over it in the last quarter, AND
  // by the median of the pairwise slopes (Theil–Sen) over the last half. A reconnect storm can lift RSS
  // once to a new high-water mark (buffers the allocator keeps), and in a 1-minute run one such step
  // in its last seconds reads as a steep least-squares slope over both windows; it moves the median
  // of the pairwise slopes only a little, where a steady leak moves all three alike.
  const over = (slope: number) => !(slope <= r.rss.thresholdMbPerHour);
  if (over(r.rss.slopeMbPerHour) && over(r.rss.lastQuarter.slopeMbPerHour) && over(r.rss.medianSlopeMbPerHour))
    reasons.push(
      `server RSS grows ${r.rss.slopeMbPerHour.toFixed(1)} MB/h over the last half (median of pairwise slopes ${r.rss.medianSlopeMbPerHour.toFixed(1)}) and ${r.rss.lastQuarter.slopeMbPerHour.toFixed(1)} MB/h over the last quarter, above the ${r.rss.thresholdMbPerHour.toFixed(0)} MB/h threshold`,
    );
  return reasons;
}

function summarize(r: SoakResult, reasons: string[]): void {
  const f = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '-');
  console.log('');
  console.log(`typed ${r.typed} keystrokes; clients: ${r.crowd.clients - r.crowd.incomplete}/${r.crowd.clients} hold all of them, ${r.crowd.connected} connected at the end`);
  if ('error' in r.stored) console.log(`stored: could not be read (${r.stored.error})`);
  else
    console.log(
      `stored (read after SIGTERM): ${r.stored.main.keystrokesMissing} keystrokes missing, ${r.stored.main.wrongParagraphs} wrong paragraphs; ${r.stored.mainLogRows} update-log rows left (compaction); side document: ${r.side.visits} visits, ${r.stored.sideMissingLines} paragraphs missing`,
    );
  console.log(
    `RSS slope over the last half (${f(r.rss.fromSeconds)}-${f(r.rss.toSeconds)} s, ${r.rss.samples} samples): ${f(r.rss.slopeMbPerHour)} MB/h ± ${f(r.rss.standardErrorMbPerHour)} (threshold ${f(r.rss.thresholdMbPerHour)} MB/h)`,
  );
  console.log(`RSS slope over the last quarter (${r.rss.lastQuarter.samples} samples): ${f(r.rss.lastQuarter.slopeMbPerHour)} MB/h ± ${f(r.rss.lastQuarter.standardErrorMbPerHour)}`);
  console.log(`RSS median of pairwise slopes over the last half: ${f(r.rss.medianSlopeMbPerHour)} MB/h; fails only if all three are above the threshold`);
  if (r.heap) console.log(`heap-used slope over the last half (${r.heap.samples} scrapes, not a verdict: it saws with every GC): ${f(r.heap.slopeMbPerHour)} MB/h ± ${f(r.heap.standardErrorMbPerHour)}`);
  if (r.metricsProblem) console.log(`/metrics: ${r.metricsProblem}; a minute with no good scrape shows '-' for heap and event-loop lag`);
  console.log(
    `backups: admin backup ${r.backups.ok}/${r.backups.attempts} made${r.backups.lastError ? ` (last failure: ${r.backups.lastError})` : ''}; scheduled backups left in BACKUP_DIR: ${r.backups.scheduledFiles}`,
  );
  if (r.serverProblems.length > 0) console.log(`server warnings (first ${r.serverProblems.length}):\n  ${r.serverProblems.map((p) => p.slice(0, 300)).join('\n  ')}`);
  console.log(reasons.length === 0 ? 'PASS' : `FAIL:\n  ${reasons.join('\n  ')}`);
  console.log(JSON.stringify({ soak: reasons.length === 0 ? 'pass' : 'fail', reasons, ...r }));
}

async function main(): Promise<number> {
  installChildCleanup();
  const result = await runSoak(soakConfig(process.argv.slice(2)));
  const reasons = verdict(result);
  summarize(result, reasons);
  return reasons.length === 0 ? 0 : 1;
}

main()
  .then((code) => {
    killAllChildren();
    process.exit(code);
  })
  .catch((err: unknown) => {
    console.error(`soak: FAILED: ${(err as Error).message ?? String(err)}`);
    killAllChildren();
    process.exit(1);
  });
