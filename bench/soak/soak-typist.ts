import * as Y from 'yjs';
import type { Endpoint } from '../endpoint.js';
import type { KeystrokeLog } from '../keystroke-log.js';
import { TEXT } from '../typists.js';
import { sleep } from '../wait.js';
import { connectClient, type YjsClient } from '../yjs-client.js';

const MAX_CATCH_UP_MS = 1_000;

/** What a typist's paragraph holds after `typed` keystrokes: the bench's sentence, repeated. */
export function expectedText(typed: number): string {
  let text = '';
  while (text.length < typed) text += TEXT;
  return text.slice(0, typed);
}

/**
 * A delegate typing through a stock WebsocketProvider (unlike the bench's
 * minimal typist, it also applies everyone else's keystrokes, as a browser
 * tab does, and reconnects by itself after a storm). It appends its own
 * paragraph and only ever appends to it, so its n-th character is keystroke n
 * (what LatencyProbe and the final count rely on), and moves its caret with
 * every keystroke.
 */
export class SoakTypist {
  readonly client: YjsClient;
  typed = 0;
  private text: Y.XmlText | undefined;
  private stopped = false;

  constructor(
    endpoint: Endpoint,
    private readonly log: KeystrokeLog,
    index: number,
  ) {
    this.client = connectClient(endpoint);
    log.register(this.client.doc.clientID);
    this.client.provider.awareness.setLocalStateField('user', { name: `Delegate ${index + 1}`, color: '#4363d8' });
  }

  get clientId(): number {
    return this.client.doc.clientID;
  }

  createParagraph(): void {
    const paragraph = new Y.XmlElement('paragraph');
    this.text = new Y.XmlText();
    paragraph.insert(0, [this.text]);
    this.client.body.push([paragraph]);
  }

  private keystroke(): void {
    const text = this.text!;
    const at = text.length;
    this.log.record(this.clientId, performance.now());
    text.insert(at, TEXT[at % TEXT.length]!);
    this.typed++;
    const caret = Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(text, at + 1)) as unknown;
    this.client.provider.awareness.setLocalStateField('cursor', { anchor: caret, head: caret });
  }

  /**
   * Types until `until` (performance.now() time) or stop(), the next keystroke
   * `gap()` ms after the previous one was due. Late timers on a busy machine
   * are caught up for at most a second (a delegate does not type a burst of
   * the last ten seconds' keys), so the load stays close to the one asked for
   * without running past the end. Keeps typing while disconnected, as a
   * delegate would.
   */
  async type(until: number, gap: () => number): Promise<void> {
    let next = performance.now() + gap();
    while (!this.stopped && next < until) {
      await sleep(next - performance.now());
      const now = performance.now();
      if (this.stopped || now >= until) break;
      this.keystroke();
      next = Math.max(next, now - MAX_CATCH_UP_MS) + gap();
    }
  }

  stop(): void {
    this.stopped = true;
  }
}
