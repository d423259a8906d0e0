import { z } from 'zod';

/**
 * HTTP API payloads, declared once and used by the server (validation) and the
 * client (typed fetches).
 */

export const DocumentId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'a document id is 1-64 letters, digits, "-" or "_"');
export type DocumentId = z.infer<typeof DocumentId>;

export const Title = z
  .string()
  .trim()
  .min(1, 'the title must not be empty')
  .max(200, 'the title must be at most 200 characters');

export const CreateDocumentRequest = z.strictObject({ title: Title });
export type CreateDocumentRequest = z.infer<typeof CreateDocumentRequest>;

export const RenameDocumentRequest = z.strictObject({ title: Title });
export type RenameDocumentRequest = z.infer<typeof RenameDocumentRequest>;

export const DocumentSummary = z.object({
  id: DocumentId,
  title: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  paragraphCount: z.number().int().nonnegative(),
});
export type DocumentSummary = z.infer<typeof DocumentSummary>;

export const DocumentList = z.object({ documents: z.array(DocumentSummary) });
export type DocumentList = z.infer<typeof DocumentList>;

export const CreatedDocument = z.object({ id: DocumentId });
export type CreatedDocument = z.infer<typeof CreatedDocument>;

export const Health = z.object({
  status: z.literal('ok'),
  uptimeSeconds: z.number(),
  loadedDocuments: z.number().int(),
  connections: z.number().int(),
});
export type Health = z.infer<typeof Health>;

/** Every error answer has this shape; `error` is a stable machine code. */
export const ErrorBody = z.object({ error: z.string(), message: z.string() });
export type ErrorBody = z.infer<typeof ErrorBody>;
