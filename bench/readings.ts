import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as Y from 'yjs';
import { createBracket } from '../shared/model/bracket-proposals.js';
import { compareDocuments } from '../shared/model/compare-readings.js';
import { setParagraphStatus } from '../shared/model/paragraph-status.js';
import { listBlocks } from '../shared/model/paragraphs.js';
import type { Comparison } from '../shared/schema/readings.js';
import { exportComparison } from '../server/convert/export-comparison.js';
import { importPlainText } from '../server/convert/plain-text.js';

/**
 * Readings, in process (no server): on the EG-ITRs report with 200 edits by
 * four delegations between two states, the comparison, the tracked-changes
 * Word file, and what issuing a reading costs (encoding the full state, the
 * bytes a reading stores); then the comparison of a 1 M-character document
 * with the same edits. Goals: compare < 100 ms, DOCX < 300 ms, issuing
 * < 50 ms, 1 M characters compared < 2 s.
 *
 *   npx tsx bench/readings.ts
 */

const REPORT = path.resolve(import.meta.dirname, '../seeds/002_d139c0fac23d053a.txt');
const EDITS = 200;
const ONE_MILLION = 1_000_000;
const GOALS = { compareMs: 100, docxMs: 300, issueMs: 50, compare1MMs: 2000 };
const DELEGATIONS = ['Egypt', 'Brazil', 'Kenya', 'United States'];
/** Each delegation's Yjs client id, as the server's client_ids table records it. */
const CLIENTS = DELEGATIONS.map((_, i) => 9000 + i);

export type ReadingsBench = {
  report: { characters: number; paragraphs: number; edits: number; changedParagraphs: number; events: number };
  compareMs: number;
  docxMs: number;
  docxBytes: number;
  issueMs: number;
  readingBytes: number;
  large: { characters: number; compareMs: number; readingBytes: number };
  goals: typeof GOALS & { met: boolean };
};

function documentOf(text: string): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, importPlainText(text).update);
  return doc;
}

/** A fixed pseudo-random sequence, so every run measures the same edits. */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

/**
 * The later state: 200 edits spread over the text (words typed and deleted,
 * a few brackets and agreed paragraphs), each from one delegation's client id.
 */
function edited(before: Y.Doc): Y.Doc {
  const after = new Y.Doc();
  Y.applyUpdate(after, Y.encodeStateAsUpdate(before));
  const next = random(42);
  const blocks = listBlocks(after).filter((b) => b.id && b.element.get(0) instanceof Y.XmlText);
  for (let i = 0; i < EDITS; i++) {
    const who = i % DELEGATIONS.length;
    after.clientID = CLIENTS[who]!;
    const actor = { name: `Delegate ${who}`, delegation: DELEGATIONS[who]! };
    const block = blocks[Math.floor(next() * blocks.length)]!;
    const text = block.element.get(0) as Y.XmlText;
    const at = Math.floor(next() * text.length);
    if (i % 20 === 19 && text.length > at + 8) {
      try {
        createBracket(after, { paragraphId: block.id!, from: at, to: at + 8, actor });
      } catch {
        text.insert(at, ' bracketed ');
      }
    } else if (i % 50 === 49) {
      setParagraphStatus(after, { paragraphId: block.id!, status: 'agreed', actor: { name: 'Chair', delegation: 'Chair' } });
    } else if (i % 3 === 0 && text.length > at + 6) {
      text.delete(at, 6);
    } else {
      text.insert(at, ' as amended by the meeting');
    }
  }
  return after;
}

function timed<T>(run: () => T, runs: number): { ms: number; value: T } {
  const times: number[] = [];
  let value!: T;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    value = run();
    times.push(performance.now() - started);
  }
  return { ms: Math.round(times.sort((a, b) => a - b)[Math.floor(runs / 2)]! * 10) / 10, value };
}

const sides = { from: { id: 'rev-1', name: 'Rev.1', at: '2026-01-01T00:00:00.000Z' }, to: { id: 'rev-2', name: 'Rev.2', at: null } };
const authorOf = (client: number) => DELEGATIONS[CLIENTS.indexOf(client)] ?? null;

export async function benchReadings(): Promise<ReadingsBench> {
  const text = fs.readFileSync(REPORT, 'utf8');
  const before = documentOf(text);
  const after = edited(before);
  const compare = () => compareDocuments(before, after, { authorOf, ...sides });
  for (let i = 0; i < 3; i++) compare();
  const compared = timed(compare, 15);
  const comparison: Comparison = compared.value;
  for (let i = 0; i < 3; i++) await exportComparison(comparison, 'docx', { title: 'EG-ITRs report' });
  const docxTimes: number[] = [];
  let docxBytes = 0;
  for (let i = 0; i < 11; i++) {
    const started = performance.now();
    docxBytes = (await exportComparison(comparison, 'docx', { title: 'EG-ITRs report' })).body.length;
    docxTimes.push(performance.now() - started);
  }
  const docxMs = Math.round(docxTimes.sort((a, b) => a - b)[5]! * 10) / 10;
  const issued = timed(() => Y.encodeStateAsUpdate(after), 15);

  const copies = Math.ceil(ONE_MILLION / text.length);
  const largeText = Array.from({ length: copies }, () => text).join('\n');
  const largeBefore = documentOf(largeText);
  const largeAfter = edited(largeBefore);
  const large = timed(() => compareDocuments(largeBefore, largeAfter, { authorOf, ...sides }), 3);

  const result = {
    report: {
      characters: text.length,
      paragraphs: comparison.paragraphs.length,
      edits: EDITS,
      changedParagraphs: comparison.paragraphs.filter((p) => p.change !== 'same').length,
      events: comparison.events.length,
    },
    compareMs: compared.ms,
    docxMs,
    docxBytes,
    issueMs: issued.ms,
    readingBytes: issued.value.length,
    large: { characters: largeText.length, compareMs: large.ms, readingBytes: Y.encodeStateAsUpdate(largeAfter).length },
  };
  const met = result.compareMs < GOALS.compareMs && docxMs < GOALS.docxMs && result.issueMs < GOALS.issueMs && large.ms < GOALS.compare1MMs;
  return { ...result, goals: { ...GOALS, met } };
}

/** The figures as lines of text, for this script and for `npm run bench`. */
export function describeReadings(r: ReadingsBench): string[] {
  return [
    `readings, on the report (${r.report.characters} characters, ${r.report.paragraphs} paragraphs) with ${r.report.edits} edits between two states ` +
      `(${r.report.changedParagraphs} paragraphs changed, ${r.report.events} events):`,
    `  compare: ${r.compareMs} ms (goal < ${GOALS.compareMs} ms); tracked-changes DOCX: ${r.docxMs} ms, ${Math.round(r.docxBytes / 1024)} kB (goal < ${GOALS.docxMs} ms)`,
    `  issuing (full state encoded): ${r.issueMs} ms, ${Math.round(r.readingBytes / 1024)} kB stored per reading (goal < ${GOALS.issueMs} ms)`,
    `  compare on ${r.large.characters} characters: ${r.large.compareMs} ms (goal < ${GOALS.compare1MMs} ms); a reading of it stores ${Math.round(r.large.readingBytes / 1024)} kB`,
    r.goals.met ? 'readings goals met' : 'READINGS GOALS NOT MET',
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const result = await benchReadings();
  for (const line of describeReadings(result)) console.log(line);
  process.exit(result.goals.met ? 0 : 1);
}
