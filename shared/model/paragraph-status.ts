import type * as Y from 'yjs';
import { PARAGRAPHS_MAP, type Actor, type ParagraphMeta, type ParagraphStatus } from '../schema/negotiation.js';
import { nowIso } from './ids.js';
import { requireBlock } from './paragraphs.js';
import { readParagraphMeta, type OnDamaged } from './record-guards.js';

/** The raw map: its values are not trusted (read them through paragraphStatus or paragraphStatuses). */
export function paragraphMetas(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap<unknown>(PARAGRAPHS_MAP);
}

/** A paragraph's status; a damaged entry counts as absent, so the paragraph is open. */
export function paragraphStatus(doc: Y.Doc, paragraphId: string): ParagraphStatus {
  const value = paragraphMetas(doc).get(paragraphId);
  return value === undefined ? 'open' : (readParagraphMeta(paragraphId, value)?.status ?? 'open');
}

/**
 * Every readable status entry, by paragraph id (one pass, for readers that
 * need them all). Damaged entries are skipped, and reported to `onDamaged`
 * when given.
 */
export function paragraphStatuses(doc: Y.Doc, onDamaged?: OnDamaged): Map<string, ParagraphMeta> {
  const metas = new Map<string, ParagraphMeta>();
  for (const [id, value] of paragraphMetas(doc).entries()) {
    const meta = readParagraphMeta(id, value, onDamaged);
    if (meta) metas.set(id, meta);
  }
  return metas;
}

/** Agreed and agreed ad ref paragraphs are locked against casual edits until reopened. */
export function isLocked(status: ParagraphStatus): boolean {
  return status !== 'open';
}

export function setParagraphStatus(
  doc: Y.Doc,
  input: { paragraphId: string; status: ParagraphStatus; actor: Actor },
  origin?: unknown,
): void {
  requireBlock(doc, input.paragraphId);
  const meta: ParagraphMeta = {
    status: input.status,
    by: { name: input.actor.name, delegation: input.actor.delegation },
    at: nowIso(),
  };
  doc.transact(() => paragraphMetas(doc).set(input.paragraphId, meta), origin);
}
