import { Extension } from '@tiptap/core';
import type { Node as PMNode } from '@tiptap/pm/model';
import { Plugin, PluginKey, type EditorState } from '@tiptap/pm/state';
import { Decoration, type DecorationSet, type EditorView } from '@tiptap/pm/view';
import { ySyncPluginKey } from '@tiptap/y-tiptap';
import * as statuses from '../../../shared/model/paragraph-status.js';
import { canSetParagraphStatus, presides } from '../../../shared/model/permissions.js';
import type { ParagraphStatus } from '../../../shared/schema/negotiation.js';
import { actFor, lockedMessage, refuse } from '../../negotiation/actions.js';
import { CHANGED_SINCE_AGREED, STATUS_LABELS } from '../../negotiation/labels.js';
import { changedIds, type LockedMark, type LockedStatus } from '../../negotiation/paragraph-margins.js';
import { decorateAll, diffBlocks, redecorateChanged, redecorateIds, textblocksIn, type BlockDecorator } from '../block-decorations.js';
import { NEGOTIATION_ORIGIN } from '../negotiation-origin.js';
import { blockId, eachTextblock } from '../positions.js';
import { negotiationOf } from './negotiation.js';

/**
 * Agreed paragraphs are read-only for everyone who does not preside. Local
 * edits touching one are refused before they reach the shared document;
 * remote changes always apply (the server and the other client decide those),
 * or this editor would drift from the shared text.
 */

declare module '@tiptap/core' {
  interface Commands<ReturnType> {
    paragraphLock: {
      /** Marks a paragraph open, agreed or agreed ad ref (the chair and the secretariat). */
      setParagraphStatus: (paragraphId: string, status: ParagraphStatus) => ReturnType;
      /** The same for several paragraphs at once (a section, a selection), in one step. */
      setParagraphStatuses: (paragraphIds: readonly string[], status: ParagraphStatus) => ReturnType;
    };
  }
}

type Locked = ReadonlyMap<string, LockedMark>;
type LockState = { locked: Locked; decorations: DecorationSet };

const paragraphLockKey = new PluginKey<LockState>('paragraphLock');

const BADGE: Record<LockedStatus, { text: string; title: string }> = {
  agreed: { text: 'Agreed', title: 'Agreed: only the chair or the secretariat can change it' },
  'agreed-ad-ref': { text: 'Agreed ad ref', title: 'Agreed ad referendum, pending confirmation: only the chair or the secretariat can change it' },
};

/** The badge of a locked paragraph: its status, or that its agreement no longer holds for the text. */
function badgeOf({ status, holds }: LockedMark): { text: string; title: string; className: string } {
  if (!holds) return { ...CHANGED_SINCE_AGREED, className: 'status-badge--changed' };
  return { ...BADGE[status], className: `status-badge--${status}` };
}

/** The first locked paragraph whose content, marks or attributes differ (or that is gone) after a change. */
function touchedLocked(before: PMNode, after: PMNode, locked: Locked): string | null {
  const diff = diffBlocks(before, after);
  if (!diff) return null;
  // Only the changed blocks can hold a changed paragraph: the others are the same nodes on both sides.
  const was = new Map<string, PMNode>();
  textblocksIn(diff.before, (node, _pos, id) => {
    if (id && locked.has(id) && !was.has(id)) was.set(id, node);
  });
  if (was.size === 0) return null;
  const now = new Map<string, PMNode>();
  textblocksIn(diff.after, (node, _pos, id) => {
    if (id && !now.has(id)) now.set(id, node);
  });
  for (const [id, node] of was) {
    const next = now.get(id) ?? findTextblock(after, id);
    if (!next?.eq(node)) return id;
  }
  return null;
}

function findTextblock(doc: PMNode, id: string): PMNode | null {
  let found: PMNode | null = null;
  eachTextblock(doc, (node, _pos, nodeId) => {
    if (!found && nodeId === id) found = node;
  });
  return found;
}

/** Locked paragraphs within the selection, for refusing a keystroke before the browser applies it. */
function lockedInSelection(state: EditorState, locked: Locked): string | null {
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

function decorator(locked: Locked): BlockDecorator {
  return (node, pos, id) => {
    const mark = id ? locked.get(id) : undefined;
    if (!mark) return [];
    const badge = badgeOf(mark);
    const { status, holds } = mark;
    return [
      Decoration.node(pos, pos + node.nodeSize, { class: `is-locked is-${status}${holds ? '' : ' is-changed-since-agreed'}` }),
      Decoration.widget(
        pos + node.nodeSize - 1,
        () => {
          const el = document.createElement('span');
          el.className = `para-widget status-badge ${badge.className}`;
          el.contentEditable = 'false';
          el.textContent = badge.text;
          el.title = badge.title;
          el.dataset.testid = 'status-badge';
          return el;
        },
        { side: 1, key: `status:${id}:${status}:${holds}`, marks: [], ignoreSelection: true },
      ),
    ];
  };
}

export const ParagraphLock = Extension.create({
  name: 'paragraphLock',

  addCommands() {
    return {
      setParagraphStatus:
        (paragraphId, status) =>
        ({ commands }) =>
          commands.setParagraphStatuses([paragraphId], status),

      setParagraphStatuses:
        (paragraphIds, status) =>
        ({ tr, dispatch, editor }) => {
          const negotiation = negotiationOf(editor);
          if (!canSetParagraphStatus(negotiation.participant.role)) {
            return refuse(negotiation, dispatch, 'Only the chair or the secretariat set the status of paragraphs');
          }
          if (paragraphIds.length === 0) return refuse(negotiation, dispatch, 'There are no paragraphs to set here');
          if (!dispatch) return true;
          const done = actFor(negotiation, tr, (actor) =>
            statuses.setParagraphStatus(negotiation.index.doc, { paragraphId: paragraphIds, status, actor }, NEGOTIATION_ORIGIN),
          );
          if (done && paragraphIds.length > 1) negotiation.notify(`${paragraphIds.length} paragraphs set to “${STATUS_LABELS[status]}”.`);
          return done !== null;
        },
    };
  },

  addProseMirrorPlugins() {
    const negotiation = negotiationOf(this.editor);
    const read = () => negotiation.index.snapshot().margins.locked;
    let lastNotice = 0;
    const refuse = (id: string) => {
      // A delegate holding a key down would otherwise get one notice per repeat.
      if (Date.now() - lastNotice > 2500) negotiation.notify(lockedMessage(negotiation, id));
      lastNotice = Date.now();
    };

    return [
      new Plugin<LockState>({
        key: paragraphLockKey,
        state: {
          init: (_, state) => {
            const locked = read();
            return { locked, decorations: decorateAll(state.doc, decorator(locked)) };
          },
          apply: (tr, value, oldState, state) => {
            const locked = read();
            let decorations = value.decorations;
            const diff = tr.docChanged ? diffBlocks(oldState.doc, state.doc) : null;
            if (diff) decorations = redecorateChanged(decorations, diff, state.doc, decorator(locked));
            // A status changed without the text changing: redraw those paragraphs.
            if (locked !== value.locked) decorations = redecorateIds(decorations, state.doc, changedIds(value.locked, locked), decorator(locked));
            return decorations === value.decorations && locked === value.locked ? value : { locked, decorations };
          },
        },
        props: {
          decorations: (state) => paragraphLockKey.getState(state)?.decorations ?? null,
          handleDOMEvents: {
            // Stop the keystroke before the browser changes the page, rather than undo it afterwards.
            beforeinput: (view: EditorView, event: Event) => {
              if (presides(negotiation.participant.role)) return false;
              const locked = read();
              const id = locked.size ? lockedInSelection(view.state, locked) : null;
              if (!id) return false;
              event.preventDefault();
              refuse(id);
              return true;
            },
          },
        },
        filterTransaction: (tr, state) => {
          if (!tr.docChanged || tr.getMeta(ySyncPluginKey) !== undefined || presides(negotiation.participant.role)) return true;
          const locked = read();
          if (locked.size === 0) return true;
          const id = touchedLocked(state.doc, tr.doc, locked);
          if (!id) return true;
          refuse(id);
          return false;
        },
      }),
    ];
  },
});
