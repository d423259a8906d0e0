import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { BODY_FRAGMENT } from '../shared/schema/ydoc.js';
import type { Endpoint } from './endpoint.js';
import { waitFor } from './wait.js';

/** A stock y-websocket client in Node, as a browser tab would connect. */
export type YjsClient = {
  doc: Y.Doc;
  provider: WebsocketProvider;
  body: Y.XmlFragment;
  destroy(): void;
};

export function connectClient(endpoint: Endpoint): YjsClient {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(endpoint.wsBase, endpoint.documentId, doc, {
    WebSocketPolyfill: withHeaders(endpoint.headers),
    disableBc: true,
  });
  return {
    doc,
    provider,
    body: doc.getXmlFragment(BODY_FRAGMENT),
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
}

/** The provider constructs its socket as `new Polyfill(url, protocols)`; credentials ride along as upgrade headers, as a browser's cookie would. */
function withHeaders(headers: Record<string, string>): typeof globalThis.WebSocket {
  class WebSocketWithHeaders extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { headers });
    }
  }
  return WebSocketWithHeaders as unknown as typeof globalThis.WebSocket;
}

export async function waitSynced(client: YjsClient, timeoutMs = 15_000): Promise<void> {
  await waitFor(() => client.provider.synced, 'a client to sync', timeoutMs);
}
