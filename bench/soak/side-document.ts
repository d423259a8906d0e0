import * as Y from 'yjs';
import type { Endpoint } from '../endpoint.js';
import { sleep, waitUntil } from '../wait.js';
import { connectClient, waitSynced, type YjsClient } from '../yjs-client.js';
import type { SoakConfig } from './soak-config.js';

export type SideStats = { visits: number; failedVisits: number; problems: string[] };

const lineOf = (visit: number) => `Visit ${visit}: a small group reviews the annex and leaves.`;

/** Each paragraph's text, in order. */
function paragraphTexts(body: Y.XmlFragment): string[] {
  return body.toArray().map((b) => (b instanceof Y.XmlElement ? b.toArray().join('') : ''));
}

/**
 * A second document a small group opens, works in for a while and leaves, so
 * the server loads it, unloads it once the grace period is over, and loads it
 * again from SQLite on the next visit. Each visit adds one paragraph and first
 * checks that every earlier visit's paragraph came back from storage.
 */
export class SideDocument {
  readonly stats: SideStats = { visits: 0, failedVisits: 0, problems: [] };
  /** Paragraphs the side document must hold: one per visit that added its own. */
  readonly added: string[] = [];
  private stopped = false;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly endpoint: Endpoint,
    private readonly config: SoakConfig,
  ) {}

  start(): void {
    this.running = this.loop();
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      await this.visit();
      const away = performance.now() + this.config.side.awayMs;
      while (!this.stopped && performance.now() < away) await sleep(200);
    }
  }

  private fail(problem: string): void {
    this.stats.failedVisits++;
    if (this.stats.problems.length < 20) this.stats.problems.push(problem);
  }

  private async visit(): Promise<void> {
    const visit = ++this.stats.visits;
    const group: YjsClient[] = [];
    try {
      for (let i = 0; i < this.config.side.clients; i++) {
        const client = connectClient(this.endpoint);
        client.provider.awareness.setLocalStateField('user', { name: `Annex group ${i + 1}`, color: '#f58231' });
        group.push(client);
      }
      await Promise.all(group.map((c) => waitSynced(c, 30_000)));
      const texts = (c: YjsClient) => paragraphTexts(c.body);
      const missing = missingLines(group[0]!.body, this.added);
      if (missing.length > 0) this.fail(`visit ${visit}: ${missing.length} earlier paragraph(s) did not come back after unload`);

      const paragraph = new Y.XmlElement('paragraph');
      paragraph.insert(0, [new Y.XmlText(lineOf(visit))]);
      group[0]!.body.push([paragraph]);
      this.added.push(lineOf(visit));
      const seen = await waitUntil(() => group.every((c) => texts(c).includes(lineOf(visit))), 10_000);
      if (!seen) this.fail(`visit ${visit}: the group did not all see the new paragraph within 10 s`);
      const leave = performance.now() + this.config.side.openMs;
      while (!this.stopped && performance.now() < leave) await sleep(200);
    } catch (err) {
      this.fail(`visit ${visit}: ${(err as Error).message}`);
    } finally {
      for (const c of group) c.destroy();
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }
}

/** Which expected lines a copy of the side document lacks. */
export function missingLines(body: Y.XmlFragment, expected: readonly string[]): string[] {
  const present = new Set(paragraphTexts(body));
  return expected.filter((line) => !present.has(line));
}
