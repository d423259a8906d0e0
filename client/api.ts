import type { z } from 'zod';
import {
  CreatedDocument,
  DocumentList,
  DocumentSummary,
  ErrorBody,
  type DocumentId,
} from '../shared/schema/api.js';
import {
  CreatedInvitation,
  DocumentAccess,
  InvitationList,
  InvitationSummary,
  SessionInfo,
  type CreateInvitationRequest,
} from '../shared/schema/auth.js';

/** A failed API call. `message` is meant for the person; `status` 0 means the server was unreachable. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

async function send(method: string, path: string, body?: unknown): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: body === undefined ? { Accept: 'application/json' } : { Accept: 'application/json', 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network', 'The server cannot be reached. Check the connection and try again.');
  }
  if (!response.ok) throw await errorFrom(response);
  return response;
}

async function errorFrom(response: Response): Promise<ApiError> {
  const parsed = ErrorBody.safeParse(await response.json().catch(() => null));
  if (parsed.success) return new ApiError(response.status, parsed.data.error, parsed.data.message);
  return new ApiError(response.status, 'http_error', `The server answered ${response.status} ${response.statusText}.`.trim());
}

async function json<S extends z.ZodType>(response: Response, schema: S): Promise<z.infer<S>> {
  const parsed = schema.safeParse(await response.json().catch(() => undefined));
  if (!parsed.success) throw new ApiError(response.status, 'bad_response', 'The server sent an answer this page does not understand. Reload the page.');
  return parsed.data;
}

const documentPath = (id: DocumentId) => `/api/documents/${encodeURIComponent(id)}`;

export async function listDocuments(): Promise<DocumentSummary[]> {
  return (await json(await send('GET', '/api/documents'), DocumentList)).documents;
}

export async function getDocument(id: DocumentId): Promise<DocumentSummary> {
  return json(await send('GET', documentPath(id)), DocumentSummary);
}

export async function createDocument(title: string): Promise<CreatedDocument> {
  return json(await send('POST', '/api/documents', { title }), CreatedDocument);
}

export async function renameDocument(id: DocumentId, title: string): Promise<DocumentSummary> {
  return json(await send('PATCH', documentPath(id), { title }), DocumentSummary);
}

export async function deleteDocument(id: DocumentId): Promise<void> {
  await send('DELETE', documentPath(id));
}

// ---- who am I, signing in ----

/** The signed-in person, or null when nobody is (401). */
export async function getSession(): Promise<SessionInfo | null> {
  try {
    return await json(await send('GET', '/api/session'), SessionInfo);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return null;
    throw err;
  }
}

export async function getAccess(id: DocumentId): Promise<DocumentAccess> {
  return json(await send('GET', `${documentPath(id)}/access`), DocumentAccess);
}

/** Opens an invitation: the server sets the session cookie; the answer names the document. */
export async function acceptInvitation(token: string, name: string): Promise<{ documentId: DocumentId }> {
  return (await send('POST', '/api/session/invitation', { token, name })).json() as Promise<{ documentId: DocumentId }>;
}

export async function signInWithPassword(name: string, password: string): Promise<void> {
  await send('POST', '/api/session/password', { name, password });
}

export async function createSecretariatAccount(token: string, name: string, password: string): Promise<void> {
  await send('POST', '/api/session/setup', { token, name, password });
}

export async function signOut(): Promise<void> {
  await send('DELETE', '/api/session');
}

// ---- invitations (secretariat) ----

export async function listInvitations(id: DocumentId): Promise<InvitationSummary[]> {
  return (await json(await send('GET', `${documentPath(id)}/invitations`), InvitationList)).invitations;
}

export async function createInvitation(id: DocumentId, input: CreateInvitationRequest): Promise<CreatedInvitation> {
  return json(await send('POST', `${documentPath(id)}/invitations`, input), CreatedInvitation);
}

export async function revokeInvitation(id: DocumentId, invitationId: string): Promise<InvitationSummary> {
  return json(await send('DELETE', `${documentPath(id)}/invitations/${encodeURIComponent(invitationId)}`), InvitationSummary);
}
