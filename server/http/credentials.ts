import type { IncomingMessage } from 'node:http';
import type { Credentials } from '../auth/authenticator.js';
import { SESSION_COOKIE, readCookie } from './cookies.js';

/**
 * The session cookie, plus an invitation token given as `Authorization: Bearer`
 * (scripts) or `?token=` (what y-websocket's `params` option sends).
 */
export function credentialsOf(req: IncomingMessage): Credentials {
  const authorization = req.headers.authorization;
  const bearer = authorization?.startsWith('Bearer ') ? authorization.slice(7).trim() : undefined;
  const query = new URL(req.url ?? '/', 'http://localhost').searchParams.get('token') ?? undefined;
  return { session: readCookie(req.headers.cookie, SESSION_COOKIE), token: bearer || query };
}
