import * as Y from 'yjs';
import type { Effect } from '../../shared/model/update-effects.js';
import { BLOCK_ID_ATTR } from '../../shared/schema/negotiation.js';
import { BODY_FRAGMENT, TEXT_BLOCKS } from '../../shared/schema/ydoc.js';

/** Paragraphs an update changes, by id: for the server's record of who changed what (room.ts). */
export type TouchedParagraphs = { edited: Set<string>; deleted: Set<string> };

const textBlocks = new Set<string>(TEXT_BLOCKS);

function idOf(element: unknown): string | null {
  if (!(element instanceof Y.XmlElement) || !textBlocks.has(element.nodeName)) return null;
  const id = element.getAttribute(BLOCK_ID_ATTR) as unknown;
  return typeof id === 'string' && id.length > 0 ? id : null;
}

function deletedBlocks(element: Y.XmlElement, into: Set<string>): void {
  const id = idOf(element);
  if (id) into.add(id);
  for (const child of element.toArray()) if (child instanceof Y.XmlElement) deletedBlocks(child, into);
}

/**
 * The paragraphs whose text, marks or attributes an update changes (a new
 * paragraph included, by the id it is given), and those it deletes whole.
 */
export function touchedParagraphs(effects: Effect[]): TouchedParagraphs {
  const touched: TouchedParagraphs = { edited: new Set(), deleted: new Set() };
  for (const effect of effects) {
    if (effect.root !== BODY_FRAGMENT) continue;
    if (effect.op === 'delete' && effect.content.kind === 'type' && effect.content.existing instanceof Y.XmlElement) {
      deletedBlocks(effect.content.existing, touched.deleted);
      continue;
    }
    if (effect.op === 'insert' && effect.key === BLOCK_ID_ATTR && effect.content.kind === 'value' && typeof effect.content.value === 'string') {
      touched.edited.add(effect.content.value);
    }
    for (const step of effect.path) {
      const id = idOf(step.existing);
      if (id) touched.edited.add(id);
    }
  }
  for (const id of touched.deleted) touched.edited.delete(id);
  return touched;
}
