import express, { Router } from 'express';
import {
  AcceptInvitationRequest,
  PasswordSignInRequest,
  SetupRequest,
  type Grant,
  type SessionInfo,
} from '../../shared/schema/auth.js';
import { invitationProblem, type AuthStore } from '../auth/auth-store.js';
import { SECRETARIAT_DELEGATION, type Authenticator } from '../auth/authenticator.js';
import { hashPassword, verifyPassword } from '../auth/secrets.js';
import { BadRequestError, UnauthenticatedError } from '../errors.js';
import type { Logger } from '../log.js';
import type { DocumentStore } from '../storage/document-store.js';
import { principalOf } from './access.js';
import { SESSION_COOKIE, clearSessionCookie, readCookie, setSessionCookie } from './cookies.js';
import { requireJson } from './error-handler.js';
import { rateLimit } from './rate-limit.js';
import { parseInput } from './validate.js';

/**
 * Signing in: opening an invitation (with one's name, asked once), the
 * secretariat's password, and the one-time setup link of a fresh install.
 */
export function authRoutes(auth: AuthStore, store: DocumentStore, authenticator: Authenticator, log: Logger): Router {
  const router = Router();
  const json = [requireJson, express.json({ limit: 4096, strict: true })];
  const signInLimit = rateLimit({ burst: 10, perMinute: 10 });

  router.get('/', (req, res) => {
    const principal = principalOf(req, res, authenticator);
    const grants: Grant[] = principal.account
      ? store.list().map((d) => ({ documentId: d.id, role: 'secretariat', delegation: SECRETARIAT_DELEGATION }))
      : principal.invitations.map((i) => ({ documentId: i.documentId, role: i.role, delegation: i.delegation }));
    const body: SessionInfo = { name: principal.name, account: principal.account, grants };
    res.json(body);
  });

  router.post('/invitation', signInLimit, ...json, (req, res) => {
    const { token, name } = parseInput(AcceptInvitationRequest, req.body);
    const invitation = auth.invitationByToken(token);
    if (!invitation) throw new UnauthenticatedError('This invitation link is not valid');
    const problem = invitationProblem(invitation);
    if (problem) throw new UnauthenticatedError(problem);
    // Keep the browser's existing session, so one person can hold several documents.
    const existing = readCookie(req.headers.cookie, SESSION_COOKIE);
    const secret = existing && auth.session(existing) ? existing : auth.createSession({ name, accountId: null });
    auth.renameSession(secret, name);
    auth.addGrant(secret, invitation.id);
    setSessionCookie(req, res, secret);
    log.info({ documentId: invitation.documentId, role: invitation.role, delegation: invitation.delegation, name }, 'invitation opened');
    res.json({ documentId: invitation.documentId, role: invitation.role, delegation: invitation.delegation, name });
  });

  router.post('/password', signInLimit, ...json, async (req, res) => {
    const { name, password } = parseInput(PasswordSignInRequest, req.body);
    const account = auth.accountByName(name);
    if (!account || !(await verifyPassword(password, account.passwordHash))) {
      log.warn({ name }, 'failed secretariat sign-in');
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
    log.info({ name }, 'secretariat account created');
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
