import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as Y from 'yjs';
import { importDocx } from '../server/convert/docx.js';
import { exportDocument } from '../server/convert/export-document.js';
import { importInWorker } from '../server/convert/import-in-worker.js';
import { importPlainText } from '../server/convert/plain-text.js';

/**
 * Import and export speed, in process (no server): exporting the EG-ITRs
 * report as Word, as the secretariat does at the end of a meeting, and
 * importing a 300-page Word document (the report's paragraphs 25 times: the
 * report exports to 12 pages as LibreOffice lays it out) through the .docx
 * importer. Goals: export < 200 ms, import < 5 s.
 *
 *   npx tsx bench/export-import.ts
 */

const REPORT = path.resolve(import.meta.dirname, '../seeds/002_d139c0fac23d053a.txt');
/** The report is 12 pages as exported: 25 copies make the 300 pages of a large meeting report. */
const COPIES_FOR_300_PAGES = 25;

export type ExportImportBench = {
  exportDocxMs: { p50: number; max: number; runs: number };
  /** Median of the runs: mammoth, the HTML reader and building the Y.Doc, in this thread. */
  import300PagesMs: number;
  /** The same through the route's worker thread, start of the worker included. */
  import300PagesInWorkerMs: number;
  import300Pages: { paragraphs: number; docxBytes: number; runsMs: number[] };
  goals: { exportDocxP50Ms: number; import300PagesMs: number; met: boolean };
};

const GOALS = { exportDocxP50Ms: 200, import300PagesMs: 5000 };

function documentOf(text: string): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, importPlainText(text).update);
  return doc;
}

async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await run();
  return { ms: performance.now() - started, value };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const round = (ms: number) => Math.round(ms * 10) / 10;

export async function benchExportImport(options: { exportRuns?: number; importRuns?: number } = {}): Promise<ExportImportBench> {
  const exportRuns = options.exportRuns ?? 20;
  const importRuns = options.importRuns ?? 3;
  const text = fs.readFileSync(REPORT, 'utf8');
  const report = documentOf(text);
  const exportReport = () => exportDocument(report, 'docx', { version: 'agreed', comments: true, title: 'EG-ITRs report' });

  // Warm-up: the first run loads and compiles the docx writer.
  for (let i = 0; i < 3; i++) await exportReport();
  const exportTimes: number[] = [];
  for (let i = 0; i < exportRuns; i++) exportTimes.push((await timed(exportReport)).ms);

  const large = documentOf(Array.from({ length: COPIES_FOR_300_PAGES }, () => text).join('\n'));
  const { body: docx } = await exportDocument(large, 'docx', { version: 'agreed', comments: true, title: 'Large report' });
  await importDocx((await exportReport()).body);
  const importTimes: number[] = [];
  let paragraphs = 0;
  for (let i = 0; i < importRuns; i++) {
    const run = await timed(() => importDocx(docx));
    importTimes.push(run.ms);
    paragraphs = run.value.paragraphCount;
  }
  const inWorker = await timed(() => importInWorker('large.docx', docx));

  const exportP50 = round(median(exportTimes));
  const import300 = round(median(importTimes));
  return {
    exportDocxMs: { p50: exportP50, max: round(Math.max(...exportTimes)), runs: exportRuns },
    import300PagesMs: import300,
    import300PagesInWorkerMs: round(inWorker.ms),
    import300Pages: { paragraphs, docxBytes: docx.length, runsMs: importTimes.map(round) },
    goals: { ...GOALS, met: exportP50 < GOALS.exportDocxP50Ms && import300 < GOALS.import300PagesMs },
  };
}

/** The figures as lines of text, for this script and for `npm run bench`. */
export function describeExportImport(result: ExportImportBench): string[] {
  return [
    `export of the report as DOCX: p50 ${result.exportDocxMs.p50} ms, max ${result.exportDocxMs.max} ms (${result.exportDocxMs.runs} runs; goal < ${GOALS.exportDocxP50Ms} ms)`,
    `import of a 300-page DOCX (${result.import300Pages.paragraphs} paragraphs, ${Math.round(result.import300Pages.docxBytes / 1024)} kB): ` +
      `${result.import300PagesMs} ms (runs ${result.import300Pages.runsMs.join(', ')} ms; goal < ${GOALS.import300PagesMs} ms); ` +
      `through the worker thread ${result.import300PagesInWorkerMs} ms`,
    result.goals.met ? 'import/export goals met' : 'IMPORT/EXPORT GOALS NOT MET',
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const result = await benchExportImport();
  for (const line of describeExportImport(result)) console.log(line);
  process.exit(result.goals.met ? 0 : 1);
}
