import { createHash, timingSafeEqual } from 'node:crypto';
import { Router, type RequestHandler } from 'express';
import type { Authenticator } from '../auth/authenticator.js';
import { UnauthenticatedError } from '../errors.js';
import { registry } from '../metrics/metrics.js';
import { requireSecretariatAccount } from './access.js';
import { SESSION_COOKIE, readCookie } from './cookies.js';

export type MetricsRoutesDeps = {
  authenticator: Authenticator;
  /** METRICS_TOKEN: a scraper's `Authorization: Bearer`; null: only a secretariat session reads the metrics. */
  token: string | null;
};

/** Equal or not, in the same time whatever the input: the digests have one length, so timingSafeEqual applies. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * The metrics say how many people are in which state and how busy the server
 * is: a Prometheus scraper with the token, or the secretariat signed in.
 * A bearer that is not the token is a 401 of its own (an invitation token is
 * no way in, and "invitation link not valid" would mislead whoever set up the scraper).
 */
function metricsAccess(authenticator: Authenticator, token: string | null): RequestHandler {
  const secretariat = requireSecretariatAccount(authenticator, 'read the metrics');
  const howTo = token
    ? 'Send Authorization: Bearer <METRICS_TOKEN>, or sign in as the secretariat'
    : 'Sign in as the secretariat (METRICS_TOKEN is not set on this server)';
  return (req, res, next) => {
    const authorization = req.get('authorization');
    if (authorization !== undefined) {
      const bearer = authorization.startsWith('Bearer ') ? authorization.slice(7).trim() : '';
      if (token && sameSecret(bearer, token)) return next();
      throw new UnauthenticatedError(`This metrics token is not valid. ${howTo}`);
    }
    if (!readCookie(req.headers.cookie, SESSION_COOKIE)) throw new UnauthenticatedError(`The metrics are protected. ${howTo}`);
    secretariat(req, res, next);
  };
}

/** `GET /metrics`: every metric of the registry (server/metrics/), in the Prometheus text format. */
export function metricsRoutes({ authenticator, token }: MetricsRoutesDeps): Router {
  const router = Router();
  router.get('/metrics', metricsAccess(authenticator, token), async (_req, res) => {
    const text = await registry.metrics();
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Type', registry.contentType);
    res.send(text);
  });
  return router;
}
