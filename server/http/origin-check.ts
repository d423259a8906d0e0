import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import { ForbiddenError } from '../errors.js';
import { credentialsOf } from './credentials.js';

/**
 * Which web pages may act with a browser's session: pages of the server's own
 * origin (the host the request was sent to, port included, so another port of
 * the same machine is another origin) and those in ALLOWED_ORIGINS. The one
 * rule for HTTP writes (below) and for websocket upgrades
 * (sync/websocket-server.ts).
 */
function originAllowed(origin: string, host: string | undefined, allowedOrigins: readonly string[]): boolean {
  if (allowedOrigins.includes(origin)) return true;
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false; // "null" (a sandboxed frame, a file) or garbage: no page we know
  }
}

/** What the browser says about where a request comes from: why it must be refused, or null. */
export function foreignOrigin(req: IncomingMessage, allowedOrigins: readonly string[]): string | null {
  const { origin, referer } = req.headers;
  const host = req.headers.host;
  if (origin !== undefined) {
    return originAllowed(origin, host, allowedOrigins) ? null : `a page of ${origin}`;
  }
  // Browsers send Origin with every write but older ones not always on the same origin: their other signals then.
  const site = req.headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') return `a page of another site (${site})`;
  if (site === 'same-origin' || site === 'none') return null;
  if (referer) {
    let from: string;
    try {
      from = new URL(referer).origin;
    } catch {
      return 'a page with a malformed Referer';
    }
    return originAllowed(from, host, allowedOrigins) ? null : `a page of ${from}`;
  }
  return null; // no browser said anything: a script (curl, the CLI), which brings its own credentials
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The session cookie is SameSite=Lax, which still lets a page of a sibling
 * site (another port of the meeting-room machine, a neighbouring subdomain)
 * send it with a form post. So every write that a browser sends from another
 * origin is refused (403) before it is read, unless it carries an invitation
 * token: a token, unlike a cookie, is never sent on its own, so whoever
 * presents one acts only with what they were given. Reads stay open to
 * links; they change nothing and their answers are not readable across
 * origins.
 */
export function originCheck(allowedOrigins: readonly string[]): RequestHandler {
  return (req, _res, next) => {
    if (SAFE_METHODS.has(req.method) || credentialsOf(req).token) return next();
    const foreign = foreignOrigin(req, allowedOrigins);
    if (!foreign) return next();
    next(new ForbiddenError(`This request came from ${foreign}, not from this server's own pages, and was refused.`));
  };
}
