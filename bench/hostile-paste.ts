import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { applyChecked } from '../server/check/apply-checked.js';
import { checkUpdate } from '../server/check/check-update.js';
import { importPlainText } from '../server/convert/plain-text.js';
import { encodeSyncUpdate } from '../server/sync/messages.js';
import { BLOCK_ID_ATTR, BLOCK_NUM_ATTR } from '../shared/schema/negotiation.js';
import { BODY_FRAGMENT } from '../shared/schema/ydoc.js';
import { startServer } from './server-process.js';
import { seedDocument, readSeedParagraphs } from './seed-doc.js';
import { connectClient, waitSynced } from './yjs-client.js';

/**
 * The update check under large and hostile messages (issue: the check holds
 * against a hostile client):
 * - check + apply time of a delegate pasting 1,000 and 10,000 paragraphs into
 *   the EG-ITRs report in one transaction, in process, against plain
 *   `Y.applyUpdate` of the same update as the reference (what Yjs alone costs);
 * - through a real server: the longest `GET /api/health` answer while an
 *   observer sends a 2 MB update (refused: it may add nothing), and the same
 *   while a delegate's 10,000-paragraph paste is checked and applied.
 *
 *   npx tsx bench/hostile-paste.ts
 */

const REPORT = path.resolve(import.meta.dirname, '../seeds/002_d139c0fac23d053a.txt');
const RUNS = 5;

export type PasteFigure = { paragraphs: number; updateBytes: number; checkMs: number; applyMs: number; yjsApplyMs: number };
export type HealthFigure = {
  what: string;
  messageBytes: number;
  refused: boolean;
  longestHealthMs: number;
  healthAnswers: number;
  /** From the server's "slow update" log line: check (wall time over its steps), its longest step, and apply, in the server process. */
  serverCheckMs?: number;
  serverLongestCheckStepMs?: number;
  serverApplyMs?: number;
};

function slowUpdateFigure(line: string): HealthFigure {
  const entry = JSON.parse(line) as { bytes: number; checkMs: number; applyMs: number; longestCheckStepMs?: number };
  return {
    what: 'server log, slow update',
    messageBytes: entry.bytes,
    refused: false,
    longestHealthMs: Number.NaN,
    healthAnswers: 0,
    serverCheckMs: entry.checkMs,
    serverLongestCheckStepMs: entry.longestCheckStepMs,
    serverApplyMs: entry.applyMs,
  };
}
export type HostilePasteBench = { pastes: PasteFigure[]; health: HealthFigure[] };

function reportDoc(): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, importPlainText(fs.readFileSync(REPORT, 'utf8')).update);
  return doc;
}

/** A paste of `count` paragraphs at the end of the body, as TipTap stores them (id and number attributes, one text each). */
export function pasteUpdate(base: Y.Doc, count: number, clientID: number): Uint8Array {
  const typist = new Y.Doc();
  typist.clientID = clientID;
  Y.applyUpdate(typist, Y.encodeStateAsUpdate(base));
  const before = Y.encodeStateVector(typist);
  const body = typist.getXmlFragment(BODY_FRAGMENT);
  const paragraphs = Array.from({ length: count }, (_, i) => {
    const p = new Y.XmlElement('paragraph');
    p.setAttribute(BLOCK_ID_ATTR, `paste-${clientID}-${i}`);
    p.setAttribute(BLOCK_NUM_ATTR, `${100 + i}`);
    p.insert(0, [new Y.XmlText(`Pasted paragraph ${i}: Member States shall endeavour to ensure the security of international telecommunication networks.`)]);
    return p;
  });
  typist.transact(() => body.insert(body.length, paragraphs));
  return Y.encodeStateAsUpdate(typist, before);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function measurePaste(base: Uint8Array, count: number): PasteFigure {
  const check: number[] = [];
  const apply: number[] = [];
  const yjs: number[] = [];
  let bytes = 0;
  for (let run = 0; run < RUNS; run++) {
    const server = new Y.Doc();
    Y.applyUpdate(server, base);
    const update = pasteUpdate(server, count, 1000 + run);
    bytes = update.byteLength;
    const sender = { role: 'delegate' as const, delegation: 'Egypt', principal: 'invitation:egypt' };
    let started = performance.now();
    const checked = checkUpdate(server, update, sender);
    check.push(performance.now() - started);
    if (!checked.ok) throw new Error(`a legitimate paste was refused: ${checked.reason}`);
    started = performance.now();
    const problem = applyChecked(server, checked, null);
    apply.push(performance.now() - started);
    if (problem) throw new Error(`a legitimate paste was not applied as checked: ${problem}`);
    const reference = new Y.Doc();
    Y.applyUpdate(reference, base);
    started = performance.now();
    Y.applyUpdate(reference, update);
    yjs.push(performance.now() - started);
  }
  return { paragraphs: count, updateBytes: bytes, checkMs: median(check), applyMs: median(apply), yjsApplyMs: median(yjs) };
}

/** Polls /api/health back to back while `during` runs; the longest answer is how long the server could not answer anyone. */
async function longestHealth(httpBase: string, during: () => Promise<boolean>): Promise<{ refused: boolean; longestMs: number; answers: number }> {
  let polling = true;
  let longest = 0;
  let answers = 0;
  const poller = (async () => {
    while (polling) {
      const started = performance.now();
      await fetch(`${httpBase}/api/health`).then((r) => r.arrayBuffer());
      longest = Math.max(longest, performance.now() - started);
      answers++;
    }
  })();
  const refused = await during();
  await new Promise((r) => setTimeout(r, 300));
  polling = false;
  await poller;
  return { refused, longestMs: longest, answers };
}

/** Sends one update on a raw socket and resolves when the server refused it (permission denied or close) or after `settleMs` without either. */
async function sendAndWait(url: string, update: Uint8Array, settleMs: number): Promise<boolean> {
  const ws = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => finish(false), settleMs);
    const finish = (refused: boolean) => {
      clearTimeout(timer);
      ws.close();
      resolve(refused);
    };
    ws.on('message', (data: Buffer) => data[0] === 2 && finish(true));
    ws.once('close', () => finish(true));
    ws.send(encodeSyncUpdate(update));
  });
}

async function measureHealth(): Promise<HealthFigure[]> {
  const server = await startServer('ours');
  try {
    const endpoint = await server.createDocument('Hostile paste');
    await seedDocument(endpoint, readSeedParagraphs(REPORT));
    const httpBase = endpoint.wsBase.replace(/^ws/, 'http').replace(/\/collab$/, '');
    const invite = async (role: string, delegation?: string) => {
      const res = await fetch(`${httpBase}/api/documents/${endpoint.documentId}/invitations`, {
        method: 'POST',
        headers: { ...endpoint.headers, 'content-type': 'application/json' },
        body: JSON.stringify({ role, delegation }),
      });
      if (!res.ok) throw new Error(`invitation answered ${res.status}: ${await res.text()}`);
      return ((await res.json()) as { token: string }).token;
    };
    const observer = await invite('observer');
    const delegate = await invite('delegate', 'Egypt');
    const url = (token: string) => `${endpoint.wsBase}/${endpoint.documentId}?token=${token}`;
    // The pastes build on the document as the server has it, as a delegate's editor would.
    const reader = connectClient(endpoint);
    await waitSynced(reader);
    const base = new Y.Doc();
    Y.applyUpdate(base, Y.encodeStateAsUpdate(reader.doc));
    // Gone before the pastes: applying them here would hold this process's loop and the health polls with it.
    reader.destroy();
    const figures: HealthFigure[] = [];
    // About 2 MB: the observer's "paste" is refused on the cheap path, before anything reads its meaning.
    const observerPaste = pasteUpdate(base, 16_000, 77_777);
    const hostile = await longestHealth(httpBase, () => sendAndWait(url(observer), observerPaste, 10_000));
    figures.push({ what: 'observer, 2 MB paste', messageBytes: observerPaste.byteLength, refused: hostile.refused, longestHealthMs: hostile.longestMs, healthAnswers: hostile.answers });
    const legit = pasteUpdate(base, 10_000, 88_888);
    const pasted = await longestHealth(httpBase, () => sendAndWait(url(delegate), legit, 3_000));
    figures.push({ what: 'delegate, 10,000 paragraphs', messageBytes: legit.byteLength, refused: pasted.refused, longestHealthMs: pasted.longestMs, healthAnswers: pasted.answers });
    // The server's own account of the accepted paste (logged above 100 ms): check and apply, cold.
    for (const line of server.problems) if (line.includes('slow update')) figures.push(slowUpdateFigure(line));
    return figures;
  } finally {
    await server.stop();
  }
}

export async function benchHostilePaste(): Promise<HostilePasteBench> {
  const base = Y.encodeStateAsUpdate(reportDoc());
  const pastes = [1_000, 10_000].map((count) => measurePaste(base, count));
  return { pastes, health: await measureHealth() };
}

export function describeHostilePaste(result: HostilePasteBench): string[] {
  const lines = ['Update check under big pastes (median of 5, in process, EG-ITRs report as the base):'];
  for (const p of result.pastes) {
    lines.push(
      `  ${p.paragraphs} paragraphs (${(p.updateBytes / 1024).toFixed(0)} KB): check ${p.checkMs.toFixed(1)} ms + apply and verify ${p.applyMs.toFixed(1)} ms` +
        ` = ${(p.checkMs + p.applyMs).toFixed(1)} ms; Y.applyUpdate alone ${p.yjsApplyMs.toFixed(1)} ms`,
    );
  }
  lines.push('Longest GET /api/health answer through a real server while one message is handled:');
  for (const h of result.health) {
    if (h.serverCheckMs !== undefined) {
      lines.push(
        `  in the server (${(h.messageBytes / 1024).toFixed(0)} KB, first big update of the process): check ${h.serverCheckMs} ms over its steps` +
          ` (longest step ${h.serverLongestCheckStepMs} ms), then apply in one turn ${h.serverApplyMs} ms`,
      );
      continue;
    }
    lines.push(`  ${h.what} (${(h.messageBytes / 1024).toFixed(0)} KB, ${h.refused ? 'refused' : 'accepted'}): ${h.longestHealthMs.toFixed(1)} ms (${h.healthAnswers} answers)`);
  }
  return lines;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  benchHostilePaste()
    .then((result) => {
      for (const line of describeHostilePaste(result)) console.log(line);
      process.exit(0);
    })
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
