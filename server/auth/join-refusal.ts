import type { JoinProblem } from '../../shared/schema/auth.js';
import { type AppError, ForbiddenError, UnauthenticatedError } from '../errors.js';
import type { Invitation } from './auth-store.js';

/**
 * Why a link cannot be opened in this browser, said so that the person knows
 * what to do next: the join page shows it before any name is typed, and
 * opening the invitation is refused with it. A person-bound invitation belongs
 * to the session that claimed it (`sessionHash`, the hash of this browser's
 * session, null when it has none).
 */
type JoinRefusal = { problem: JoinProblem; message: string };

const UNKNOWN: JoinRefusal = {
  problem: 'unknown',
  message: 'This invitation link is not valid: check that the whole link was copied, or ask the secretariat for a new one',
};

function joinRefusal(invitation: Invitation, sessionHash: string | null, now = new Date()): JoinRefusal | null {
  if (invitation.revokedAt) return { problem: 'revoked', message: 'This invitation was revoked by the secretariat: ask them for a new link' };
  if (invitation.expiresAt && new Date(invitation.expiresAt) <= now) {
    return { problem: 'expired', message: 'This invitation has expired: ask the secretariat for a new link' };
  }
  if (!claimedElsewhere(invitation, sessionHash)) return null;
  return {
    problem: 'claimed',
    message: `This invitation was already claimed by ${invitation.claimedBy ?? 'someone'} on another computer: ask the secretariat`,
  };
}

/** A person-bound invitation that a session other than `sessionHash` holds. */
function claimedElsewhere(invitation: Invitation, sessionHash: string | null): boolean {
  return invitation.personBound && invitation.claimedSession !== null && invitation.claimedSession !== sessionHash;
}

/**
 * The invitation, when this browser may open it; otherwise its refusal,
 * thrown: 401 for a link that opens nothing (any more), 403 for one another
 * browser holds, with `problem` in the body (JoinRefusedBody).
 */
export function requireJoinable(invitation: Invitation | undefined, sessionHash: string | null): Invitation {
  if (!invitation) throw joinRefusedError(UNKNOWN);
  const refusal = joinRefusal(invitation, sessionHash);
  if (refusal) throw joinRefusedError(refusal);
  return invitation;
}

function joinRefusedError(refusal: JoinRefusal): AppError {
  return refusal.problem === 'claimed' ? new ClaimedInvitationError(refusal) : new InvalidInvitationError(refusal);
}

class InvalidInvitationError extends UnauthenticatedError {
  constructor(private readonly refusal: JoinRefusal) {
    super(refusal.message);
  }

  override get details(): { problem: JoinProblem } {
    return { problem: this.refusal.problem };
  }
}

class ClaimedInvitationError extends ForbiddenError {
  constructor(private readonly refusal: JoinRefusal) {
    super(refusal.message);
  }

  override get details(): { problem: JoinProblem } {
    return { problem: this.refusal.problem };
  }
}
