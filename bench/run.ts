import path from 'node:path';
import { installChildCleanup, killAllChildren } from './children.js';
import { ROOT, loadConfig, type ServerKind } from './config.js';
import { runQuietestLoad, type MeasuredLoad } from './quietest-load.js';
import { runMemory, type MemoryResult } from './memory-run.js';
import { goalsOf, ratiosOf } from './goals.js';
import { machine, printReport, writeResults, type Failure } from './report.js';
import { readSeedParagraphs } from './seed-doc.js';
import { ourServerExists } from './server-process.js';
import { benchCheckOverhead, describeCheckOverhead } from './check-overhead.js';
import { benchExportImport, describeExportImport } from './export-import.js';
import { benchHostilePaste, describeHostilePaste } from './hostile-paste.js';
import { benchBrowserTyping, describeBrowserTyping } from './browser-typing.js';
import { benchReadings, describeReadings } from './readings.js';
import { benchFollowChair, describeFollowChair, type FollowChairBench } from './follow-chair.js';
import { printScaleOut } from './scale-out.js';

/**
 * `npm run bench`: both servers, one after the other (never together: the
 * machine has two cores), under the same loads, then the memory figure.
 */
async function main(): Promise<number> {
  installChildCleanup();
  const config = loadConfig();
  const startedAt = new Date().toISOString();
  const paragraphs = readSeedParagraphs(config.seedFile);
  const notes: string[] = [];
  let servers: ServerKind[] = config.servers;
  if (servers.includes('ours') && !ourServerExists()) {
    servers = servers.filter((s) => s !== 'ours');
    notes.push('server/main.ts does not exist yet: our server was not measured');
  }

  const loads: MeasuredLoad[] = [];
  const memory: MemoryResult[] = [];
  const failures: Failure[] = [];
  const attempt = async <T>(what: string, server: ServerKind, run: () => Promise<T>, into: T[]) => {
    const started = performance.now();
    console.log(`${what} / ${server}: running...`);
    try {
      into.push(await run());
      console.log(`${what} / ${server}: done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    } catch (err) {
      failures.push({ what, server, error: (err as Error).message });
      console.error(`${what} / ${server}: FAILED: ${(err as Error).message}`);
    }
  };

  for (const load of config.loads) {
    for (const server of servers.filter((s) => !load.oursOnly || s === 'ours')) {
      await attempt(`load ${load.name}`, server, () => runQuietestLoad(server, load, config, paragraphs), loads);
    }
  }
  if (config.memoryCopies > 0) {
    for (const server of servers) await attempt('memory', server, () => runMemory(server, config.memoryCopies, paragraphs, config.oursEnv), memory);
  }

  // In-process figures of the other issues' goals: the permission check per keystroke, Word export and import.
  console.log('permission check and import/export: running...');
  const checkOverhead = benchCheckOverhead();
  const conversion = await benchExportImport();
  console.log('big and hostile pastes: running...');
  const hostilePaste = await benchHostilePaste();
  console.log('readings (compare, tracked-changes DOCX): running...');
  const readings = await benchReadings();
  const followChair: FollowChairBench[] = [];
  if (servers.includes('ours')) await attempt('follow the chair', 'ours', benchFollowChair, followChair);
  console.log('typing in Chromium: running...');
  const browserTyping = await benchBrowserTyping();

  const ratios = ratiosOf(loads);
  const results = {
    startedAt,
    finishedAt: new Date().toISOString(),
    machine: machine(),
    config: {
      servers,
      loads: config.loads,
      seconds: config.seconds,
      drainSeconds: config.drainSeconds,
      keystrokesPerSecond: config.keystrokesPerSecond,
      measurers: config.measurers,
      memoryCopies: config.memoryCopies,
      quietWaitSeconds: config.quietWaitSeconds,
      noisyRetries: config.noisyRetries,
      oursEnv: config.oursEnv,
      seedFile: path.relative(ROOT, config.seedFile),
    },
    loads,
    memory,
    ratios,
    goals: goalsOf(loads, memory, ratios),
    checkOverhead,
    conversion,
    hostilePaste,
    readings,
    browserTyping,
    followChair: followChair[0] ?? null,
    failures,
    notes,
  };
  printReport(results);
  console.log(`\n${describeCheckOverhead(checkOverhead)}`);
  for (const line of describeExportImport(conversion)) console.log(line);
  for (const line of describeHostilePaste(hostilePaste)) console.log(line);
  for (const line of describeReadings(readings)) console.log(line);
  for (const line of describeBrowserTyping(browserTyping)) console.log(line);
  for (const line of followChair.flatMap(describeFollowChair)) console.log(line);
  if (servers.includes('ours')) await printScaleOut();
  writeResults(config.resultsFile, results);
  console.log(`\nresults written to ${path.relative(ROOT, config.resultsFile)}`);
  return failures.length > 0 ? 1 : 0;
}

main()
  .then((code) => {
    killAllChildren();
    process.exit(code);
  })
  .catch((err: unknown) => {
    console.error(err);
    killAllChildren();
    process.exit(1);
  });
