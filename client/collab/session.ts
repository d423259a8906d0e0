import { IndexeddbPersistence } from 'y-indexeddb';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { CloseCode, COLLAB_PATH, FINAL_CLOSE_CODES } from '../../shared/protocol/constants.js';
import type { DocumentId } from '../../shared/schema/api.js';

/** One open document: the shared Y.Doc, kept on this computer and linked to the server. */
export type CollabSession = {
  ydoc: Y.Doc;
  provider: WebsocketProvider;
  destroy: () => void;
};

/** Same host as the page, ws: or wss: to match http: or https:. */
function collabServerUrl(): string {
  const protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${protocol}//${location.host}${COLLAB_PATH}`;
}

export const isFinalClose = (code: number) => FINAL_CLOSE_CODES.includes(code);

/** After these the document is gone from the server: a local copy would only resurrect stale text. */
const GONE_CODES: readonly number[] = [CloseCode.UnknownDocument, CloseCode.DocumentDeleted];

export function openCollabSession(documentId: DocumentId): CollabSession {
  const ydoc = new Y.Doc();
  // Loaded before or after the server's state, it merges: offline edits survive a reload.
  const persistence = new IndexeddbPersistence(`nde-${documentId}`, ydoc);
  const provider = new WebsocketProvider(collabServerUrl(), documentId, ydoc, {
    // y-websocket's default gives up on every 44xx code, including "too slow" (4408),
    // which only means "reconnect and resync". Stop only when retrying cannot help.
    shouldReconnect: (event) => !isFinalClose(event.code),
  });

  const onClose = (event: CloseEvent | null) => {
    if (event && GONE_CODES.includes(event.code)) void persistence.clearData();
  };
  provider.on('connection-close', onClose);

  return {
    ydoc,
    provider,
    destroy: () => {
      provider.off('connection-close', onClose);
      provider.destroy();
      void persistence.destroy();
      ydoc.destroy();
    },
  };
}
