import { randomBytes } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import type { Logger } from '../log.js';

const REQUEST_ID_HEADER = 'X-Request-Id';

/**
 * An id a client (or a proxy in front of us) sent is kept, so one request can
 * be followed through both logs, but only a short token: anything else could
 * forge log lines or bloat every line of the request.
 */
const ClientRequestId = z.string().regex(/^[\w.:-]{1,64}$/);

/** Secrets that travel in page paths (`/join/<token>`, `/setup/<token>`): never written to the log. */
const SECRET_PATH = /^\/(join|setup)\/[^/]+/;

/** The path as logged: no query string (`?token=` may be in it), no secret segment. */
export function loggedPath(req: Request): string {
  const path = req.originalUrl.split('?', 1)[0] ?? '';
  return path.replace(SECRET_PATH, '/$1/:token');
}

/**
 * First of every request: its id (in the `X-Request-Id` answer header), a
 * logger whose every line carries it (`requestLog(res)`), and one access line
 * at debug level when the answer is sent. Debug, not info: the list page
 * polls, and typing does not go through HTTP, so at info the log would be
 * mostly access lines with nothing to say.
 */
export function requestContext(log: Logger): RequestHandler {
  return (req, res, next) => {
    const sent = ClientRequestId.safeParse(req.get(REQUEST_ID_HEADER));
    const requestId = sent.success ? sent.data : randomBytes(9).toString('base64url');
    res.setHeader(REQUEST_ID_HEADER, requestId);
    res.locals.log = log.child({ requestId });
    const started = performance.now();
    res.once('close', () => {
      const ms = Math.round((performance.now() - started) * 10) / 10;
      const aborted = res.writableFinished ? undefined : true;
      requestLog(res).debug({ method: req.method, path: loggedPath(req), status: res.statusCode, ms, aborted }, 'request');
    });
    next();
  };
}

/**
 * The logger of this request: its requestId, and its documentId once a
 * `/:id` guard has read it (see `logDocument`). `fallback` is for code that
 * may run without requestContext (none in the app; a handler used elsewhere).
 */
export function requestLog(res: Response, fallback?: Logger): Logger {
  const log = (res.locals?.log as Logger | undefined) ?? fallback;
  if (!log) throw new Error('requestContext() must run before the routes that log');
  return log;
}

/** From here on, the request's lines say which document it is about. */
export function logDocument(res: Response, documentId: string): void {
  if (res.locals.documentId === documentId) return;
  res.locals.documentId = documentId;
  res.locals.log = requestLog(res).child({ documentId });
}
