import { Extension } from '@tiptap/core';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import { findBlockPos } from '../positions.js';

/** Which paragraph flashes (after a jump), as a node decoration so re-renders keep it. */
export const paragraphFlashKey = new PluginKey<string | null>('paragraphFlash');

const FLASH_MS = 1600;

export const ParagraphFlash = Extension.create({
  name: 'paragraphFlash',
  addProseMirrorPlugins() {
    return [
      new Plugin<string | null>({
        key: paragraphFlashKey,
        state: {
          init: () => null,
          apply: (tr, value) => {
            const meta = tr.getMeta(paragraphFlashKey) as { id: string | null } | undefined;
            return meta ? meta.id : value;
          },
        },
        props: {
          decorations: (state) => {
            const id = paragraphFlashKey.getState(state);
            const pos = id ? findBlockPos(state.doc, id) : null;
            if (pos === null) return null;
            const node = state.doc.nodeAt(pos)!;
            return DecorationSet.create(state.doc, [Decoration.node(pos, pos + node.nodeSize, { class: 'is-flashing' })]);
          },
        },
        view(view) {
          let timer: ReturnType<typeof setTimeout> | undefined;
          return {
            update: (_view, previous) => {
              const id = paragraphFlashKey.getState(view.state);
              if (!id || id === paragraphFlashKey.getState(previous)) return;
              clearTimeout(timer);
              timer = setTimeout(() => {
                if (!view.isDestroyed) view.dispatch(view.state.tr.setMeta(paragraphFlashKey, { id: null }));
              }, FLASH_MS);
            },
            destroy: () => clearTimeout(timer),
          };
        },
      }),
    ];
  },
});
