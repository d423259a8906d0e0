import type { Request, RequestHandler, Response } from 'express';
import { DocumentId } from '../../shared/schema/api.js';
import type { Role } from '../../shared/schema/roles.js';
import type { Authenticator, Principal, ResolvedAccess } from '../auth/authenticator.js';
import { ForbiddenError, NotFoundError } from '../errors.js';
import type { DocumentStore } from '../storage/document-store.js';
import { credentialsOf } from './credentials.js';
import { logDocument } from './request-context.js';

/** Who made this request (401 if nobody), resolved once per request. */
export function principalOf(req: Request, res: Response, authenticator: Authenticator): Principal {
  const cached = res.locals.principal as Principal | undefined;
  if (cached) return cached;
  const principal = authenticator.principal(credentialsOf(req));
  res.locals.principal = principal;
  return principal;
}

export function accessOf(res: Response): ResolvedAccess {
  return res.locals.access as ResolvedAccess;
}

/**
 * Guards a `/:id` route: authenticate (401), check the person's role in that
 * document (403: also for ids that do not exist, so outsiders learn nothing),
 * then that the document exists (404). The access is left in `res.locals.access`.
 */
export function requireDocumentRole(
  authenticator: Authenticator,
  store: DocumentStore,
  allowed: (role: Role) => boolean,
  what: string,
): RequestHandler {
  return (req, res, next) => {
    const principal = principalOf(req, res, authenticator);
    const raw = String(req.params.id);
    const parsed = DocumentId.safeParse(raw);
    if (!parsed.success) throw new NotFoundError(`No document with id "${raw}"`);
    logDocument(res, parsed.data);
    const access = authenticator.access(principal, parsed.data);
    if (!allowed(access.role)) throw new ForbiddenError(`Your role (${access.role}) cannot ${what}`);
    if (!store.exists(parsed.data)) throw new NotFoundError(`No document with id "${raw}"`);
    res.locals.access = access;
    next();
  };
}

/** Only secretariat accounts: creating and importing documents. */
export function requireSecretariatAccount(authenticator: Authenticator, what: string): RequestHandler {
  return (req, res, next) => {
    const principal = principalOf(req, res, authenticator);
    if (!principal.account) throw new ForbiddenError(`Only the secretariat can ${what}`);
    next();
  };
}

export const anyRole = (): boolean => true;
export const secretariatOnly = (role: Role): boolean => role === 'secretariat';
