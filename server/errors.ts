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
