import type { z } from 'zod';
import {
  CreatedDocument,
  DocumentList,
  DocumentSummary,
  ErrorBody,
  type DocumentId,
} from '../shared/schema/api.js';

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
