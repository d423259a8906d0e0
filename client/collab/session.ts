import type { Decoder } from 'lib0/decoding';
import { clearDocument, IndexeddbPersistence } from 'y-indexeddb';
import { forgetReadMarks, READ_MARKS_PREFIX } from '../negotiation/unread-comments.js';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { COLLAB_PATH, FINAL_CLOSE_CODES, MessageType } from '../../shared/protocol/constants.js';
import { readPermissionDenied } from '../../shared/protocol/messages.js';
import type { DocumentId } from '../../shared/schema/api.js';
import type { ReadingPlace } from '../editor/reading-place.js';
import { serverPause } from './close-messages.js';
import { keepRefusedChange, trackLocalEdits, type RefusedChange } from './refusal-recovery.js';

/** One open document: the shared Y.Doc, kept on this computer and linked to the server. */
export type CollabSession = {
  ydoc: Y.Doc;
  provider: WebsocketProvider;
  destroy: () => void;
  /** Forgets the copy on this computer (after the server refused a change of ours). */
  clearLocalCopy: () => Promise<void>;
  /**
   * The editor showing this copy says how to read the reader's place, so that
   * a refusal keeps it through the reload that follows; returns the undo.
   */
  keepPlace: (read: () => ReadingPlace) => () => void;
};

/** A refusal, with what was read of this copy before it is dropped: the change, and where the reader was. */
export type Refused = RefusedChange & { place: ReadingPlace | null };

/** Same host as the page, ws: or wss: to match http: or https:. */
function collabServerUrl(): string {
  const protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${protocol}//${location.host}${COLLAB_PATH}`;
}

export const isFinalClose = (code: number) => FINAL_CLOSE_CODES.includes(code);

/**
 * How long to wait before offering our edits again to a server that cannot
 * take them for now (disk full, the document quarantined). y-websocket would
 * retry within 200 ms (a connection that synced resets its backoff, and the
 * server syncs before it refuses); every laptop with unsent edits doing that
 * would keep the server busy for nothing.
 */
const PAUSED_RETRY_MS = 3_000;

/** The IndexedDB database (y-indexeddb) that keeps this computer's copy of a document. */
const localCopyName = (documentId: DocumentId) => `nde-${documentId}`;

/**
 * Deletes this computer's copy of a document, without opening it: for a page
 * that learns this browser may no longer read it (its invitation revoked or
 * released, the document deleted) before any session was opened.
 */
export function forgetLocalCopy(documentId: DocumentId): Promise<void> {
  return clearDocument(localCopyName(documentId));
}

/**
 * Deletes this computer's copies of every document (on sign out: the next
 * person at this computer must not find the text of the last one), with the
 * read marks of their comments.
 */
export async function forgetAllLocalCopies(): Promise<void> {
  const databases = (await indexedDB.databases?.()) ?? [];
  const ids = databases.flatMap((d) => (d.name?.startsWith('nde-') ? [d.name.slice('nde-'.length)] : []));
  await Promise.all(ids.map((id) => clearDocument(localCopyName(id))));
  try {
    const marks = Array.from({ length: localStorage.length }, (_, i) => localStorage.key(i)).filter((k) => k?.startsWith(READ_MARKS_PREFIX));
    for (const key of marks) localStorage.removeItem(key!);
  } catch {
    // Storage off (private mode): nothing was kept.
  }
}

/**
 * @param onRefused called when the server refused one of our updates (a rule
 *   such as an agreed paragraph, checked on the server): this copy has diverged
 *   and must be replaced by the server's. What it holds that the person may
 *   want back is read first, while it is still whole.
 * @param onEnded called when the server ended this browser's access for good
 *   (a final close code: the invitation revoked, released or expired, the
 *   document deleted). The copy on this computer is being deleted by then;
 *   the caller takes the text off the screen.
 */
export function openCollabSession(
  documentId: DocumentId,
  onRefused: (refused: Refused) => void,
  onEnded: (code: number) => void,
): CollabSession {
  const ydoc = new Y.Doc();
  // Loaded before or after the server's state, it merges: offline edits survive a reload.
  const persistence = new IndexeddbPersistence(localCopyName(documentId), ydoc);
  const provider = new WebsocketProvider(collabServerUrl(), documentId, ydoc, {
    // y-websocket's default gives up on every 44xx code, including "too slow" (4408),
    // which only means "reconnect and resync". Stop only when retrying cannot help.
    // A full disk (4507), an unreachable database (4504) or a quarantined document (4503) is not final either: the edits stay in this copy and are sent again, after a pause (below).
    shouldReconnect: (event) => !isFinalClose(event.code) && serverPause(event.code) === null,
  });
  // Not a refusal: the server did not judge the change, it could not store it. Nothing is dropped; the same copy reconnects.
  let retry: ReturnType<typeof setTimeout> | undefined;
  const onClosed = ({ code }: { code: number }) => {
    if (!serverPause(code)) return;
    clearTimeout(retry);
    retry = setTimeout(() => provider.connect(), PAUSED_RETRY_MS);
  };
  provider.on('closed', onClosed);

  // Offline also when the browser says so: its socket may stay open, holding what is sent until the network is back.
  const localEdits = trackLocalEdits(ydoc, () => provider.synced && navigator.onLine);
  let readPlace: (() => ReadingPlace) | null = null;
  // The refusals after the first are of the updates built on it: by then this copy is being replaced.
  let refused = false;

  const handlers = (provider as unknown as { messageHandlers: Array<(...args: unknown[]) => void> }).messageHandlers;
  handlers[MessageType.Auth] = (_encoder: unknown, decoder: unknown) => {
    const reason = readPermissionDenied(decoder as Decoder);
    if (reason === null || refused) return;
    refused = true;
    onRefused(keepWhatWeCan(reason));
  };
  // What is read of this copy is given back as a courtesy; replacing the copy is not optional.
  const keepWhatWeCan = (reason: string): Refused => {
    try {
      return { ...keepRefusedChange(ydoc, reason, localEdits.edits()), place: readPlace?.() ?? null };
    } catch {
      return { reason, named: null, offline: false, ownText: [], place: null };
    }
  };

  // Confidential text must not outlive the access to it: nothing of the document stays on this computer.
  let ended = false;
  const onClose = (event: CloseEvent | null) => {
    if (!event || !isFinalClose(event.code) || ended) return;
    ended = true;
    localEdits.stop();
    // The provider stops reconnecting by itself (shouldReconnect); another tab of this browser must not hand the text back either.
    provider.disconnectBc();
    void persistence.clearData();
    try {
      forgetReadMarks(localStorage, documentId);
    } catch {
      // Storage off (private mode): there is nothing to forget.
    }
    onEnded(event.code);
  };
  provider.on('connection-close', onClose);

  return {
    ydoc,
    provider,
    destroy: () => {
      localEdits.stop();
      clearTimeout(retry);
      provider.off('closed', onClosed);
      provider.off('connection-close', onClose);
      provider.destroy();
      void persistence.destroy();
      ydoc.destroy();
    },
    clearLocalCopy: () => persistence.clearData(),
    keepPlace: (read) => {
      readPlace = read;
      return () => {
        if (readPlace === read) readPlace = null;
      };
    },
  };
}
