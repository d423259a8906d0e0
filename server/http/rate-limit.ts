import type { RequestHandler } from 'express';
import { TooManyRequestsError } from '../errors.js';

/**
 * A token bucket per client address: `burst` requests at once, refilled at
 * `perMinute`. Enough to stop password guessing and token scanning without a
 * shared store (one server process).
 */
export function rateLimit({ burst, perMinute }: { burst: number; perMinute: number }): RequestHandler {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const refillPerMs = perMinute / 60_000;
  return (req, _res, next) => {
    const key = req.ip ?? 'unknown';
    const now = Date.now();
    const bucket = buckets.get(key) ?? { tokens: burst, at: now };
    bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.at) * refillPerMs);
    bucket.at = now;
    buckets.set(key, bucket);
    if (buckets.size > 10_000) buckets.clear();
    if (bucket.tokens < 1) {
      next(new TooManyRequestsError('Too many attempts; wait a minute and try again'));
      return;
    }
    bucket.tokens -= 1;
    next();
  };
}
