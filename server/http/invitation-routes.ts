import express, { Router, type Request } from 'express';
import { CreateInvitationRequest, type CreatedInvitation } from '../../shared/schema/auth.js';
import { invitationSummary, type AuthStore } from '../auth/auth-store.js';
import type { Authenticator } from '../auth/authenticator.js';
import { invitationDelegation } from '../auth/invitation-identity.js';
import { ForbiddenError, NotFoundError } from '../errors.js';
import type { DocumentStore } from '../storage/document-store.js';
import type { Rooms } from '../sync/rooms.js';
import { accessOf, requireDocumentRole, secretariatOnly } from './access.js';
import { requireJson } from './error-handler.js';
import { parseInput } from './validate.js';

export function joinUrl(base: string, token: string): string {
  return `${base.replace(/\/$/, '')}/join/${token}`;
}

function requestBaseUrl(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}

/** The secretariat invites people to a document, lists and revokes invitations. */
export function invitationRoutes(
  auth: AuthStore,
  store: DocumentStore,
  authenticator: Authenticator,
  rooms: Rooms,
  publicUrl: string | null,
): Router {
  const router = Router({ mergeParams: true });
  const manager = requireDocumentRole(authenticator, store, secretariatOnly, 'manage invitations');
  const json = [requireJson, express.json({ limit: 4096, strict: true })];

  router.get('/', manager, (_req, res) => {
    res.json({ invitations: auth.listInvitations(accessOf(res).documentId).map(invitationSummary) });
  });

  router.post('/', manager, ...json, (req, res) => {
    const input = parseInput(CreateInvitationRequest, req.body);
    const access = accessOf(res);
    // Decided here, never by the client: a commenter's or observer's name is its own in this document.
    const delegation = invitationDelegation(input, auth.listInvitations(access.documentId));
    const { invitation, token } = auth.createInvitation({
      documentId: access.documentId,
      role: input.role,
      delegation,
      label: input.label ?? delegation,
      createdBy: access.name,
      expiresAt: input.expiresInHours ? new Date(Date.now() + input.expiresInHours * 3_600_000) : null,
    });
    const body: CreatedInvitation = {
      ...invitationSummary(invitation),
      token,
      url: joinUrl(publicUrl ?? requestBaseUrl(req), token),
    };
    res.status(201).json(body);
  });

  router.delete('/:invitationId', manager, (req, res) => {
    const revoked = auth.revokeInvitation(accessOf(res).documentId, String(req.params.invitationId));
    if (!revoked) throw new NotFoundError('No such invitation for this document');
    // Whoever is in the room on this invitation leaves it now, not at their next reconnect.
    rooms.disconnect(revoked.documentId, (c) => c.access.invitationId === revoked.id, new ForbiddenError('Your invitation was revoked'));
    res.json(invitationSummary(revoked));
  });

  return router;
}
