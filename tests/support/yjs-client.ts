import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { BODY_FRAGMENT } from '../../shared/schema/ydoc.js';
import { blockText } from '../../shared/model/paragraphs.js';
import { waitFor } from './wait.js';

export type TestClient = {
  doc: Y.Doc;
  provider: WebsocketProvider;
  body: Y.XmlFragment;
  /** The body as plain text, one line per top-level block. */
  text(): string;
  destroy(): void;
};

/**
 * A stock y-websocket client in Node, exactly as an outside tool would connect:
 * the invitation token goes in `params`, which y-websocket sends as `?token=`.
 */
export function connectClient(wsUrl: string, documentId: string, token: string, options: { connect?: boolean } = {}): TestClient {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(wsUrl, documentId, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    connect: options.connect ?? true,
    disableBc: true,
    params: { token },
  });
  const body = doc.getXmlFragment(BODY_FRAGMENT);
  return {
    doc,
    provider,
    body,
    text: () => bodyText(body),
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
}

export function bodyText(body: Y.XmlFragment): string {
  return body
    .toArray()
    .map((block) => (block instanceof Y.XmlElement ? blockText(block) : ''))
    .join('\n');
}

export async function connectSynced(wsUrl: string, documentId: string, token: string): Promise<TestClient> {
  const client = connectClient(wsUrl, documentId, token);
  await waitSynced(client);
  return client;
}

export function waitSynced(client: TestClient, timeoutMs = 15_000): Promise<unknown> {
  return waitFor(() => client.provider.synced, 'the client to sync', timeoutMs);
}

/** Appends a paragraph holding `text` to the body, as TipTap would store it. */
export function appendParagraph(client: TestClient, text: string): Y.XmlText {
  const paragraph = new Y.XmlElement('paragraph');
  const content = new Y.XmlText(text);
  paragraph.insert(0, [content]);
  client.body.push([paragraph]);
  return content;
}

/** The XmlText of the n-th top-level block. */
export function paragraphText(client: TestClient, index: number): Y.XmlText {
  const block = client.body.get(index) as Y.XmlElement;
  return block.get(0) as Y.XmlText;
}
