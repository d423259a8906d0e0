import { MalformedMessageError, RejectedUpdateError, TooManyRequestsError } from '../errors.js';
import { type RefusalKind, metrics } from './metrics.js';

/**
 * Which refusal a frame that closed its connection counts as: one that is not
 * our protocol (or an update Yjs cannot read) is `malformed`, a flood is
 * `flood`. Other closes (an access that expired, a server fault) refused
 * nothing the client sent and are not counted.
 */
export function refusalOf(err: unknown): RefusalKind | null {
  if (err instanceof TooManyRequestsError) return 'flood';
  if (err instanceof MalformedMessageError || err instanceof RejectedUpdateError) return 'malformed';
  return null;
}

export function countRefusal(err: unknown): void {
  const reason = refusalOf(err);
  if (reason) metrics.updatesRefused.inc({ reason });
}
