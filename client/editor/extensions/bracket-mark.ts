import { Mark } from '@tiptap/core';
import { Fragment, Slice, type Node as PMNode } from '@tiptap/pm/model';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import { BRACKET_MARK } from '../../../shared/schema/negotiation.js';

/** Drops bracket marks from pasted content: a copy of an option's text is not that option. */
function withoutBrackets(fragment: Fragment): Fragment {
  const nodes: PMNode[] = [];
  fragment.forEach((node) => {
    if (node.isText) nodes.push(node.mark(node.marks.filter((m) => m.type.name !== BRACKET_MARK)));
    else nodes.push(node.copy(withoutBrackets(node.content)));
  });
  return Fragment.from(nodes);
}

/**
 * The text of a bracket option: `{ group, option }` point into the `brackets`
 * map. It must be in the schema, or the Yjs binding would drop the marks the
 * model writes. Not inclusive: typing at the edge of an option writes
 * ordinary text, the brackets do not grow by accident.
 */
export const BracketMark = Mark.create({
  name: BRACKET_MARK,
  inclusive: false,

  addAttributes() {
    return {
      group: {
        default: null,
        parseHTML: (el) => el.getAttribute('data-group'),
        renderHTML: (attrs) => ({ 'data-group': attrs.group as string | null }),
      },
      option: {
        default: null,
        parseHTML: (el) => el.getAttribute('data-option'),
        renderHTML: (attrs) => ({ 'data-option': attrs.option as string | null }),
      },
    };
  },

  parseHTML() {
    return [{ tag: 'span.bracket-option[data-group]' }];
  },

  renderHTML({ HTMLAttributes }) {
    return ['span', { ...HTMLAttributes, class: 'bracket-option' }, 0];
  },

  addProseMirrorPlugins() {
    return [
      new Plugin({
        key: new PluginKey('bracketPaste'),
        props: {
          transformPasted: (slice) => new Slice(withoutBrackets(slice.content), slice.openStart, slice.openEnd),
        },
      }),
    ];
  },
});
