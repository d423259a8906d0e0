import { z } from 'zod';
import { Actor, ParagraphStatus } from './negotiation.js';

/**
 * Readings: named, immutable revisions of a draft ("Rev.1", "Rev.2") and the
 * comparison of any two of them (or of one with the live text). Declared once:
 * the server validates and answers with these, the client reads them.
 */

export const ReadingId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a reading id is 1-64 letters, digits, "-" or "_"');
export type ReadingId = z.infer<typeof ReadingId>;

const ReadingName = z
  .string()
  .trim()
  .min(1, 'a reading needs a name')
  .max(60, 'a reading name is at most 60 characters');

/** `POST /api/documents/:id/readings`: the name proposed by the server (the next "Rev.N") when absent. */
export const CreateReadingRequest = z.strictObject({
  name: ReadingName.optional(),
  note: z.string().trim().max(1000, 'a note is at most 1,000 characters').optional(),
});
export type CreateReadingRequest = z.infer<typeof CreateReadingRequest>;

export const Reading = z.object({
  id: ReadingId,
  documentId: z.string(),
  name: z.string(),
  note: z.string(),
  by: Actor,
  at: z.string(),
  /** Size of the stored state, in bytes (what a reading costs). */
  bytes: z.number().int().nonnegative(),
});
export type Reading = z.infer<typeof Reading>;

/** `GET /api/documents/:id/readings`: oldest first, and the name the next one would get. */
export const ReadingList = z.object({ readings: z.array(Reading), nextName: z.string() });
export type ReadingList = z.infer<typeof ReadingList>;

/** Either end of a comparison: a reading's id, or `live` for the text as it stands now. */
export const ComparisonEnd = z.union([ReadingId, z.literal('live')]);
export type ComparisonEnd = z.infer<typeof ComparisonEnd>;

/** `GET /api/documents/:id/compare?from=&to=` (and `/compare/export?from=&to=&format=docx|html`). */
export const CompareQuery = z.object({ from: ComparisonEnd, to: ComparisonEnd });
export type CompareQuery = z.infer<typeof CompareQuery>;
export const CompareExportQuery = CompareQuery.extend({ format: z.enum(['docx', 'html']).default('docx') });
export type CompareExportQuery = z.infer<typeof CompareExportQuery>;

/** A run of text in a compared paragraph: unchanged, inserted or deleted, with who inserted (or deleted) it when known. */
export const ComparedPiece = z.object({
  kind: z.enum(['same', 'inserted', 'deleted']),
  text: z.string(),
  /** Delegations that typed (inserted) or removed (deleted) these words; [] when not known. */
  by: z.array(z.string()),
});
export type ComparedPiece = z.infer<typeof ComparedPiece>;

/**
 * One paragraph of the comparison, matched by its stable id first: a moved or
 * renumbered paragraph is `moved` / `changed`, never deleted and inserted.
 */
export const ComparedParagraph = z.object({
  /** The paragraph's id (in the later text, or the earlier one for a deleted paragraph). */
  id: z.string(),
  change: z.enum(['same', 'changed', 'inserted', 'deleted', 'moved']),
  /** "3.5 b)" before and after (null when unnumbered or absent on that side). */
  refBefore: z.string().nullable(),
  refAfter: z.string().nullable(),
  statusBefore: ParagraphStatus.nullable(),
  statusAfter: ParagraphStatus.nullable(),
  /** The text, word by word: same, inserted, deleted runs in reading order (footnotes in place as `[^note]`). */
  pieces: z.array(ComparedPiece),
  /** Who changed it between the two ends, from the server's record (delegations, newest first). */
  changedBy: z.array(z.string()),
});
export type ComparedParagraph = z.infer<typeof ComparedParagraph>;

/** What happened in the negotiation between the two ends, in negotiation terms, with the paragraph's reference. */
export const NegotiationEvent = z.object({
  kind: z.enum([
    'bracket-opened',
    'bracket-joined',
    'alternative-added',
    'deletion-proposed',
    'insertion-proposed',
    'support',
    'resolved',
    'status-set',
    'thread-opened',
    'thread-resolved',
  ]),
  /** "3.3", "3.5 b)", or null for an unnumbered or deleted paragraph. */
  ref: z.string().nullable(),
  paragraphId: z.string().nullable(),
  /** The delegation or person that did it ("Egypt", "Chair"). */
  who: z.string(),
  at: z.string().nullable(),
  /** A sentence for people: "bracket opened by Egypt", "resolved by the Chair: B kept". */
  text: z.string(),
});
export type NegotiationEvent = z.infer<typeof NegotiationEvent>;

export const ComparisonSide = z.object({ id: ComparisonEnd, name: z.string(), at: z.string().nullable() });

export const Comparison = z.object({
  from: ComparisonSide,
  to: ComparisonSide,
  paragraphs: z.array(ComparedParagraph),
  events: z.array(NegotiationEvent),
});
export type Comparison = z.infer<typeof Comparison>;

/** `POST /api/documents/:id/readings/:rid/restore`: the reading that became the live text again. */
export const RestoredReading = z.object({ restored: Reading });
export type RestoredReading = z.infer<typeof RestoredReading>;
