import { Extension } from '@tiptap/core';
import type { Node as PMNode } from '@tiptap/pm/model';
import { Plugin, PluginKey, type EditorState } from '@tiptap/pm/state';
import { Decoration, DecorationSet, type EditorView } from '@tiptap/pm/view';
import { ySyncPluginKey } from '@tiptap/y-tiptap';
import { isLocked, paragraphMetas, paragraphStatus, paragraphStatuses } from '../../../shared/model/paragraph-status.js';
import { presides } from '../../../shared/model/permissions.js';
import type { ParagraphStatus } from '../../../shared/schema/negotiation.js';
import { lockedMessage } from '../../negotiation/actions.js';
import type { NegotiationEnv } from '../../negotiation/env.js';
import { blockId, eachTextblock } from '../positions.js';

/**
 * Agreed paragraphs are read-only for everyone who does not preside. Local
 * edits touching one are refused before they reach the shared document;
 * remote changes always apply (the server and the other client decide those),
 * or this editor would drift from the shared text.
 */

export const paragraphLockKey = new PluginKey<DecorationSet>('paragraphLock');

const BADGE: Record<Exclude<ParagraphStatus, 'open'>, { text: string; title: string }> = {
  agreed: { text: 'Agreed', title: 'Agreed: only the chair or the secretariat can change it' },
  'agreed-ad-ref': { text: 'Agreed ad ref', title: 'Agreed ad referendum, pending confirmation: only the chair or the secretariat can change it' },
};

function lockedIds(env: NegotiationEnv): Set<string> {
  const ids = new Set<string>();
  for (const [id, meta] of paragraphStatuses(env.ydoc)) if (isLocked(meta.status)) ids.add(id);
  return ids;
}

function lockedBlocks(doc: PMNode, locked: Set<string>): Map<string, PMNode> {
  const found = new Map<string, PMNode>();
  eachTextblock(doc, (node, _pos, id) => {
    if (id && locked.has(id) && !found.has(id)) found.set(id, node);
  });
  return found;
}

/** The first locked paragraph whose content, marks or attributes differ (or that is gone) after a change. */
function touchedLocked(before: PMNode, after: PMNode, locked: Set<string>): string | null {
  const now = lockedBlocks(after, locked);
  for (const [id, node] of lockedBlocks(before, locked)) {
    const next = now.get(id);
    if (!next || !next.eq(node)) return id;
  }
  return null;
}

/** Locked paragraphs within the selection, for refusing a keystroke before the browser applies it. */
function lockedInSelection(state: EditorState, locked: Set<string>): string | null {
  const { from, to, $from } = state.selection;
  const ids: string[] = [];
  const own = $from.parent.isTextblock ? blockId($from.parent) : null;
  if (own) ids.push(own);
  if (to > from) {
    state.doc.nodesBetween(from, to, (node) => {
      if (!node.isTextblock) return true;
      const id = blockId(node);
      if (id) ids.push(id);
      return false;
    });
  }
  return ids.find((id) => locked.has(id)) ?? null;
}

function build(doc: PMNode, env: NegotiationEnv): DecorationSet {
  const decorations: Decoration[] = [];
  eachTextblock(doc, (node, pos, id) => {
    if (!id) return;
    const status = paragraphStatus(env.ydoc, id);
    if (status === 'open') return;
    decorations.push(Decoration.node(pos, pos + node.nodeSize, { class: `is-locked is-${status}` }));
    const badge = BADGE[status];
    decorations.push(
      Decoration.widget(
        pos + node.nodeSize - 1,
        () => {
          const el = document.createElement('span');
          el.className = `para-widget status-badge status-badge--${status}`;
          el.contentEditable = 'false';
          el.textContent = badge.text;
          el.title = badge.title;
          el.dataset.testid = 'status-badge';
          return el;
        },
        { side: 1, key: `status:${id}:${status}`, marks: [], ignoreSelection: true },
      ),
    );
  });
  return DecorationSet.create(doc, decorations);
}

export function paragraphLock(env: NegotiationEnv) {
  let lastNotice = 0;
  const refuse = (id: string) => {
    // A delegate holding a key down would otherwise get one notice per repeat.
    if (Date.now() - lastNotice > 2500) env.notify(lockedMessage(env, id));
    lastNotice = Date.now();
  };

  return Extension.create({
    name: 'paragraphLock',

    addProseMirrorPlugins() {
      return [
        new Plugin<DecorationSet>({
          key: paragraphLockKey,
          state: {
            init: (_, state) => build(state.doc, env),
            apply: (tr, value, _old, state) =>
              tr.docChanged || tr.getMeta(paragraphLockKey) ? build(state.doc, env) : value.map(tr.mapping, tr.doc),
          },
          props: {
            decorations: (state) => paragraphLockKey.getState(state) ?? null,
            handleDOMEvents: {
              // Stop the keystroke before the browser changes the page, rather than undo it afterwards.
              beforeinput: (view: EditorView, event: Event) => {
                if (presides(env.role)) return false;
                const locked = lockedIds(env);
                const id = locked.size ? lockedInSelection(view.state, locked) : null;
                if (!id) return false;
                event.preventDefault();
                refuse(id);
                return true;
              },
            },
          },
          filterTransaction: (tr, state) => {
            if (!tr.docChanged || tr.getMeta(ySyncPluginKey) !== undefined || presides(env.role)) return true;
            const locked = lockedIds(env);
            if (locked.size === 0) return true;
            const id = touchedLocked(state.doc, tr.doc, locked);
            if (!id) return true;
            refuse(id);
            return false;
          },
          view(view) {
            const metas = paragraphMetas(env.ydoc);
            const onChange = () =>
              queueMicrotask(() => {
                if (!view.isDestroyed) view.dispatch(view.state.tr.setMeta(paragraphLockKey, true));
              });
            metas.observe(onChange);
            return { destroy: () => metas.unobserve(onChange) };
          },
        }),
      ];
    },
  });
}
