import type { Endpoint } from '../endpoint.js';
import { KeystrokeLog } from '../keystroke-log.js';
import { LatencyProbe } from '../latency.js';
import { sleep, waitFor, waitUntil } from '../wait.js';
import { connectClient, waitSynced, type YjsClient } from '../yjs-client.js';
import type { SoakConfig } from './soak-config.js';
import { SoakTypist } from './soak-typist.js';
import { WireCounter } from './wire-counter.js';
import { isWhole, shortfall, type Shortfall } from './typed-counts.js';

export type CrowdCheck = {
  clients: number;
  /** Clients connected and synced when the check ran. */
  connected: number;
  /** Clients whose document lacks a keystroke (or holds a wrong typist paragraph). */
  incomplete: number;
  worst: Shortfall;
  /** Clients with updates still pending integration at the end. */
  pending: number;
};

/**
 * The 200 people on the main document, all stock WebsocketProviders with their
 * own Y.Doc and presence: the typists, the watchers that time keystrokes, and
 * everybody else (present, caret still, applying every update).
 */
export class Crowd {
  readonly log = new KeystrokeLog();
  readonly typists: SoakTypist[] = [];
  readonly watchers: LatencyProbe[] = [];
  private readonly idle: YjsClient[] = [];
  storms = 0;
  /** What the first watcher receives: a screen's share of the room's traffic. */
  readonly wire: WireCounter;

  constructor(
    endpoint: Endpoint,
    private readonly config: SoakConfig,
  ) {
    for (let i = 0; i < config.watchers; i++) this.watchers.push(new LatencyProbe(endpoint, this.log));
    this.wire = new WireCounter(this.watchers[0]!.client);
    for (let i = 0; i < config.typists; i++) this.typists.push(new SoakTypist(endpoint, this.log, i));
    for (let i = config.watchers + config.typists; i < config.clients; i++) {
      const client = connectClient(endpoint);
      client.provider.awareness.setLocalStateField('user', { name: `Participant ${i + 1}`, color: '#3cb44b' });
      this.idle.push(client);
    }
  }

  /** Every client, whatever its role. */
  get clients(): YjsClient[] {
    return [...this.watchers.map((w) => w.client), ...this.typists.map((t) => t.client), ...this.idle];
  }

  async ready(): Promise<void> {
    await Promise.all(this.clients.map((c) => waitSynced(c, 60_000)));
    for (const typist of this.typists) typist.createParagraph();
    await waitFor(() => this.watchers.every((w) => w.paragraphsSeen === this.typists.length), 'the typists’ paragraphs to reach the watchers', 30_000);
  }

  /** Everyone types until `until`; resolves when the last typist stops. */
  async type(until: number): Promise<void> {
    const { min, max } = this.config.keystrokeGapMs;
    await Promise.all(this.typists.map((t) => t.type(until, () => min + Math.random() * (max - min))));
  }

  /** All clients drop at once (as when the room's Wi-Fi blinks) and each comes back within the spread. */
  async storm(): Promise<void> {
    this.storms++;
    const clients = this.clients;
    for (const c of clients) c.provider.disconnect();
    await Promise.all(
      clients.map(async (c) => {
        await sleep(Math.random() * this.config.stormSpreadMs);
        c.provider.connect();
      }),
    );
  }

  get typed(): Map<number, number> {
    return new Map(this.typists.map((t) => [t.clientId, t.typed]));
  }

  /**
   * Clients holding updates Yjs could not integrate yet (their dependencies
   * had not arrived): every later update retries them, so a client stuck with
   * some gets slower and slower.
   */
  get pendingClients(): number {
    return this.clients.filter((c) => c.doc.store.pendingStructs !== null || c.doc.store.pendingDs !== null).length;
  }

  /** Keystrokes the worst-served watcher has seen. */
  get deliveredMin(): number {
    return Math.min(...this.watchers.map((w) => w.delivered));
  }

  /** Waits (up to the drain time) for every client to hold every keystroke, then counts what is missing where. */
  async check(): Promise<CrowdCheck> {
    const typed = this.typed;
    const clients = this.clients;
    const connected = () => clients.filter((c) => c.provider.wsconnected && c.provider.synced);
    await waitUntil(() => connected().length === clients.length && clients.every((c) => isWhole(shortfall(c.doc, typed))), this.config.drainMs, 250);
    let incomplete = 0;
    const worst: Shortfall = { keystrokesMissing: 0, wrongParagraphs: 0 };
    for (const c of clients) {
      const s = shortfall(c.doc, typed);
      if (isWhole(s)) continue;
      incomplete++;
      worst.keystrokesMissing = Math.max(worst.keystrokesMissing, s.keystrokesMissing);
      worst.wrongParagraphs = Math.max(worst.wrongParagraphs, s.wrongParagraphs);
    }
    return { clients: clients.length, connected: connected().length, incomplete, worst, pending: this.pendingClients };
  }

  close(): void {
    for (const t of this.typists) t.stop();
    for (const c of this.clients) c.destroy();
  }
}
