import type { YjsClient } from '../yjs-client.js';

/** y-websocket's first varUint: 0 sync (document), 1 awareness (presence). */
const MESSAGE_AWARENESS = 1;

/**
 * Bytes one stock client receives, split into document and presence traffic,
 * over whichever socket its provider has open (a new one after every
 * reconnect). The server counts only document fan-out; this shows what a
 * screen in the room actually has to read.
 */
export class WireCounter {
  documentBytes = 0;
  awarenessBytes = 0;
  private watched: unknown = null;

  constructor(private readonly client: YjsClient) {
    client.provider.on('status', () => this.watch());
    this.watch();
  }

  private watch(): void {
    const ws = this.client.provider.ws;
    if (!ws || ws === this.watched) return;
    this.watched = ws;
    ws.addEventListener('message', (event: MessageEvent) => {
      const data = new Uint8Array(event.data as ArrayBuffer);
      if (data[0] === MESSAGE_AWARENESS) this.awarenessBytes += data.byteLength;
      else this.documentBytes += data.byteLength;
    });
  }
}
