import { Node, mergeAttributes } from '@tiptap/core';
import { FOOTNOTE_NODE, FOOTNOTE_TEXT_ATTR } from '../../../shared/schema/ydoc.js';

/**
 * A footnote at its place in the text: an inline atom whose `text` attribute
 * is the note (imported from Word or from "[footnoteRef:N]" seeds). It must be
 * in the schema: the Yjs binding deletes elements the editor cannot represent.
 * Shown as a superscript number (a CSS counter) with the note as its tooltip.
 */
export const Footnote = Node.create({
  name: FOOTNOTE_NODE,
  group: 'inline',
  inline: true,
  atom: true,
  selectable: true,

  addAttributes() {
    return {
      [FOOTNOTE_TEXT_ATTR]: {
        default: '',
        parseHTML: (el) => el.getAttribute('data-footnote') ?? '',
        renderHTML: (attrs) => ({ 'data-footnote': String(attrs[FOOTNOTE_TEXT_ATTR] ?? ''), title: String(attrs[FOOTNOTE_TEXT_ATTR] ?? '') }),
      },
    };
  },

  parseHTML() {
    return [{ tag: 'sup[data-footnote]' }];
  },

  renderHTML({ HTMLAttributes }) {
    return ['sup', mergeAttributes(HTMLAttributes, { class: 'footnote-ref', 'aria-label': 'Footnote' })];
  },
});
