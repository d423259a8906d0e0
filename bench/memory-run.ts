import type { ServerKind } from './config.js';
import { rssBytes } from './proc-stats.js';
import { seedDocument } from './seed-doc.js';
import { startServer, type ServerUnderTest } from './server-process.js';
import { sleep } from './wait.js';

export type MemoryResult = {
  server: ServerKind;
  copies: number;
  rssBeforeBytes: number;
  rssAfterBytes: number;
  perCopyBytes: number;
  /**
   * Least-squares slope of RSS over the copies loaded, from a reading every
   * tenth of the way: a cross-check on perCopyBytes, which a garbage
   * collection landing just before or after one of its two readings can skew.
   */
  slopePerCopyBytes: number;
  /** Our server's own count of loaded documents at the end (undefined for the reference). */
  loadedDocuments: number | undefined;
};

/** Idle server memory wobbles by a few hundred KB; the median of a few samples is steadier than one read. */
async function steadyRss(pid: number): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) {
    samples.push(rssBytes(pid));
    await sleep(200);
  }
  return samples.sort((a, b) => a - b)[2]!;
}

export function slope(points: Array<[number, number]>): number {
  if (points.length < 2) return NaN;
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const sxy = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  return sxx > 0 ? sxy / sxx : NaN;
}

async function createSeeded(server: ServerUnderTest, title: string, paragraphs: string[]): Promise<void> {
  await seedDocument(await server.createDocument(title), paragraphs);
}

/**
 * What keeping a seed-sized document loaded but idle costs: N copies are
 * seeded through clients that then leave, and the RSS growth is divided by N.
 * Our server unloads idle documents after UNLOAD_GRACE_MS, so it is raised far
 * beyond the measurement; the reference never unloads (it has no persistence).
 */
export async function runMemory(kind: ServerKind, copies: number, paragraphs: string[], oursEnv: Record<string, string>): Promise<MemoryResult> {
  const server = await startServer(kind, { ...(kind === 'ours' ? oursEnv : {}), UNLOAD_GRACE_MS: '600000' });
  try {
    // One copy first, not counted, so "before" already includes the code paths and buffers any document needs.
    await createSeeded(server, 'Bench memory warm-up', paragraphs);
    await sleep(1_000);
    const before = await steadyRss(server.pid);

    const checkpoints: Array<[number, number]> = [[0, before]];
    const every = Math.max(1, Math.round(copies / 10));
    for (let i = 1; i <= copies; i++) {
      await createSeeded(server, `Bench memory ${i}`, paragraphs);
      if (i % every === 0 && i < copies) checkpoints.push([i, rssBytes(server.pid)]);
    }

    let loadedDocuments: number | undefined;
    if (kind === 'ours') {
      // Loaded but idle: every copy (and the warm-up) still in memory, nobody connected.
      const deadline = performance.now() + 10_000;
      for (;;) {
        const health = await server.health();
        loadedDocuments = health?.loadedDocuments;
        if ((health?.connections === 0 && loadedDocuments === copies + 1) || performance.now() > deadline) break;
        await sleep(200);
      }
    }
    await sleep(2_000);
    const after = await steadyRss(server.pid);
    checkpoints.push([copies, after]);
    return {
      server: kind,
      copies,
      rssBeforeBytes: before,
      rssAfterBytes: after,
      perCopyBytes: copies > 0 ? (after - before) / copies : NaN,
      slopePerCopyBytes: slope(checkpoints),
      loadedDocuments,
    };
  } finally {
    await server.stop();
  }
}
