import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { ErrorBody } from '../../shared/schema/api.js';
import {
  BadRequestError,
  NotFoundError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
  describeError,
} from '../errors.js';
import type { Logger } from '../log.js';
import { loggedPath, requestLog } from './request-context.js';

/** body-parser reports its failures with a `type`; they become our typed errors. */
function fromBodyParser(err: unknown): unknown {
  const type = (err as { type?: unknown } | null)?.type;
  if (type === 'entity.too.large') return new PayloadTooLargeError('The request body is too large');
  if (type === 'entity.parse.failed') return new BadRequestError('The request body is not valid JSON');
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
    return new UnsupportedMediaTypeError('The request body must be UTF-8 JSON');
  }
  return err;
}

/**
 * Every error becomes `{ error, message }` with its status, plus the fields of
 * its `details` when it has structured data to give (the open brackets of a
 * 409): the one place an error body is written. Stack traces go to the log only.
 */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (rawErr, req, res, _next) => {
    const err = fromBodyParser(rawErr);
    const { status, code, message, details } = describeError(err);
    // The request's logger: its requestId (and documentId) tie this line to the answer the person got.
    const reqLog = requestLog(res, log);
    if (status >= 500) reqLog.error({ err, method: req.method, path: loggedPath(req) }, 'request failed');
    else reqLog.info({ status, code, method: req.method, path: loggedPath(req) }, message);
    const body: ErrorBody = { error: code, message, ...details };
    res.status(status).json(body);
  };
}

export const unknownApiRoute: RequestHandler = (req, _res, next) => {
  next(new NotFoundError(`No API route ${req.method} ${req.path}`));
};

/** Requests with a body must say it is JSON: anything else is refused before parsing. */
export const requireJson: RequestHandler = (req, _res, next) => {
  if (!req.is('application/json')) {
    next(new UnsupportedMediaTypeError('The request body must be JSON (Content-Type: application/json)'));
    return;
  }
  next();
};
