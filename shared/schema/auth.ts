import { z } from 'zod';
import { Delegation, PersonName } from './negotiation.js';
import { DocumentId } from './api.js';
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

export const CreateInvitationRequest = z.strictObject({
  role: Role,
  delegation: Delegation.optional(),
  /** Whom it is for, shown in the list ("Egypt — head of delegation"). */
  label: z.string().trim().max(120).optional(),
  expiresInHours: z.number().int().min(1).max(24 * 365).optional(),
});
export type CreateInvitationRequest = z.infer<typeof CreateInvitationRequest>;

export const InvitationSummary = z.object({
  id: z.string(),
  documentId: DocumentId,
  role: Role,
  delegation: z.string(),
  label: z.string(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type InvitationSummary = z.infer<typeof InvitationSummary>;

/** Returned once, at creation: the token is never shown again. */
export const CreatedInvitation = InvitationSummary.extend({ token: InvitationToken, url: z.string() });
export type CreatedInvitation = z.infer<typeof CreatedInvitation>;

export const InvitationList = z.object({ invitations: z.array(InvitationSummary) });
