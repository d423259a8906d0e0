import WebSocket from 'ws';
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import { decodeMessage, encodeAwareness, encodeSyncStep1, encodeSyncStep2, encodeSyncUpdate } from '../shared/protocol/messages.js';
import { BODY_FRAGMENT } from '../shared/schema/ydoc.js';
import { documentUrl, type Endpoint } from './endpoint.js';
import type { KeystrokeLog } from './keystroke-log.js';
import { sleep } from './wait.js';

const REMOTE = Symbol('remote');
export const TEXT = 'the parties agree to consider the proposal in good faith and report back ';
const COLORS = ['#e6194b', '#3cb44b', '#4363d8', '#f58231', '#911eb4', '#46f0f0', '#f032e6', '#bcf60c'];

/**
 * A delegate typing: a real Y.Doc editing through a minimal y-protocols
 * client. It syncs the document, appends its own paragraph, then types into it
 * and moves its caret (an awareness update per keystroke, as the caret plugin
 * of a browser does). After the initial sync it reads but does not apply what
 * others type: its own edits only reference its own paragraph, the server does
 * exactly the same work either way, and 50 typists applying each other's
 * keystrokes would spend the bench process's share of two cores on client work.
 */
export class Typist {
  readonly doc = new Y.Doc();
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  private readonly ws: WebSocket;
  private text: Y.XmlText | undefined;
  private synced = false;
  private closed = false;
  private readonly syncedPromise: Promise<void>;

  constructor(
    endpoint: Endpoint,
    private readonly log: KeystrokeLog,
    index: number,
  ) {
    log.register(this.doc.clientID);
    this.ws = new WebSocket(documentUrl(endpoint), { perMessageDeflate: false, headers: endpoint.headers });
    this.ws.on('error', () => {});
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== REMOTE) this.send(encodeSyncUpdate(update));
    });
    this.awareness.on('update', ({ added, updated, removed }: AwarenessChange, origin: unknown) => {
      if (origin === 'local') this.send(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...added, ...updated, ...removed])));
    });
    this.awareness.setLocalStateField('user', { name: `Delegate ${index + 1}`, color: COLORS[index % COLORS.length] });

    this.syncedPromise = new Promise((resolve, reject) => {
      this.ws.once('open', () => {
        this.send(encodeSyncStep1(this.doc));
        this.send(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, [this.doc.clientID])));
      });
      this.ws.once('close', (code: number) => reject(new Error(`typist socket closed (${code}) before sync`)));
      this.ws.on('message', (data: Buffer) => {
        if (this.receive(data) && !this.synced) {
          this.synced = true;
          resolve();
        }
      });
    });
    // Rejections after sync are expected at teardown; the caller awaits synced() before then.
    this.syncedPromise.catch(() => {});
  }

  whenSynced(): Promise<void> {
    return this.syncedPromise;
  }

  /** Handles one frame; true when it was the server's sync step 2. */
  private receive(frame: Uint8Array): boolean {
    const message = decodeMessage(frame);
    if (message.kind === 'sync-step1') {
      // The server asks what we have that it lacks.
      this.send(encodeSyncStep2(Y.encodeStateAsUpdate(this.doc, message.stateVector)));
      return false;
    }
    if (this.synced) return false;
    if (message.kind === 'sync-step2' || message.kind === 'sync-update') Y.applyUpdate(this.doc, message.update, REMOTE);
    return message.kind === 'sync-step2';
  }

  private send(frame: Uint8Array): void {
    if (!this.closed && this.ws.readyState === WebSocket.OPEN) this.ws.send(frame);
  }

  /** Appends the empty paragraph this typist will type into, at the end of the body. */
  createParagraph(): void {
    const paragraph = new Y.XmlElement('paragraph');
    this.text = new Y.XmlText();
    paragraph.insert(0, [this.text]);
    this.doc.getXmlFragment(BODY_FRAGMENT).push([paragraph]);
  }

  private keystroke(): void {
    const text = this.text!;
    const at = text.length;
    this.log.record(this.doc.clientID, performance.now());
    text.insert(at, TEXT[at % TEXT.length]!);
    const caret = Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(text, at + 1)) as unknown;
    this.awareness.setLocalStateField('cursor', { anchor: caret, head: caret });
  }

  /** Types at `perSecond` from `offsetMs` after now until `until` (a performance.now() time). */
  async type(until: number, perSecond: number, offsetMs: number): Promise<number> {
    const interval = 1000 / perSecond;
    let next = performance.now() + offsetMs;
    let typed = 0;
    while (next < until && !this.closed) {
      await sleep(next - performance.now());
      if (this.closed) break;
      this.keystroke();
      typed++;
      next += interval;
    }
    return typed;
  }

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  close(): void {
    this.closed = true;
    this.awareness.destroy();
    this.ws.terminate();
    this.doc.destroy();
  }
}

type AwarenessChange = { added: number[]; updated: number[]; removed: number[] };
