import type { OpenBracket } from '../shared/schema/api.js';
import { CloseCode } from '../shared/protocol/constants.js';

/**
 * Every failure the server reports on purpose is one of these. The HTTP status,
 * the websocket close code and the stable error code live here and nowhere else.
 */
export abstract class AppError extends Error {
  abstract readonly status: number;
  abstract readonly closeCode: CloseCode;
  abstract readonly code: string;
  /**
   * Structured data the answer carries beside `error` and `message`, as fields
   * of the JSON error body (declared in shared/schema/api.ts). A getter, not a
   * field: a field here would shadow the subclasses' own.
   */
  get details(): ErrorDetails | undefined {
    return undefined;
  }
}

/** Fields an error adds to its JSON body; never `error` or `message`, which the handler writes. */
export type ErrorDetails = Readonly<Record<string, unknown>> & { error?: never; message?: never };

export class BadRequestError extends AppError {
  readonly status = 400;
  readonly closeCode = CloseCode.MalformedMessage;
  readonly code = 'bad_request';
}

export class MalformedMessageError extends AppError {
  readonly status = 400;
  readonly closeCode = CloseCode.MalformedMessage;
  readonly code = 'malformed_message';
}

export class UnauthenticatedError extends AppError {
  readonly status = 401;
  readonly closeCode = CloseCode.Unauthenticated;
  readonly code = 'unauthenticated';
}

export class ForbiddenError extends AppError {
  readonly status = 403;
  readonly closeCode = CloseCode.Forbidden;
  readonly code = 'forbidden';
}

export class TooManyRequestsError extends AppError {
  readonly status = 429;
  readonly closeCode = CloseCode.TooManyMessages;
  readonly code = 'too_many_requests';
}

export class NotFoundError extends AppError {
  readonly status = 404;
  readonly closeCode = CloseCode.UnknownDocument;
  readonly code = 'not_found';
}

/** The request clashes with the state of things: a name already taken, a restore while the document is busy. */
export class ConflictError extends AppError {
  readonly status = 409;
  readonly closeCode = CloseCode.RejectedUpdate;
  readonly code = 'conflict';
}

export class PayloadTooLargeError extends AppError {
  readonly status = 413;
  readonly closeCode = CloseCode.MessageTooBig;
  readonly code = 'payload_too_large';
}

export class UnsupportedMediaTypeError extends AppError {
  readonly status = 415;
  readonly closeCode = CloseCode.MalformedMessage;
  readonly code = 'unsupported_media_type';
}

export class RejectedUpdateError extends AppError {
  readonly status = 422;
  readonly closeCode = CloseCode.RejectedUpdate;
  readonly code = 'rejected_update';
}

/** The request was understood but its content cannot be used (a corrupt or unsafe file, text that is not UTF-8). */
export class UnprocessableEntityError extends AppError {
  readonly status = 422;
  readonly closeCode = CloseCode.RejectedUpdate;
  readonly code = 'unprocessable_entity';
}

/** An agreed text was asked for while brackets are still open; `open` lists them for the answer (UnresolvedBracketsBody). */
export class UnresolvedBracketsError extends AppError {
  readonly status = 409;
  readonly closeCode = CloseCode.RejectedUpdate;
  readonly code = 'unresolved_brackets';
  constructor(
    message: string,
    readonly open: OpenBracket[],
  ) {
    super(message);
  }

  override get details(): { open: OpenBracket[] } {
    return { open: this.open };
  }
}

export class DocumentDeletedError extends AppError {
  readonly status = 410;
  readonly closeCode = CloseCode.DocumentDeleted;
  readonly code = 'document_deleted';
}

/**
 * A document whose stored content cannot be decoded (a damaged snapshot or logged
 * update): quarantined, the rest of the server serves on. 503 and 4503: this
 * document is unavailable until the secretariat restores it, nothing the client did.
 */
export class DocumentUnreadableError extends AppError {
  readonly status = 503;
  readonly closeCode = CloseCode.DocumentUnreadable;
  readonly code = 'document_unreadable';
  constructor(
    readonly documentId: string,
    /** Which rows, and what the decoder said: for the log, not for the person told. */
    readonly damage: string,
  ) {
    super(`Document "${documentId}" is damaged in storage and quarantined; the secretariat can restore it from a backup`);
  }
}

/**
 * The database cannot take writes for now: its disk is full, or (PostgreSQL)
 * it cannot be reached. Nothing was changed; the write gate
 * (server/storage/write-gate.ts) is closed and refuses updates until it can
 * write again. Neither close code is final: the client keeps its edits and
 * sends them again when it reconnects.
 */
export abstract class WriteRefusedError extends AppError {}

/**
 * SQLite could not write for lack of disk space (server/storage/write-gate.ts
 * closes the gate on it): nothing was changed. On a websocket the client keeps
 * its edits and sends them again when it reconnects (4507 is not final).
 */
export class StorageFullError extends WriteRefusedError {
  readonly status = 507;
  readonly closeCode = CloseCode.StorageFull;
  readonly code = 'storage_full';
}

/**
 * PostgreSQL did not answer (down, restarting, unreachable, or slower than the
 * query timeout): nothing this process did not store is relayed, reads answer
 * 503, and the gate reopens once a probe connects again (4504 is not final).
 */
export class StorageUnavailableError extends WriteRefusedError {
  readonly status = 503;
  readonly closeCode = CloseCode.StorageUnavailable;
  readonly code = 'storage_unavailable';
}

/** The close reason when PostgreSQL cannot be reached (at most 123 bytes). */
export const STORAGE_UNAVAILABLE_REASON = 'The server cannot reach its database. Your edits are kept on this computer and sent when it can.';
/** The message of an HTTP request that needed the database while it could not be reached. */
export const STORAGE_UNAVAILABLE_MESSAGE = 'The server cannot reach its database. Nothing was changed; try again in a moment.';

/** The close reason of a refused update (at most 123 bytes, see closeReason). */
export const STORAGE_FULL_REASON = 'The server cannot save changes: disk full. Your edits are kept on this computer and sent when it can.';
/** The message of an HTTP write that failed for lack of space. */
export const STORAGE_FULL_MESSAGE = 'The server cannot save changes: disk full. Nothing was changed; try again once space is freed.';

/**
 * An error of the storage engine itself (SQLite's SqliteError, PostgreSQL's
 * error as the bridge rethrows it, or the database unreachable): the whole
 * server's problem, never one document's damage nor one request's mistake.
 */
export function isStorageError(err: unknown): boolean {
  return isSqliteError(err) || err instanceof StorageUnavailableError || (err instanceof Error && err.name === 'PostgresError');
}

/** better-sqlite3's SqliteError (its `code` says what failed: SQLITE_FULL...), told by name so that this file needs no driver. */
export function isSqliteError(err: unknown): err is Error & { code: string } {
  return err instanceof Error && err.name === 'SqliteError' && typeof (err as { code?: unknown }).code === 'string';
}

/** What a person (or a script) is told about any error; internals stay in the log. */
export function describeError(err: unknown): {
  status: number;
  closeCode: CloseCode;
  code: string;
  message: string;
  details?: ErrorDetails | undefined;
} {
  if (err instanceof AppError) {
    const { details } = err;
    return { status: err.status, closeCode: err.closeCode, code: err.code, message: err.message, ...(details ? { details } : {}) };
  }
  if (isSqliteError(err) && err.code === 'SQLITE_FULL') return describeError(new StorageFullError(STORAGE_FULL_MESSAGE));
  return {
    status: 500,
    closeCode: CloseCode.InternalError,
    code: 'internal_error',
    message: 'The server could not complete this request.',
  };
}

/** Websocket close reasons are limited to 123 bytes of UTF-8. */
export function closeReason(message: string): string {
  const buf = Buffer.from(message, 'utf8');
  return buf.length <= 123 ? message : `${buf.subarray(0, 120).toString('utf8').replace(/\uFFFD$/, '')}...`;
}
