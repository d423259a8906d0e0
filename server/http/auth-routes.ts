import express, { Router, type Request } from 'express';
import {
  AcceptInvitationRequest,
  JoinInfoRequest,
  PasswordSignInRequest,
  SetupRequest,
  type Grant,
  type JoinInfo,
  type SessionInfo,
} from '../../shared/schema/auth.js';
import type { AuthStore } from '../auth/auth-store.js';
import { SECRETARIAT_DELEGATION, type Authenticator } from '../auth/authenticator.js';
import { requireJoinable } from '../auth/join-refusal.js';
import { hashPassword, hashSecret, verifyPassword } from '../auth/secrets.js';
import { BadRequestError, ForbiddenError, NotFoundError, UnauthenticatedError } from '../errors.js';
import type { DocumentStore } from '../storage/document-store.js';
import { principalOf } from './access.js';
import { SESSION_COOKIE, clearSessionCookie, readCookie, setSessionCookie } from './cookies.js';
import { requireJson } from './error-handler.js';
import { rateLimit } from './rate-limit.js';
import { requestLog } from './request-context.js';
import { parseInput } from './validate.js';

/**
 * Signing in: opening an invitation (with one's name, asked once), the
 * secretariat's password, and the one-time setup link of a fresh install.
 */
export function authRoutes(auth: AuthStore, store: DocumentStore, authenticator: Authenticator): Router {
  const router = Router();
  const json = [requireJson, express.json({ limit: 4096, strict: true })];
  const signInLimit = rateLimit({ burst: 10, perMinute: 10 });
  // Reading what a link opens signs nobody in: a bucket of its own, so reloading the join page costs no sign-in.
  const infoLimit = rateLimit({ burst: 30, perMinute: 30 });

  router.get('/', (req, res) => {
    const principal = principalOf(req, res, authenticator);
    const grants: Grant[] = principal.account
      ? store.list().map((d) => ({ documentId: d.id, role: 'secretariat', delegation: SECRETARIAT_DELEGATION }))
      : principal.invitations.map((i) => ({ documentId: i.documentId, role: i.role, delegation: i.delegation }));
    const body: SessionInfo = { name: principal.name, account: principal.account, grants };
    res.json(body);
  });

  /** This browser's session, if it has one that is still good. */
  const sessionOf = (req: Request): string | undefined => {
    const secret = readCookie(req.headers.cookie, SESSION_COOKIE);
    return secret && auth.session(secret) ? secret : undefined;
  };

  // The join page asks what a link opens before the person types a name: only that, or why it opens nothing.
  router.post('/invitation/info', infoLimit, ...json, (req, res) => {
    const { token } = parseInput(JoinInfoRequest, req.body);
    const session = sessionOf(req);
    const invitation = requireJoinable(auth.invitationByToken(token), session ? hashSecret(session) : null);
    const document = store.get(invitation.documentId);
    if (!document) throw new NotFoundError('The document of this invitation no longer exists');
    const body: JoinInfo = {
      documentTitle: document.title,
      role: invitation.role,
      delegation: invitation.delegation,
      personBound: invitation.personBound,
      expiresAt: invitation.expiresAt,
    };
    res.json(body);
  });

  router.post('/invitation', signInLimit, ...json, (req, res) => {
    const { token, name } = parseInput(AcceptInvitationRequest, req.body);
    // Keep the browser's existing session, so one person can hold several documents.
    const existing = sessionOf(req);
    const invitation = requireJoinable(auth.invitationByToken(token), existing ? hashSecret(existing) : null);
    const secret = existing ?? auth.createSession({ name, accountId: null });
    // A person-bound invitation becomes this browser's; the condition is checked again as it is written.
    if (invitation.personBound && !auth.claimInvitation(invitation.id, secret, name)) {
      requireJoinable(auth.invitationByToken(token), hashSecret(secret));
      throw new ForbiddenError('This invitation could not be claimed: open the link again');
    }
    auth.renameSession(secret, name);
    auth.addGrant(secret, invitation.id);
    auth.recordJoin(invitation.id, name);
    setSessionCookie(req, res, secret);
    requestLog(res).info(
      { documentId: invitation.documentId, role: invitation.role, delegation: invitation.delegation, name, personBound: invitation.personBound },
      'invitation opened',
    );
    res.json({ documentId: invitation.documentId, role: invitation.role, delegation: invitation.delegation, name });
  });

  router.post('/password', signInLimit, ...json, async (req, res) => {
    const { name, password } = parseInput(PasswordSignInRequest, req.body);
    const account = auth.accountByName(name);
    if (!account || !(await verifyPassword(password, account.passwordHash))) {
      requestLog(res).warn({ name }, 'failed secretariat sign-in');
      throw new UnauthenticatedError('Wrong name or password');
    }
    setSessionCookie(req, res, auth.createSession({ name: account.name, accountId: account.id }));
    res.json({ name: account.name });
  });

  router.post('/setup', signInLimit, ...json, async (req, res) => {
    const { token, name, password } = parseInput(SetupRequest, req.body);
    if (auth.accountByName(name)) throw new BadRequestError('An account with this name exists already');
    if (!auth.consumeSetupToken(token)) throw new UnauthenticatedError('This setup link is not valid or was used already');
    const account = auth.createAccount(name, await hashPassword(password));
    setSessionCookie(req, res, auth.createSession({ name: account.name, accountId: account.id }));
    requestLog(res).info({ name }, 'secretariat account created');
    res.status(201).json({ name: account.name });
  });

  router.delete('/', (req, res) => {
    const secret = readCookie(req.headers.cookie, SESSION_COOKIE);
    if (secret) auth.deleteSession(secret);
    clearSessionCookie(res);
    res.status(204).end();
  });

  return router;
}
