import { Extension } from '@tiptap/core';
import type { Node as PMNode } from '@tiptap/pm/model';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import { diffBlocks, textblocksIn, type BlockDiff } from '../block-decorations.js';
import { findBlockPos } from '../positions.js';

/** Which paragraph flashes (after a jump), as a node decoration so re-renders keep it. */
type FlashState = { id: string | null; decorations: DecorationSet };

export const paragraphFlashKey = new PluginKey<FlashState>('paragraphFlash');

const FLASH_MS = 1600;
const NONE: FlashState = { id: null, decorations: DecorationSet.empty };

function flashOf(doc: PMNode, id: string): FlashState {
  const pos = findBlockPos(doc, id);
  if (pos === null) return { id, decorations: DecorationSet.empty };
  const node = doc.nodeAt(pos)!;
  return { id, decorations: DecorationSet.create(doc, [Decoration.node(pos, pos + node.nodeSize, { class: 'is-flashing' })]) };
}

/** The flash on the paragraph again after it changed, looked for among the blocks that changed first. */
function reflash(doc: PMNode, diff: BlockDiff, id: string): FlashState {
  let found: { node: PMNode; pos: number } | null = null;
  textblocksIn(diff.after, (node, pos, nodeId) => {
    if (!found && nodeId === id) found = { node, pos };
  });
  if (!found) return flashOf(doc, id);
  const { node, pos } = found as { node: PMNode; pos: number };
  return { id, decorations: DecorationSet.create(doc, [Decoration.node(pos, pos + node.nodeSize, { class: 'is-flashing' })]) };
}

export const ParagraphFlash = Extension.create({
  name: 'paragraphFlash',
  addProseMirrorPlugins() {
    return [
      new Plugin<FlashState>({
        key: paragraphFlashKey,
        state: {
          init: () => NONE,
          apply: (tr, value, oldState, state) => {
            const meta = tr.getMeta(paragraphFlashKey) as { id: string | null } | undefined;
            if (meta) return meta.id ? flashOf(state.doc, meta.id) : NONE;
            const diff = value.id && tr.docChanged ? diffBlocks(oldState.doc, state.doc) : null;
            if (!diff || !value.id) return value;
            // Found once, then moved with the text: typing while it flashes does not search the document again.
            const decorations = value.decorations.map(diff.mapping, state.doc);
            return decorations.find().length ? { id: value.id, decorations } : reflash(state.doc, diff, value.id);
          },
        },
        props: {
          decorations: (state) => paragraphFlashKey.getState(state)?.decorations ?? null,
        },
        view(view) {
          let timer: ReturnType<typeof setTimeout> | undefined;
          return {
            update: (_view, previous) => {
              const id = paragraphFlashKey.getState(view.state)?.id;
              if (!id || id === paragraphFlashKey.getState(previous)?.id) return;
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
