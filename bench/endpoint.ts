/** Where a bench client connects: one document on one server, with whatever credentials that server wants. */
export type Endpoint = {
  /** WebsocketProvider's server URL: the document lives at `${wsBase}/${documentId}`. */
  wsBase: string;
  documentId: string;
  /** Sent with every websocket upgrade (our server's session cookie; empty for the reference). */
  headers: Record<string, string>;
};

export const documentUrl = (endpoint: Endpoint): string => `${endpoint.wsBase}/${endpoint.documentId}`;
