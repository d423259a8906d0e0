/** Messages between the bench and its light-socket child process (over the fork IPC channel). */

export type StormResult = {
  requested: number;
  opened: number;
  /** Sockets that received the server's sync step 2 (the whole document). */
  synced: number;
  failed: number;
  /** From the first connect call until every socket was open; NaN if some never opened. */
  openMs: number;
  /** From the first connect call until every socket had the document; NaN if some never got it. */
  syncedMs: number;
};

export type LightStats = {
  open: number;
  /** Frames received since the last reset. */
  messages: number;
  bytes: number;
  /** The part of the above that was awareness (presence, carets). */
  awarenessMessages: number;
  awarenessBytes: number;
  unexpectedCloses: number;
  closeCodes: Record<string, number>;
};

export type LightCommand =
  | { cmd: 'storm'; url: string; headers: Record<string, string>; count: number; timeoutMs: number }
  | { cmd: 'reset' }
  | { cmd: 'stats' }
  | { cmd: 'close' };

export type LightReply =
  | { type: 'ready' }
  | { type: 'storm'; result: StormResult }
  | { type: 'reset' }
  | { type: 'stats'; stats: LightStats }
  | { type: 'closed' };
