import express, { Router, type Request } from 'express';
import {
  CreateInvitationRequest,
  CreateInvitationsRequest,
  type CreatedInvitation,
  type InvitationLink,
  type InvitationListEntry,
} from '../../shared/schema/auth.js';
import { invitationProblem, invitationSummary, type AuthStore, type Invitation, type NewInvitation } from '../auth/auth-store.js';
import type { Authenticator, ResolvedAccess } from '../auth/authenticator.js';
import { invitationDelegation, type ExistingInvitation } from '../auth/invitation-identity.js';
import { BadRequestError, ForbiddenError, NotFoundError } from '../errors.js';
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

/** What a request gives every invitation it makes. */
type Options = Omit<CreateInvitationRequest, 'delegation'>;

/**
 * The secretariat invites people to a document (one, or a pasted list of
 * delegations at once), sees who joined with each link and when it was last
 * used, shows a link again while it is valid, releases a person-bound link
 * for another computer, and revokes.
 */
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
  // A list of 200 delegation names, each up to 80 characters.
  const batchJson = [requireJson, express.json({ limit: 32_768, strict: true })];
  const base = (req: Request) => publicUrl ?? requestBaseUrl(req);

  /** The new invitations' delegations, decided here and never by the client: a commenter's or observer's name is its own in this document. */
  const plan = (access: ResolvedAccess, options: Options, delegations: ReadonlyArray<string | undefined>): NewInvitation[] => {
    const kind = options.kind ?? 'person';
    // The projector's link: an observer, whatever client opens it, so it can never write.
    if (kind === 'screen' && options.role !== 'observer') throw new BadRequestError('A screen invitation is an observer\u2019s: give role "observer"');
    const existing: ExistingInvitation[] = auth.listInvitations(access.documentId);
    const expiresAt = options.expiresInHours ? new Date(Date.now() + options.expiresInHours * 3_600_000) : null;
    return delegations.map((named, line) => {
      let delegation: string;
      try {
        delegation = invitationDelegation({ role: options.role, delegation: named, label: options.label, screen: kind === 'screen' }, existing);
      } catch (err) {
        if (delegations.length > 1 && err instanceof BadRequestError) throw new BadRequestError(`Line ${line + 1} (${named}): ${err.message}`);
        throw err;
      }
      // Later lines of the same list see the names the earlier ones took.
      existing.push({ role: options.role, delegation });
      return {
        documentId: access.documentId,
        role: options.role,
        kind,
        delegation,
        label: options.label || delegation,
        createdBy: access.name,
        expiresAt,
        personBound: options.personBound ?? false,
      };
    });
  };
  const created = (req: Request, { invitation, token }: { invitation: Invitation; token: string }): CreatedInvitation => ({
    ...invitationSummary(invitation),
    token,
    url: joinUrl(base(req), token),
  });
  const found = (res: express.Response, invitationId: string): Invitation => {
    const invitation = auth.invitation(accessOf(res).documentId, invitationId);
    if (!invitation) throw new NotFoundError('No such invitation for this document');
    return invitation;
  };

  router.get('/', manager, (_req, res) => {
    const { documentId } = accessOf(res);
    const joins = auth.joinsOf(documentId);
    const online = rooms.onlineByInvitation(documentId);
    const invitations: InvitationListEntry[] = auth.listInvitations(documentId).map((i) => ({
      ...invitationSummary(i),
      joined: joins.get(i.id) ?? [],
      online: online.get(i.id) ?? 0,
    }));
    res.json({ invitations });
  });

  router.post('/', manager, ...json, (req, res) => {
    const { delegation, ...options } = parseInput(CreateInvitationRequest, req.body);
    const [made] = auth.createInvitations(plan(accessOf(res), options, [delegation]));
    res.status(201).json(created(req, made!));
  });

  router.post('/batch', manager, ...batchJson, (req, res) => {
    const { delegations, ...options } = parseInput(CreateInvitationsRequest, req.body);
    if (options.kind === 'screen') throw new BadRequestError('Screen invitations are made one at a time, not per delegation');
    const made = auth.createInvitations(plan(accessOf(res), options, delegations));
    res.status(201).json({ invitations: made.map((m) => created(req, m)) });
  });

  // Shown again while it opens something: the secretariat resends a link without breaking the one already sent.
  router.get('/:invitationId/link', manager, (req, res) => {
    const invitation = found(res, String(req.params.invitationId));
    const problem = invitationProblem(invitation);
    if (problem) throw new NotFoundError(`${problem}: its link opens nothing any more`);
    const token = auth.invitationToken(invitation.documentId, invitation.id);
    if (!token) {
      throw new NotFoundError(
        invitation.canShowLink
          ? 'This link cannot be shown again: the server\u2019s key has changed since it was made. Revoke it and create a new one'
          : 'This link was made before links could be shown again: revoke it and create a new one',
      );
    }
    const body: InvitationLink = { token, url: joinUrl(base(req), token) };
    res.json(body);
  });

  router.post('/:invitationId/release', manager, (req, res) => {
    const invitation = found(res, String(req.params.invitationId));
    if (!invitation.personBound) throw new BadRequestError('Only an invitation for one person can be released: this one is for anyone with the link');
    const released = auth.releaseInvitation(invitation.documentId, invitation.id)!;
    // The browser that held it leaves now: the text goes from its screen, and the next browser to open the link keeps it.
    rooms.disconnectInvitation(released.documentId, released.id, new ForbiddenError('The secretariat released your invitation for use on another computer'));
    res.json(invitationSummary(released));
  });

  router.delete('/:invitationId', manager, (req, res) => {
    const revoked = auth.revokeInvitation(accessOf(res).documentId, String(req.params.invitationId));
    if (!revoked) throw new NotFoundError('No such invitation for this document');
    // Whoever is in the room on this invitation leaves it now, not at their next reconnect.
    rooms.disconnectInvitation(revoked.documentId, revoked.id, new ForbiddenError('Your invitation was revoked'));
    res.json(invitationSummary(revoked));
  });

  return router;
}
