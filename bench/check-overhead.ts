import fs from 'node:fs';
import path from 'node:path';
import * as Y from 'yjs';
import { importPlainText } from '../server/convert/plain-text.js';
import { applyChecked } from '../server/check/apply-checked.js';
import { checkUpdate } from '../server/check/check-update.js';
import { listBlocks } from '../shared/model/paragraphs.js';
import { textRuns } from '../shared/model/text-runs.js';

/**
 * What the permission check adds to each keystroke: the same keystroke
 * updates (a delegate typing into the EG-ITRs report) applied to the server's
 * copy with and without `checkUpdate`, alternating runs so machine noise hits
 * both alike.
 */
const KEYSTROKES = 2000;
const ROUNDS = 5;

function seedReport(): Uint8Array {
  const file = path.resolve(import.meta.dirname, '../seeds/002_d139c0fac23d053a.txt');
  return importPlainText(fs.readFileSync(file, 'utf8')).update;
}

function keystrokes(seed: Uint8Array): Uint8Array[] {
  const typist = new Y.Doc();
  Y.applyUpdate(typist, seed);
  const updates: Uint8Array[] = [];
  typist.on('update', (u: Uint8Array) => updates.push(u));
  const blocks = listBlocks(typist);
  for (let i = 0; i < KEYSTROKES; i++) {
    const block = blocks[(i * 7) % blocks.length]!;
    const run = textRuns(block.element)[0];
    if (run) run.text.insert(Math.min(i % 40, run.insert.length), 'x');
  }
  return updates;
}

function timeApply(seed: Uint8Array, updates: Uint8Array[], check: boolean): number {
  const server = new Y.Doc();
  Y.applyUpdate(server, seed);
  const sender = { role: 'delegate' as const, delegation: 'Egypt', principal: 'invitation:egypt' };
  const owners = new Map<number, string>();
  const started = process.hrtime.bigint();
  for (const update of updates) {
    if (!check) {
      Y.applyUpdate(server, update);
      continue;
    }
    const checked = checkUpdate(server, update, sender, (client) => owners.get(client));
    if (!checked.ok) throw new Error(`a legitimate keystroke was refused: ${checked.reason}`);
    for (const client of checked.newClients) owners.set(client, sender.principal);
    const problem = applyChecked(server, checked, null);
    if (problem) throw new Error(`a legitimate keystroke was not applied as checked: ${problem}`);
  }
  return Number(process.hrtime.bigint() - started) / 1e3 / updates.length;
}

export type CheckOverhead = { keystrokes: number; applyMicros: number; applyAndCheckMicros: number; addedMicros: number };

export function benchCheckOverhead(): CheckOverhead {
  const seed = seedReport();
  const updates = keystrokes(seed);
  const plain: number[] = [];
  const checked: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    plain.push(timeApply(seed, updates, false));
    checked.push(timeApply(seed, updates, true));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const applyMicros = median(plain);
  const applyAndCheckMicros = median(checked);
  return { keystrokes: updates.length, applyMicros, applyAndCheckMicros, addedMicros: applyAndCheckMicros - applyMicros };
}

/** The figure as a line of text, for this script and for `npm run bench`. */
export function describeCheckOverhead(r: CheckOverhead): string {
  return (
    `permission check on ${r.keystrokes} keystrokes into the seed report: apply ${r.applyMicros.toFixed(1)} µs, ` +
    `apply + check ${r.applyAndCheckMicros.toFixed(1)} µs, added ${r.addedMicros.toFixed(1)} µs per keystroke (goal < 1000 µs)`
  );
}

if (process.argv[1] && import.meta.url === `file://${process.argv[1]}`) {
  console.log(describeCheckOverhead(benchCheckOverhead()));
}
