import { z } from 'zod';
import { OptionKind } from './negotiation.js';
import { ReadingId } from './readings.js';

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
  /**
   * How many documents are set aside because their stored updates cannot be
   * decoded; every other document is served. A count: this answer needs no
   * sign-in, and the ids are in the server's log and `npm run admin -- check`.
   */
  quarantinedDocuments: z.number().int(),
  /** Where documents are kept: the embedded SQLite, or PostgreSQL (DATABASE_URL). */
  storage: z.enum(['sqlite', 'postgres']),
  /** Traffic between server processes: none (this process alone), or Redis and whether it is connected now. */
  redis: z.enum(['none', 'connected', 'disconnected']),
  /** This server process (several serve the same documents behind a load balancer). */
  pid: z.number().int(),
});
export type Health = z.infer<typeof Health>;

/**
 * Every error answer has this shape; `error` is a stable machine code. Some
 * errors carry structured details beside them, as fields of their own declared
 * below (the 409 of an export lists the open brackets in `open`).
 */
export const ErrorBody = z.object({ error: z.string(), message: z.string() });
export type ErrorBody = z.infer<typeof ErrorBody>;

/** The file formats read by the import and written by the export. */
export const FileFormat = z.enum(['docx', 'html', 'md', 'txt']);
export type FileFormat = z.infer<typeof FileFormat>;

/** `201` of `POST /api/documents/import`: the new document, and what the import left out. */
export const ImportedDocument = CreatedDocument.extend({
  title: z.string(),
  format: FileFormat,
  paragraphCount: z.number().int().nonnegative(),
  warnings: z.array(z.string()),
});
export type ImportedDocument = z.infer<typeof ImportedDocument>;

export const ExportVersion = z.enum(['agreed', 'bracketed']);
export type ExportVersion = z.infer<typeof ExportVersion>;
/** How open brackets go into an agreed text: kept bracketed with their proponents, or left out. */
export const Unresolved = z.enum(['keep', 'omit']);
export type Unresolved = z.infer<typeof Unresolved>;

/**
 * `GET /api/documents/:id/export?format=&version=&unresolved=&comments=&reading=`, and
 * the options of `npm run export`. Not strict: other parameters (an invitation
 * `token`) are not its business. `z.input` is what a caller sends.
 */
export const ExportQuery = z.object({
  format: FileFormat.default('docx'),
  version: ExportVersion.default('agreed'),
  unresolved: Unresolved.optional(),
  comments: z
    .enum(['0', '1', 'true', 'false'])
    .optional()
    .transform((v) => v === '1' || v === 'true'),
  /** A reading of the document (its id): that revision is exported instead of the live text. */
  reading: ReadingId.optional(),
});
export type ExportQuery = z.infer<typeof ExportQuery>;

/** One open bracket, as the 409 of an agreed export lists it: where it is and who proposed what. */
export const OpenBracket = z.object({
  /** The paragraph's reference ("3.5 b)"), null when unnumbered. */
  ref: z.string().nullable(),
  paragraphId: z.string().nullable(),
  /** The delegations that bracketed the original text (none for a proposed insertion). */
  bracketedBy: z.array(z.string()),
  options: z.array(
    z.object({
      label: z.string(),
      kind: OptionKind,
      /** '' for the "delete" option. */
      text: z.string(),
      proponents: z.array(z.string()),
      supporters: z.array(z.string()),
    }),
  ),
});
export type OpenBracket = z.infer<typeof OpenBracket>;

/** `409` of an agreed export while brackets are open (without `unresolved`): the error and the list. */
export const UnresolvedBracketsBody = ErrorBody.extend({
  error: z.literal('unresolved_brackets'),
  open: z.array(OpenBracket),
});
export type UnresolvedBracketsBody = z.infer<typeof UnresolvedBracketsBody>;
