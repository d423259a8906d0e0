import * as Y from 'yjs';
import { PARAGRAPHS_MAP, type Actor, type ParagraphMeta, type ParagraphStatus } from '../schema/negotiation.js';
import { nowIso } from './ids.js';
import { requireBlock } from './paragraphs.js';

export function paragraphMetas(doc: Y.Doc): Y.Map<ParagraphMeta> {
  return doc.getMap<ParagraphMeta>(PARAGRAPHS_MAP);
}

export function paragraphStatus(doc: Y.Doc, paragraphId: string): ParagraphStatus {
  return paragraphMetas(doc).get(paragraphId)?.status ?? 'open';
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
