/** Where the y-websocket endpoint lives: `ws://HOST:PORT/collab/<documentId>`. */
export const COLLAB_PATH = '/collab';

/**
 * Top-level message types of the y-websocket protocol (first varUint of a frame;
 * y-websocket declares them privately). Frames are encoded and decoded in messages.ts.
 */
export const MessageType = {
  Sync: 0,
  Awareness: 1,
  Auth: 2,
  QueryAwareness: 3,
} as const;

/**
 * Websocket close codes the server uses. 4xxx mirrors the HTTP status of the same
 * meaning so a client can explain it to a person; 1009 is the standard "too big".
 */
export const CloseCode = {
  GoingAway: 1001,
  MessageTooBig: 1009,
  InternalError: 1011,
  MalformedMessage: 4400,
  Unauthenticated: 4401,
  Forbidden: 4403,
  UnknownDocument: 4404,
  TooSlow: 4408,
  DocumentDeleted: 4410,
  RejectedUpdate: 4422,
  TooManyMessages: 4429,
  /**
   * The server cannot store changes (its disk is full): the update was not
   * taken, nothing of it was relayed. Not final: the client keeps its edits
   * and sends them when it reconnects (4500-4599 is the "try again later"
   * range, as 5xx is in HTTP; 507 is Insufficient Storage).
   */
  StorageFull: 4507,
  /**
   * The document cannot be read from the server's storage (damaged) and is
   * quarantined until the secretariat restores it. Not final either: what
   * this computer holds is kept, and offered again after a pause.
   */
  DocumentUnreadable: 4503,
  /**
   * The server cannot reach its database (PostgreSQL down or restarting): the
   * update was not taken, nothing of it was relayed. Not final, like 4507.
   */
  StorageUnavailable: 4504,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** Close codes after which reconnecting cannot help: the client should stop and say why. */
export const FINAL_CLOSE_CODES: readonly number[] = [
  CloseCode.Unauthenticated,
  CloseCode.Forbidden,
  CloseCode.UnknownDocument,
  CloseCode.DocumentDeleted,
];
