import { pathToFileURL } from 'node:url';
import { readFocus, setFocus } from '../shared/model/meeting-focus.js';
import { listBlocks } from '../shared/model/paragraphs.js';
import { newId } from '../shared/model/ids.js';
import { BLOCK_ID_ATTR, SETTINGS_MAP, SettingKeys } from '../shared/schema/negotiation.js';
import { installChildCleanup, killAllChildren } from './children.js';
import { loadConfig } from './config.js';
import { KeystrokeLog } from './keystroke-log.js';
import { LatencyProbe } from './latency.js';
import type { LightStats } from './light-sockets-protocol.js';
import { LightSockets } from './light-sockets.js';
import { readSeedParagraphs, seedDocument } from './seed-doc.js';
import { startServer } from './server-process.js';
import { distribution, type Distribution } from './stats.js';
import { Typist } from './typists.js';
import { sleep, waitFor, waitUntil } from './wait.js';
import { connectClient, waitSynced } from './yjs-client.js';

/**
 * The chair moving the paragraph under discussion while the room types
 * (issue 13): 1,000 sockets on the EG-ITRs report (947 light sockets reading
 * it, 3 measuring clients, 50 typists at 5 keystrokes/s), and the secretariat
 * moving the focus every 2 s. The windows alternate, in the same run on the
 * same server: without focus moves, with, without, with. Reported per
 * condition: keystroke latency at the measuring clients, what each light
 * socket received, and how long a focus move took to reach a follower. The
 * focus is one small value in the settings map, so a move costs every socket
 * one short update and nobody diffs the document.
 *
 *   npx tsx bench/follow-chair.ts     (about a minute; also part of `npm run bench`)
 */

const SOCKETS = 1000;
const TYPISTS = 50;
const MEASURERS = 3;
const WINDOW_SECONDS = 10;
const WINDOWS = ['still', 'moving', 'still', 'moving'] as const;
const MOVE_EVERY_MS = 2000;
const KEYSTROKES_PER_SECOND = 5;

type Condition = {
  latencyMs: Distribution;
  keystrokes: number;
  lightFramesPerSocketPerSecond: number;
  lightBytesPerSocketPerSecond: number;
};

export type FollowChairBench = {
  sockets: number;
  typists: number;
  windowSeconds: number;
  still: Condition;
  moving: Condition;
  focusMoves: number;
  /** From the secretariat's setFocus to a following client reading the new paragraph. */
  focusDeliveryMs: Distribution;
  allDelivered: boolean;
};

export async function benchFollowChair(): Promise<FollowChairBench> {
  const config = loadConfig();
  const server = await startServer('ours', config.oursEnv);
  const typists: Typist[] = [];
  const probes: LatencyProbe[] = [];
  let light: LightSockets | undefined;
  const clients: Array<{ destroy(): void }> = [];
  try {
    const endpoint = await server.createDocument('Bench follow the chair');
    await seedDocument(endpoint, readSeedParagraphs(config.seedFile));
    const lightCount = SOCKETS - TYPISTS - MEASURERS;
    light = await LightSockets.start();
    const storm = await light.storm(endpoint, lightCount);
    if (storm.synced < lightCount) throw new Error(`only ${storm.synced}/${lightCount} light sockets synced`);

    const chair = connectClient(endpoint);
    const follower = connectClient(endpoint);
    clients.push(chair, follower);
    await Promise.all([waitSynced(chair), waitSynced(follower)]);
    // The bench seed is pasted as plain paragraphs: the secretariat gives 40 of them the ids the editor would.
    const blocks = listBlocks(chair.doc);
    const step = Math.max(1, Math.floor(blocks.length / 40));
    const named = blocks.filter((_, i) => i % step === 0);
    chair.doc.transact(() => {
      for (const block of named) if (block.id === null) block.element.setAttribute(BLOCK_ID_ATTR, newId());
    });
    const ids = named.map((b) => b.element.getAttribute(BLOCK_ID_ATTR) as string);
    await waitFor(() => listBlocks(follower.doc).filter((b) => b.id !== null).length >= ids.length, 'the paragraph ids to reach a follower', 15_000);
    follower.provider.awareness.setLocalStateField('following', true);
    const movedAt = new Map<string, number>();
    const deliveries: number[] = [];
    follower.doc.getMap(SETTINGS_MAP).observe((event) => {
      if (!event.keysChanged.has(SettingKeys.focus)) return;
      const sent = movedAt.get(readFocus(follower.doc)?.paragraphId ?? '');
      if (sent !== undefined) deliveries.push(performance.now() - sent);
    });

    const log = new KeystrokeLog();
    for (let i = 0; i < MEASURERS; i++) probes.push(new LatencyProbe(endpoint, log));
    await Promise.all(probes.map((p) => p.synced()));
    for (let i = 0; i < TYPISTS; i++) typists.push(new Typist(endpoint, log, i));
    await Promise.all(typists.map((t) => t.whenSynced()));
    for (const typist of typists) typist.createParagraph();
    await waitFor(() => probes.every((p) => p.paragraphsSeen === TYPISTS), 'every typist paragraph to reach the measuring clients', 15_000);
    await sleep(1_000);

    const actor = { name: 'Bench Secretariat', delegation: 'Secretariat' };
    const samples = { still: [] as number[], moving: [] as number[] };
    const typed = { still: 0, moving: 0 };
    const received: Record<'still' | 'moving', LightStats[]> = { still: [], moving: [] };
    let moves = 0;
    for (const condition of WINDOWS) {
      const from = probes.map((p) => p.latencies.length);
      const typedBefore = log.typed;
      await light.resetCounters();
      const until = performance.now() + WINDOW_SECONDS * 1000;
      const mover =
        condition === 'moving'
          ? setInterval(() => {
              const paragraphId = ids[(moves * 7) % ids.length]!;
              moves++;
              movedAt.set(paragraphId, performance.now());
              setFocus(chair.doc, { paragraphId, actor });
            }, MOVE_EVERY_MS)
          : undefined;
      const interval = 1000 / KEYSTROKES_PER_SECOND;
      await Promise.all(typists.map((t) => t.type(until, KEYSTROKES_PER_SECOND, Math.random() * interval)));
      clearInterval(mover);
      received[condition].push(await light.stats());
      typed[condition] += log.typed - typedBefore;
      for (const [i, p] of probes.entries()) samples[condition].push(...p.latencies.slice(from[i]));
    }
    const allDelivered = await waitUntil(() => probes.every((p) => p.delivered >= log.typed), config.drainSeconds * 1000);
    const condition = (name: 'still' | 'moving'): Condition => {
      const seconds = WINDOW_SECONDS * received[name].length;
      const sum = (pick: (s: LightStats) => number) => received[name].reduce((total, s) => total + pick(s), 0);
      return {
        latencyMs: distribution(samples[name]),
        keystrokes: typed[name],
        lightFramesPerSocketPerSecond: sum((s) => s.messages) / lightCount / seconds,
        lightBytesPerSocketPerSecond: sum((s) => s.bytes) / lightCount / seconds,
      };
    };
    return {
      sockets: SOCKETS,
      typists: TYPISTS,
      windowSeconds: WINDOW_SECONDS,
      still: condition('still'),
      moving: condition('moving'),
      focusMoves: moves,
      focusDeliveryMs: distribution(deliveries),
      allDelivered,
    };
  } finally {
    for (const typist of typists) typist.close();
    for (const probe of probes) probe.destroy();
    for (const client of clients) client.destroy();
    await light?.close();
    await server.stop();
  }
}

export function describeFollowChair(result: FollowChairBench): string[] {
  const line = (name: string, c: Condition) =>
    `  ${name.padEnd(22)} keystroke p50 ${c.latencyMs.p50.toFixed(1)} ms, p99 ${c.latencyMs.p99.toFixed(1)} ms (${c.latencyMs.count} samples); ` +
    `each light socket ${c.lightFramesPerSocketPerSecond.toFixed(1)} frames/s, ${(c.lightBytesPerSocketPerSecond / 1024).toFixed(2)} KB/s`;
  return [
    `follow the chair: ${result.sockets} sockets, ${result.typists} typing, ${WINDOWS.length} alternating windows of ${result.windowSeconds} s`,
    line('focus still', result.still),
    line('focus moved every 2 s', result.moving),
    `  ${result.focusMoves} focus moves; to a follower: p50 ${result.focusDeliveryMs.p50.toFixed(1)} ms, max ${result.focusDeliveryMs.max.toFixed(1)} ms; every keystroke delivered: ${result.allDelivered ? 'yes' : 'NO'}`,
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  installChildCleanup();
  benchFollowChair()
    .then((result) => {
      for (const line of describeFollowChair(result)) console.log(line);
      killAllChildren();
      process.exit(0);
    })
    .catch((err: unknown) => {
      console.error(err);
      killAllChildren();
      process.exit(1);
    });
}
