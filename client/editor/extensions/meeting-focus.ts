import { type Editor, Extension } from '@tiptap/core';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import * as focusModel from '../../../shared/model/meeting-focus.js';
import { presides } from '../../../shared/model/permissions.js';
import { settings } from '../../../shared/model/drafting-mode.js';
import { actFor, refuse } from '../../negotiation/actions.js';
import { NEGOTIATION_ORIGIN } from '../negotiation-origin.js';
import { findBlockPos, textblockAtSelection } from '../positions.js';
import { negotiationOf } from './negotiation.js';

/**
 * The paragraph under discussion (README, "The meeting room"): set by the
 * chair or the secretariat in the settings map, read back through the
 * model's readFocus (which also finds the nearest paragraph when it was
 * deleted), marked "Under discussion" in every editor and on the screen.
 */

type Focus = focusModel.MeetingFocus | null;

export type MeetingFocusOptions = {
  /** The shared document whose settings map holds the focus. */
  document: Y.Doc | null;
  /** This browser's presence: "follow the chair" says so in it (`following: true`). */
  awareness: Awareness | null;
};

export type MeetingFocusStorage = {
  focus: Focus;
  /** The chair's "follow my caret": the focus goes wherever the caret goes. */
  followCaret: boolean;
  unobserve: () => void;
};

declare module '@tiptap/core' {
  interface Storage {
    meetingFocus: MeetingFocusStorage;
  }
  interface Commands<ReturnType> {
    meetingFocus: {
      /** Puts the paragraph holding the caret under discussion (the chair and the secretariat). */
      setFocusHere: () => ReturnType;
      /** No paragraph under discussion any more. */
      clearFocus: () => ReturnType;
      /** The focus follows this person's caret, or stops following it. */
      setFollowCaret: (on: boolean) => ReturnType;
    };
  }
}

/** Who may set the paragraph under discussion: the chair and the secretariat (the server refuses anyone else too). */
function focusRefusal(editor: Editor): string | null {
  return presides(negotiationOf(editor).participant.role) ? null : 'Only the chair or the secretariat set the paragraph under discussion';
}

/** The focus as the editor last read it. */
export function focusOf(editor: Editor): Focus {
  return editor.storage.meetingFocus?.focus ?? null;
}

/** Meta of the transaction that tells the decorations the focus changed (no change to the text). */
const focusChangedKey = new PluginKey('meetingFocusChanged');
const decorationsKey = new PluginKey<DecorationSet>('meetingFocus');

/** "Follow my caret" sets the focus at most this often, so a chair moving with the arrows does not flood the room. */
const CARET_THROTTLE_MS = 500;

function decorate(editor: Editor, doc: Parameters<typeof findBlockPos>[0]): DecorationSet {
  const focus = focusOf(editor);
  const pos = focus ? findBlockPos(doc, focus.paragraphId) : null;
  if (pos === null) return DecorationSet.empty;
  const node = doc.nodeAt(pos)!;
  return DecorationSet.create(doc, [
    Decoration.node(pos, pos + node.nodeSize, { class: 'is-under-discussion', 'data-under-discussion': 'Under discussion' }),
  ]);
}

function setHere(editor: Editor): boolean {
  const here = textblockAtSelection(editor.state);
  if (!here?.id) return false;
  if (focusOf(editor)?.paragraphId === here.id && !focusOf(editor)?.moved) return true;
  const negotiation = negotiationOf(editor);
  // The model anchors the focus to the paragraph's place in the body itself (so a deleted one still has a nearest).
  return actFor(negotiation, editor.state.tr, (actor) => focusModel.setFocus(negotiation.index.doc, { paragraphId: here.id!, actor }, NEGOTIATION_ORIGIN)) !== null;
}

export const MeetingFocus = Extension.create<MeetingFocusOptions, MeetingFocusStorage>({
  name: 'meetingFocus',

  addOptions() {
    return { document: null, awareness: null };
  },

  addStorage() {
    return { focus: this.options.document ? focusModel.readFocus(this.options.document) : null, followCaret: false, unobserve: () => {} };
  },

  onCreate() {
    const doc = this.options.document;
    if (!doc) return;
    const read = () => {
      const focus = focusModel.readFocus(doc);
      const before = this.storage.focus;
      this.storage.focus = focus;
      const changed = before?.paragraphId !== focus?.paragraphId || before?.at !== focus?.at;
      if (changed && !this.editor.isDestroyed) this.editor.view.dispatch(this.editor.state.tr.setMeta(focusChangedKey, focus));
    };
    const map = settings(doc);
    read();
    map.observe(read);
    // A deleted paragraph changes what readFocus answers without touching the settings: read again after a
    // text change, but only when the focus paragraph is gone (readFocus walks the blocks; typing must not).
    const onUpdate = () => {
      const focus = this.storage.focus;
      if (focus && !negotiationOf(this.editor).index.snapshot().blocks[focus.paragraphId]) read();
    };
    this.editor.on('update', onUpdate);
    this.storage.unobserve = () => {
      map.unobserve(read);
      this.editor.off('update', onUpdate);
    };
  },

  onDestroy() {
    this.storage.unobserve();
  },

  addCommands() {
    return {
      setFocusHere:
        () =>
        ({ dispatch, editor }) => {
          const refusal = focusRefusal(editor);
          if (refusal) return refuse(negotiationOf(editor), dispatch, refusal);
          if (!textblockAtSelection(editor.state)?.id) return refuse(negotiationOf(editor), dispatch, 'Put the caret in the paragraph to discuss');
          if (!dispatch) return true;
          return setHere(editor);
        },
      clearFocus:
        () =>
        ({ dispatch, editor }) => {
          const refusal = focusRefusal(editor);
          if (refusal) return refuse(negotiationOf(editor), dispatch, refusal);
          if (!dispatch) return true;
          const negotiation = negotiationOf(editor);
          return actFor(negotiation, editor.state.tr, () => focusModel.clearFocus(negotiation.index.doc, NEGOTIATION_ORIGIN)) !== null;
        },
      setFollowCaret:
        (on) =>
        ({ dispatch, editor }) => {
          const refusal = on ? focusRefusal(editor) : null;
          if (refusal) return refuse(negotiationOf(editor), dispatch, refusal);
          if (!dispatch) return true;
          editor.storage.meetingFocus.followCaret = on;
          if (on) setHere(editor);
          editor.view.dispatch(editor.state.tr.setMeta(focusChangedKey, 'follow'));
          return true;
        },
    };
  },

  addKeyboardShortcuts() {
    return { 'Mod-Alt-f': () => this.editor.commands.setFocusHere() };
  },

  addProseMirrorPlugins() {
    const editor = this.editor;
    return [
      new Plugin<DecorationSet>({
        key: decorationsKey,
        state: {
          init: (_config, state) => decorate(editor, state.doc),
          apply: (tr, value, _old, state) => {
            if (tr.getMeta(focusChangedKey) !== undefined) return decorate(editor, state.doc);
            if (!tr.docChanged) return value;
            // Typing inside the paragraph keeps its decoration; only a paragraph replaced or gone is looked for again.
            const mapped = value.map(tr.mapping, tr.doc);
            return focusOf(editor) && mapped.find().length === 0 ? decorate(editor, state.doc) : mapped;
          },
        },
        props: { decorations: (state) => decorationsKey.getState(state) ?? null },
        view() {
          let last = 0;
          let timer: ReturnType<typeof setTimeout> | undefined;
          const follow = () => {
            timer = undefined;
            last = Date.now();
            if (!editor.isDestroyed && editor.storage.meetingFocus.followCaret) setHere(editor);
          };
          return {
            update: (view, previous) => {
              if (!editor.storage.meetingFocus.followCaret) return;
              // Only a move of the caret to another paragraph counts: others' edits, or another chair's focus, leave it be.
              const here = textblockAtSelection(view.state)?.id;
              if (!here || here === textblockAtSelection(previous)?.id || here === focusOf(editor)?.paragraphId) return;
              // At most every CARET_THROTTLE_MS, and the last move always counts.
              if (timer === undefined) timer = setTimeout(follow, Math.max(0, CARET_THROTTLE_MS - (Date.now() - last)));
            },
            destroy: () => clearTimeout(timer),
          };
        },
      }),
    ];
  },
});
