import { SCREEN_PRESENCE_NAME, type DocumentAccess } from '../../shared/schema/auth.js';
import type { Role } from '../../shared/schema/roles.js';
import { ForbiddenError, UnauthenticatedError, isStorageError } from '../errors.js';
import { invitationProblem, type Account, type AuthStore, type Invitation } from './auth-store.js';
import { hashSecret } from './secrets.js';

/** What a request or a websocket upgrade presented: a session cookie and/or an invitation token. */
export type Credentials = { session?: string | undefined; token?: string | undefined };

/** Who is asking: a secretariat account (every document) and/or the invitations they opened. */
export type Principal = {
  name: string;
  account: Account | null;
  invitations: Invitation[];
  /** The session's invitations that stopped working, and why: a 403 for their document says so. */
  lapsed: Array<{ documentId: string; reason: string }>;
};

/**
 * Server-side access: also which invitation granted it, so revoking it can
 * disconnect its holders, and the principal (that invitation, or the account)
 * that owns the Yjs client ids this access writes under.
 */
export type ResolvedAccess = DocumentAccess & {
  invitationId: string | null;
  principal: string;
  /** Opened with a screen invitation: the projector, shown in presence as "Plenary screen", not as a person. */
  screen?: boolean;
};

/** When an access ends by itself (an invitation or a session expires), and what to tell its holder then. */
export type AccessEnd = { at: Date; reason: string };

const RANK: Record<Role, number> = { observer: 0, commenter: 1, delegate: 2, chair: 3, secretariat: 4 };

/** The delegation an account-holder of the secretariat speaks for. */
export const SECRETARIAT_DELEGATION = 'Secretariat';

/**
 * Step one of every request and every websocket: who is this, and what may
 * they do in this document. No credentials → 401; credentials that do not open
 * this document → 403.
 */
export class Authenticator {
  constructor(private readonly store: AuthStore) {}

  principal(credentials: Credentials): Principal {
    if (credentials.token) {
      const invitation = this.store.invitationByToken(credentials.token);
      if (!invitation) throw new UnauthenticatedError('This invitation link is not valid');
      const problem = invitationProblem(invitation);
      if (problem) throw new UnauthenticatedError(problem);
      // Its holder is a browser session: a token sent as such would let anyone with the link in beside them.
      if (invitation.personBound) throw new ForbiddenError('This invitation is for one person: open the link in a browser');
      return { name: invitation.label || invitation.delegation, account: null, invitations: [invitation], lapsed: [] };
    }
    if (credentials.session) {
      const session = this.store.session(credentials.session);
      if (session) {
        const account = session.accountId ? (this.store.account(session.accountId) ?? null) : null;
        const sessionHash = hashSecret(credentials.session);
        const invitations: Invitation[] = [];
        const lapsed: Array<{ documentId: string; reason: string }> = [];
        for (const invitation of this.store.sessionInvitations(credentials.session)) {
          // A person-bound invitation opens only in the session holding it: released, its grant here opens nothing.
          const released = invitation.personBound && invitation.claimedSession !== sessionHash;
          const reason = invitationProblem(invitation) ?? (released ? 'The secretariat released this invitation for use on another computer' : null);
          if (reason) lapsed.push({ documentId: invitation.documentId, reason });
          else invitations.push(invitation);
        }
        return { name: session.name, account, invitations, lapsed };
      }
    }
    throw new UnauthenticatedError('Sign in first: open your invitation link');
  }

  access(principal: Principal, documentId: string): ResolvedAccess {
    if (principal.account) {
      const { account } = principal;
      return { documentId, role: 'secretariat', name: principal.name, delegation: SECRETARIAT_DELEGATION, invitationId: null, principal: `account:${account.id}` };
    }
    const best = principal.invitations
      .filter((i) => i.documentId === documentId)
      .sort((a, b) => RANK[b.role] - RANK[a.role])[0];
    if (!best) {
      const lapsed = principal.lapsed.find((l) => l.documentId === documentId);
      throw new ForbiddenError(lapsed?.reason ?? 'Your invitation does not open this document');
    }
    try {
      this.store.noteSeen(best);
    } catch (err) {
      // Bookkeeping, not access: a disk too full to record it must not keep anyone from reading.
      if (!isStorageError(err)) throw err;
    }
    const screen = best.kind === 'screen';
    return {
      documentId,
      role: best.role,
      name: screen ? SCREEN_PRESENCE_NAME : principal.name,
      delegation: best.delegation,
      invitationId: best.id,
      principal: `invitation:${best.id}`,
      screen,
    };
  }

  authorize(credentials: Credentials, documentId: string): ResolvedAccess {
    return this.access(this.principal(credentials), documentId);
  }

  /**
   * Why an access granted earlier no longer holds (its invitation revoked,
   * expired or gone), or null: for an open websocket whose revocation this
   * process may not have been told of (server/sync/rooms.ts). Accounts are
   * not re-checked here.
   */
  lapsed(access: ResolvedAccess): string | null {
    if (!access.invitationId) return null;
    const invitation = this.store.invitation(access.documentId, access.invitationId);
    return invitation ? invitationProblem(invitation) : 'Your invitation does not open this document';
  }

  /**
   * The first moment this access stops by itself: the expiry of the
   * invitation that granted it, or of the session that carries it. A request
   * is checked when it arrives; an open websocket must be closed then.
   */
  accessEnd(credentials: Credentials, access: ResolvedAccess): AccessEnd | null {
    const ends: AccessEnd[] = [];
    const expiring = (invitation: Invitation | undefined) => {
      if (!invitation?.expiresAt) return;
      const at = new Date(invitation.expiresAt);
      ends.push({ at, reason: invitationProblem(invitation, at) ?? 'This invitation has expired' });
    };
    if (credentials.token) {
      expiring(this.store.invitationByToken(credentials.token));
    } else if (credentials.session) {
      const session = this.store.session(credentials.session);
      if (session) ends.push({ at: new Date(session.expiresAt), reason: 'Your session has expired: sign in again' });
      expiring(this.store.sessionInvitations(credentials.session).find((i) => i.id === access.invitationId));
    }
    return ends.sort((a, b) => a.at.getTime() - b.at.getTime())[0] ?? null;
  }
}
