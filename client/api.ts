import type { z } from 'zod';
import {
  CreatedDocument,
  DocumentList,
  DocumentSummary,
  ErrorBody,
  ImportedDocument,
  UnresolvedBracketsBody,
  type DocumentId,
  type ExportQuery,
} from '../shared/schema/api.js';
import {
  CreatedInvitation,
  CreatedInvitations,
  DocumentAccess,
  InvitationLink,
  InvitationList,
  InvitationSummary,
  JoinInfo,
  JoinRefusedBody,
  SessionInfo,
  type CreateInvitationRequest,
  type CreateInvitationsRequest,
  type InvitationListEntry,
  type JoinProblem,
} from '../shared/schema/auth.js';
import {
  Comparison,
  Reading,
  ReadingList,
  RestoredReading,
  type CompareExportQuery,
  type CompareQuery,
  type CreateReadingRequest,
  type ReadingId,
} from '../shared/schema/readings.js';

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

/** An agreed export refused while brackets are open (409): `report.open` lists them. */
export class UnresolvedBracketsApiError extends ApiError {
  constructor(readonly report: UnresolvedBracketsBody) {
    super(409, report.error, report.message);
    this.name = 'UnresolvedBracketsApiError';
  }
}

/** An invitation link that opens nothing, and which problem it has (unknown, revoked, expired, claimed). */
export class JoinRefusedApiError extends ApiError {
  readonly problem: JoinProblem;
  constructor(status: number, body: JoinRefusedBody) {
    super(status, body.error, body.message);
    this.name = 'JoinRefusedApiError';
    this.problem = body.problem;
  }
}

const UNREACHABLE = 'The server cannot be reached. Check the connection and try again.';

async function send(
  method: string,
  path: string,
  body?: unknown,
  options: { accept?: string; signal?: AbortSignal } = {},
): Promise<Response> {
  let response: Response;
  const accept = options.accept ?? 'application/json';
  try {
    response = await fetch(path, {
      method,
      headers: body === undefined ? { Accept: accept } : { Accept: accept, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: options.signal,
    });
  } catch {
    throw new ApiError(0, 'network', UNREACHABLE);
  }
  if (!response.ok) throw errorOf(response.status, response.statusText, await response.json().catch(() => null));
  return response;
}

/** The error an answer's status and JSON body stand for (shared/schema/api.ts declares the bodies). */
function errorOf(status: number, statusText: string, body: unknown): ApiError {
  const unresolved = UnresolvedBracketsBody.safeParse(body);
  if (status === 409 && unresolved.success) return new UnresolvedBracketsApiError(unresolved.data);
  const refused = JoinRefusedBody.safeParse(body);
  if (refused.success) return new JoinRefusedApiError(status, refused.data);
  const parsed = ErrorBody.safeParse(body);
  if (parsed.success) return new ApiError(status, parsed.data.error, parsed.data.message);
  return new ApiError(status, 'http_error', `The server answered ${status} ${statusText}.`.trim());
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

/**
 * A file becomes a new document (secretariat). XMLHttpRequest rather than
 * fetch because a 20 MB Word file over a meeting-room network deserves an
 * upload percentage; `onProgress` reaches 100 when the upload is done and the
 * server is converting.
 */
export function importDocument(file: File, onProgress: (percent: number) => void): Promise<ImportedDocument> {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    form.append('file', file, file.name);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/documents/import');
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.responseType = 'json';
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(Math.min(100, Math.round((e.loaded / e.total) * 100)));
    };
    xhr.upload.onload = () => onProgress(100);
    xhr.onload = () => {
      const body: unknown = xhr.response;
      if (xhr.status !== 201) {
        const error = ErrorBody.safeParse(body);
        const message = error.success ? error.data.message : `The import failed (the server answered ${xhr.status}).`;
        reject(new ApiError(xhr.status, error.success ? error.data.error : 'http_error', message));
        return;
      }
      const created = ImportedDocument.safeParse(body);
      if (created.success) resolve(created.data);
      else reject(new ApiError(xhr.status, 'bad_response', 'The server sent an answer this page does not understand. Reload the page.'));
    };
    xhr.onerror = () => reject(new ApiError(0, 'network', UNREACHABLE));
    xhr.send(form);
  });
}

// ---- export ----

/** What an export asks for: ExportQuery's parameters, as the dialog chooses them. */
export type ExportRequest = Pick<ExportQuery, 'format' | 'version' | 'comments'> & { unresolved: ExportQuery['unresolved'] | null };

/** `GET /api/documents/:id/export?...`: the download link (an `unresolved` choice counts for an agreed text only). */
export function exportUrl(id: DocumentId, o: ExportRequest): string {
  const params = new URLSearchParams({ format: o.format, version: o.version });
  if (o.version === 'agreed' && o.unresolved) params.set('unresolved', o.unresolved);
  if (o.comments) params.set('comments', '1');
  return `${documentPath(id)}/export?${params}`;
}

/**
 * The exported file as text (the HTML export is the dialog's preview).
 * Throws UnresolvedBracketsApiError while an agreed text has open brackets.
 */
export async function exportText(id: DocumentId, o: ExportRequest, signal?: AbortSignal): Promise<string> {
  return (await send('GET', exportUrl(id, o), undefined, { accept: 'text/html, application/json', signal })).text();
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

/** Opens an invitation: the server sets the session cookie; the answer names the document and the role. */
export async function acceptInvitation(token: string, name: string): Promise<DocumentAccess> {
  return json(await send('POST', '/api/session/invitation', { token, name }), DocumentAccess);
}

/** What an invitation link opens (document, delegation, role), before the person gives a name; JoinRefusedApiError says why not. */
export async function joinInfo(token: string): Promise<JoinInfo> {
  return json(await send('POST', '/api/session/invitation/info', { token }), JoinInfo);
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

const invitationsPath = (id: DocumentId) => `${documentPath(id)}/invitations`;
const invitationPath = (id: DocumentId, invitationId: string) => `${invitationsPath(id)}/${encodeURIComponent(invitationId)}`;

export async function listInvitations(id: DocumentId): Promise<InvitationListEntry[]> {
  return (await json(await send('GET', invitationsPath(id)), InvitationList)).invitations;
}

export async function createInvitation(id: DocumentId, input: CreateInvitationRequest): Promise<CreatedInvitation> {
  return json(await send('POST', invitationsPath(id), input), CreatedInvitation);
}

/** One invitation per delegation of a pasted list, all made or none. */
export async function createInvitations(id: DocumentId, input: CreateInvitationsRequest): Promise<CreatedInvitation[]> {
  return (await json(await send('POST', `${invitationsPath(id)}/batch`, input), CreatedInvitations)).invitations;
}

/** A valid invitation's link, shown again. */
export async function invitationLink(id: DocumentId, invitationId: string): Promise<InvitationLink> {
  return json(await send('GET', `${invitationPath(id, invitationId)}/link`), InvitationLink);
}

/** Frees a person-bound invitation for the next browser that opens it. */
export async function releaseInvitation(id: DocumentId, invitationId: string): Promise<InvitationSummary> {
  return json(await send('POST', `${invitationPath(id, invitationId)}/release`), InvitationSummary);
}

export async function revokeInvitation(id: DocumentId, invitationId: string): Promise<InvitationSummary> {
  return json(await send('DELETE', invitationPath(id, invitationId)), InvitationSummary);
}

// ---- readings (named revisions) and their comparison ----

const readingsPath = (id: DocumentId) => `${documentPath(id)}/readings`;
const readingPath = (id: DocumentId, readingId: ReadingId) => `${readingsPath(id)}/${encodeURIComponent(readingId)}`;

export async function listReadings(id: DocumentId): Promise<ReadingList> {
  return json(await send('GET', readingsPath(id)), ReadingList);
}

/** Issues a reading of the text as it stands (chair and secretariat); a name already used is a 409 with a message. */
export async function issueReading(id: DocumentId, input: CreateReadingRequest): Promise<Reading> {
  return json(await send('POST', readingsPath(id), input), Reading);
}

export async function getReading(id: DocumentId, readingId: ReadingId): Promise<Reading> {
  return json(await send('GET', readingPath(id, readingId)), Reading);
}

/** The reading's whole Yjs update, to apply to a fresh Y.Doc for the read-only view. */
export async function readingState(id: DocumentId, readingId: ReadingId): Promise<Uint8Array> {
  const response = await send('GET', `${readingPath(id, readingId)}/state`, undefined, { accept: 'application/octet-stream' });
  return new Uint8Array(await response.arrayBuffer());
}

/** Makes a reading the live text again (secretariat): a forward change, the history is kept. */
export async function restoreReading(id: DocumentId, readingId: ReadingId): Promise<Reading> {
  return (await json(await send('POST', `${readingPath(id, readingId)}/restore`), RestoredReading)).restored;
}

/**
 * `GET .../export?...&reading=<id>`: a reading in any export format. A plain
 * link cannot answer the 409 of an agreed text with open brackets, so its
 * open brackets are kept, bracketed with their proponents.
 */
export function readingExportUrl(id: DocumentId, readingId: ReadingId, o: Pick<ExportQuery, 'format' | 'version'>): string {
  return `${exportUrl(id, { ...o, comments: false, unresolved: 'keep' })}&reading=${encodeURIComponent(readingId)}`;
}

const compareParams = (q: CompareQuery) => new URLSearchParams({ from: q.from, to: q.to });

export async function compareReadings(id: DocumentId, q: CompareQuery): Promise<Comparison> {
  return json(await send('GET', `${documentPath(id)}/compare?${compareParams(q)}`), Comparison);
}

/** The comparison as a file: Word with tracked changes, or print-friendly HTML. */
export function comparisonExportUrl(id: DocumentId, q: CompareQuery, format: CompareExportQuery['format']): string {
  const params = compareParams(q);
  params.set('format', format);
  return `${documentPath(id)}/compare/export?${params}`;
}
