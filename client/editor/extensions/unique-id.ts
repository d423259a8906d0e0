import UniqueID from '@tiptap/extension-unique-id';
import { newId } from '../../../shared/model/ids.js';
import { BLOCK_ID_ATTR } from '../../../shared/schema/negotiation.js';
import { NUMBERED_BLOCKS } from './block-attributes.js';

/**
 * Every paragraph and heading carries a stable id (`id`), which brackets,
 * statuses and comment threads point to. A split keeps the id on the part that
 * keeps the text; the new block gets a fresh id, never a reused one.
 */
export const uniqueId = UniqueID.configure({
  types: NUMBERED_BLOCKS,
  attributeName: BLOCK_ID_ATTR,
  generateID: () => newId(),
});
