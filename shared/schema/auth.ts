import { z } from 'zod';
import { Delegation, PersonName } from './negotiation.js';
import { DocumentId, ErrorBody } from './api.js';
import { Role } from './roles.js';

/** Sign-in, invitations and "who am I", as they cross the HTTP boundary. */

const InvitationToken = z.string().regex(/^[A-Za-z0-9_-]{20,100}$/, 'not an invitation token');

export const AcceptInvitationRequest = z.strictObject({ token: InvitationToken, name: PersonName });
export type AcceptInvitationRequest = z.infer<typeof AcceptInvitationRequest>;

const Password = z.string().min(10, 'the password must be at least 10 characters').max(200);

export const PasswordSignInRequest = z.strictObject({ name: PersonName, password: z.string().min(1).max(200) });
export type PasswordSignInRequest = z.infer<typeof PasswordSignInRequest>;

export const SetupRequest = z.strictObject({ token: InvitationToken, name: PersonName, password: Password });
export type SetupRequest = z.infer<typeof SetupRequest>;

/** The roles a person holds, one per document they were invited to (secretariat accounts hold every document). */
export const Grant = z.object({ documentId: DocumentId, role: Role, delegation: z.string() });
export type Grant = z.infer<typeof Grant>;

export const SessionInfo = z.object({
  name: z.string(),
  /** Set for secretariat accounts, which manage every document. */
  account: z.object({ id: z.string(), name: z.string() }).nullable(),
  grants: z.array(Grant),
});
export type SessionInfo = z.infer<typeof SessionInfo>;

/** What one person may do in one document: the client shows controls from it, the server enforces it. */
export const DocumentAccess = z.object({
  documentId: DocumentId,
  role: Role,
  name: z.string(),
  delegation: z.string(),
});
export type DocumentAccess = z.infer<typeof DocumentAccess>;

/** At most this many invitations are made by one request (a conference of 190 delegations fits in one paste). */
export const MAX_INVITATIONS_AT_ONCE = 200;

/**
 * 'person': whoever opens the link joins under the name they type. 'screen':
 * the projector laptop's link, an observer shown in presence as "Plenary
 * screen" and not counted as a person (it needs no account and cannot write).
 */
export const InvitationKind = z.enum(['person', 'screen']);
export type InvitationKind = z.infer<typeof InvitationKind>;

/** What a screen invitation's presence shows instead of a name. */
export const SCREEN_PRESENCE_NAME = 'Plenary screen';

const InvitationOptions = {
  role: Role,
  /** A screen invitation is always an observer's: give role 'observer' (or leave the role to the kind). */
  kind: InvitationKind.optional(),
  /** Whom it is for, shown in the list ("Egypt — head of delegation"). */
  label: z.string().trim().max(120).optional(),
  expiresInHours: z.number().int().min(1).max(24 * 365).optional(),
  /**
   * For one person: the first browser that opens the link keeps it, and any
   * other is refused until the secretariat releases it. Otherwise the link
   * opens the document for whoever has it (a delegation's shared link).
   */
  personBound: z.boolean().optional(),
};

export const CreateInvitationRequest = z.strictObject({ ...InvitationOptions, delegation: Delegation.optional() });
export type CreateInvitationRequest = z.infer<typeof CreateInvitationRequest>;

/** `POST .../invitations/batch`: one invitation per delegation, every one with the same role and options. */
export const CreateInvitationsRequest = z.strictObject({
  ...InvitationOptions,
  delegations: z
    .array(Delegation)
    .min(1, 'name at least one delegation')
    .max(MAX_INVITATIONS_AT_ONCE, `at most ${MAX_INVITATIONS_AT_ONCE} invitations at once`),
});
export type CreateInvitationsRequest = z.infer<typeof CreateInvitationsRequest>;

export const InvitationSummary = z.object({
  id: z.string(),
  documentId: DocumentId,
  role: Role,
  kind: InvitationKind,
  delegation: z.string(),
  label: z.string(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  personBound: z.boolean(),
  /** A person-bound invitation's holder: the name typed in the browser that claimed it. */
  claimedBy: z.string().nullable(),
  claimedAt: z.string().nullable(),
  /** The last time it opened the document (to the minute: it is written at most once a minute). */
  lastSeenAt: z.string().nullable(),
  /** Whether the secretariat can be shown its link again (those made before this was possible cannot). */
  canShowLink: z.boolean(),
});
export type InvitationSummary = z.infer<typeof InvitationSummary>;

/** An invitation as the secretariat's list shows it: who joined with it, and how many are in the document on it now. */
export const InvitationListEntry = InvitationSummary.extend({
  joined: z.array(z.object({ name: z.string(), at: z.string() })),
  online: z.number().int().nonnegative(),
});
export type InvitationListEntry = z.infer<typeof InvitationListEntry>;

/** An invitation's link: at creation, and again on request while it is valid. */
export const InvitationLink = z.object({ token: InvitationToken, url: z.string() });
export type InvitationLink = z.infer<typeof InvitationLink>;

export const CreatedInvitation = InvitationSummary.extend(InvitationLink.shape);
export type CreatedInvitation = z.infer<typeof CreatedInvitation>;

export const CreatedInvitations = z.object({ invitations: z.array(CreatedInvitation) });

export const InvitationList = z.object({ invitations: z.array(InvitationListEntry) });

/** `POST /api/session/invitation/info`: what a link opens, for the join page, before the person gives a name. */
export const JoinInfoRequest = z.strictObject({ token: InvitationToken });

export const JoinInfo = z.object({
  documentTitle: z.string(),
  role: Role,
  delegation: z.string(),
  personBound: z.boolean(),
  expiresAt: z.string().nullable(),
});
export type JoinInfo = z.infer<typeof JoinInfo>;

/** Why a link opens nothing: unknown, revoked, expired, or a person-bound link another browser holds. */
export const JoinProblem = z.enum(['unknown', 'revoked', 'expired', 'claimed']);
export type JoinProblem = z.infer<typeof JoinProblem>;

/** The 401 or 403 of a link that opens nothing: the error, and which problem it is. */
export const JoinRefusedBody = ErrorBody.extend({ problem: JoinProblem });
export type JoinRefusedBody = z.infer<typeof JoinRefusedBody>;
