import type * as Y from 'yjs';
import { PARAGRAPHS_MAP, type Actor, type ParagraphMeta, type ParagraphStatus } from '../schema/negotiation.js';
import { nowIso } from './ids.js';
import { agreementText, requireBlock } from './paragraphs.js';
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

/**
 * Does a recorded agreement still hold for the paragraph's text? It does
 * while the text is the one agreed (and for agreements recorded before the
 * text was kept, which cannot say). A paragraph edited since it was agreed
 * (by the chair or the secretariat: it is locked for everyone else) is not
 * agreed: it shows and counts as open until the chair agrees it again.
 */
export function agreementHolds(meta: ParagraphMeta, element: Y.XmlElement): boolean {
  return meta.status === 'open' || meta.text == null || meta.text === agreementText(element);
}

/** The status readers show and count: an agreement that no longer matches the text is open. */
export function effectiveStatus(meta: ParagraphMeta | undefined, element: Y.XmlElement): ParagraphStatus {
  if (!meta) return 'open';
  return agreementHolds(meta, element) ? meta.status : 'open';
}

/**
 * Sets the status of one paragraph or of several (a section, a selection) in
 * one step. An agreement records the text each paragraph has here and now,
 * as this person sees it: the server refuses it if the text it holds differs
 * (someone changed it meanwhile), so nothing is agreed unseen.
 */
export function setParagraphStatus(
  doc: Y.Doc,
  input: { paragraphId: string | readonly string[]; status: ParagraphStatus; actor: Actor },
  origin?: unknown,
): void {
  const ids = typeof input.paragraphId === 'string' ? [input.paragraphId] : input.paragraphId;
  const blocks = ids.map((id) => requireBlock(doc, id));
  const by = { name: input.actor.name, delegation: input.actor.delegation };
  const at = nowIso();
  doc.transact(() => {
    for (const block of blocks) {
      const meta: ParagraphMeta = { status: input.status, by, at, ...(input.status === 'open' ? {} : { text: agreementText(block.element) }) };
      paragraphMetas(doc).set(block.id!, meta);
    }
  }, origin);
}
