import UniqueID from '@tiptap/extension-unique-id';
import { newId } from '../../../shared/model/ids.js';
import { BLOCK_ID_ATTR } from '../../../shared/schema/negotiation.js';
import { NUMBERED_BLOCKS } from './block-attributes.js';

/**
 * Every paragraph and heading carries a stable id (`id`), which brackets,
 * statuses and comment threads point to. A split keeps the id on the part that
 * keeps the text; the new block gets a fresh id, never a reused one.
 *
 * Only people who may edit the text write ids: for a reader, giving an id-less
 * block its id would be an edit the server refuses.
 */
export function uniqueId(writesText: boolean) {
  return UniqueID.configure({
    types: NUMBERED_BLOCKS,
    attributeName: BLOCK_ID_ATTR,
    generateID: () => newId(),
    updateDocument: writesText,
  });
}
