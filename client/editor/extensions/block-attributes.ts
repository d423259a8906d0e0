import { Extension } from '@tiptap/core';
import { BLOCK_INDENT_ATTR, BLOCK_NUM_ATTR } from '../../../shared/schema/negotiation.js';
import { TEXT_BLOCKS } from '../../../shared/schema/ydoc.js';

/** Block types that carry a paragraph number and an indentation level. */
export const NUMBERED_BLOCKS: string[] = [...TEXT_BLOCKS];

/**
 * The paragraph number ("1.2.3", "a)") and indentation of a block, as stored in
 * the document. Declaring them here matters beyond display: attributes the
 * editor's schema does not know are removed from the shared document when the
 * block is next edited. The number is shown by the stylesheet (`data-num`), so
 * it is never part of the editable text and cannot be typed over by accident.
 */
export const BlockAttributes = Extension.create({
  name: 'blockAttributes',

  addGlobalAttributes() {
    return [
      {
        types: NUMBERED_BLOCKS,
        attributes: {
          [BLOCK_NUM_ATTR]: {
            default: null,
            keepOnSplit: false,
            parseHTML: (el) => el.getAttribute('data-num'),
            renderHTML: (attrs) => (attrs[BLOCK_NUM_ATTR] ? { 'data-num': attrs[BLOCK_NUM_ATTR] } : {}),
          },
          [BLOCK_INDENT_ATTR]: {
            default: null,
            keepOnSplit: true,
            parseHTML: (el) => el.getAttribute('data-indent'),
            renderHTML: (attrs) => (attrs[BLOCK_INDENT_ATTR] ? { 'data-indent': attrs[BLOCK_INDENT_ATTR] } : {}),
          },
        },
      },
    ];
  },
});
