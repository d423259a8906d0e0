import * as Y from 'yjs';
import type { Endpoint } from './endpoint.js';
import type { KeystrokeLog } from './keystroke-log.js';
import { connectClient, waitSynced, type YjsClient } from './yjs-client.js';

/**
 * A measuring client: a stock y-websocket client (Y.Doc + WebsocketProvider,
 * applying every update and awareness change as a browser tab would) that
 * timestamps each typist's characters as they appear in its document.
 */
export class LatencyProbe {
  readonly latencies: number[] = [];
  /** Keystrokes seen so far (characters in typists' paragraphs). */
  delivered = 0;
  readonly client: YjsClient;
  /** Characters already counted, per typist paragraph text. */
  private readonly counted = new Map<Y.XmlText, number>();

  constructor(
    endpoint: Endpoint,
    private readonly log: KeystrokeLog,
  ) {
    this.client = connectClient(endpoint);
    this.client.provider.awareness.setLocalStateField('user', { name: 'Observer', color: '#888888' });
    this.client.body.observeDeep((events) => this.onChange(events));
  }

  async synced(): Promise<void> {
    await waitSynced(this.client);
  }

  /** Typist paragraphs this client has received. */
  get paragraphsSeen(): number {
    return this.counted.size;
  }

  private onChange(events: Array<Y.YEvent<Y.AbstractType<unknown>>>): void {
    const now = performance.now();
    for (const event of events) {
      const target = event.target;
      if (target instanceof Y.XmlText) this.count(target, now);
      // A new paragraph may arrive with its first characters in the same update.
      else if (target === this.client.body) this.scanNewParagraphs(now);
    }
  }

  private scanNewParagraphs(now: number): void {
    for (const block of this.client.body.toArray()) {
      if (!(block instanceof Y.XmlElement) || !this.isTypists(block)) continue;
      const text = block.get(0);
      if (text instanceof Y.XmlText && !this.counted.has(text)) this.count(text, now);
    }
  }

  private isTypists(type: { _item: Y.Item | null }): boolean {
    const client = type._item?.id.client;
    return client !== undefined && this.log.isTypist(client);
  }

  private count(text: Y.XmlText, now: number): void {
    const typist = text._item?.id.client;
    if (typist === undefined || !this.log.isTypist(typist)) return;
    const before = this.counted.get(text) ?? 0;
    const length = text.length;
    for (let i = before; i < length; i++) {
      const sentAt = this.log.sentAt(typist, i);
      if (sentAt !== undefined) this.latencies.push(now - sentAt);
    }
    this.delivered += Math.max(0, length - before);
    this.counted.set(text, Math.max(before, length));
  }

  get isConnected(): boolean {
    return this.client.provider.wsconnected;
  }

  destroy(): void {
    this.client.destroy();
  }
}
