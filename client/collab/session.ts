import type { Decoder } from 'lib0/decoding';
import { IndexeddbPersistence } from 'y-indexeddb';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { CloseCode, COLLAB_PATH, FINAL_CLOSE_CODES, MessageType } from '../../shared/protocol/constants.js';
import { readPermissionDenied } from '../../shared/protocol/messages.js';
import type { DocumentId } from '../../shared/schema/api.js';

/** One open document: the shared Y.Doc, kept on this computer and linked to the server. */
export type CollabSession = {
  ydoc: Y.Doc;
  provider: WebsocketProvider;
  destroy: () => void;
  /** Forgets the copy on this computer (after the server refused a change of ours). */
  clearLocalCopy: () => Promise<void>;
};

/** Same host as the page, ws: or wss: to match http: or https:. */
function collabServerUrl(): string {
  const protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${protocol}//${location.host}${COLLAB_PATH}`;
}

export const isFinalClose = (code: number) => FINAL_CLOSE_CODES.includes(code);

/** After these the document is gone from the server: a local copy would only resurrect stale text. */
const GONE_CODES: readonly number[] = [CloseCode.UnknownDocument, CloseCode.DocumentDeleted];

/**
 * @param onRefused called when the server refused one of our updates (a rule
 *   such as an agreed paragraph, checked on the server): this copy has diverged
 *   and must be replaced by the server's.
 */
export function openCollabSession(documentId: DocumentId, onRefused: (reason: string) => void): CollabSession {
  const ydoc = new Y.Doc();
  // Loaded before or after the server's state, it merges: offline edits survive a reload.
  const persistence = new IndexeddbPersistence(`nde-${documentId}`, ydoc);
  const provider = new WebsocketProvider(collabServerUrl(), documentId, ydoc, {
    // y-websocket's default gives up on every 44xx code, including "too slow" (4408),
    // which only means "reconnect and resync". Stop only when retrying cannot help.
    shouldReconnect: (event) => !isFinalClose(event.code),
  });

  const handlers = (provider as unknown as { messageHandlers: Array<(...args: unknown[]) => void> }).messageHandlers;
  handlers[MessageType.Auth] = (_encoder: unknown, decoder: unknown) => {
    const reason = readPermissionDenied(decoder as Decoder);
    if (reason !== null) onRefused(reason);
  };

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
    clearLocalCopy: () => persistence.clearData(),
  };
}
