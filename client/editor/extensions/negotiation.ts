import { type Editor, Extension } from '@tiptap/core';
import { PluginKey } from '@tiptap/pm/state';
import type * as Y from 'yjs';
import type { Role } from '../../../shared/schema/roles.js';
import type { Identity } from '../../identity.js';
import { NegotiationIndex } from '../../negotiation/negotiation-index.js';

/** Who is at this editor, as the server knows them: what they may do and whom their proposals speak for. */
export type Participant = { identity: Identity; role: Role };

export type NegotiationOptions = Participant & {
  /** The shared document whose negotiation maps this editor reads and writes. */
  document: Y.Doc | null;
  /** Tells the person why something they asked for did not happen. */
  onNotice: (message: string) => void;
};

export type NegotiationStorage = {
  /** Who acts; one object, replaced (never changed in place) when the person changes. */
  participant: Participant;
  /** The document's negotiation, kept up to date transaction by transaction: panels and plugins read it. */
  index: NegotiationIndex | null;
  notify: (message: string) => void;
  unsubscribe: () => void;
};

declare module '@tiptap/core' {
  interface Storage {
    negotiation: NegotiationStorage;
  }
  interface Commands<ReturnType> {
    negotiation: {
      /** Changes who is at this editor without building a new one (which would lose their undo history). */
      setParticipant: (participant: Participant) => ReturnType;
    };
  }
}

/** Meta of the transaction that makes the plugins read the index again (statuses, labels, threads changed). */
const negotiationRedrawKey = new PluginKey('negotiationRedraw');

/** The negotiation of this editor's document: its index and its participant; throws when the extension is missing. */
export function negotiationOf(editor: Editor): NegotiationStorage & { index: NegotiationIndex } {
  const storage = editor.storage.negotiation;
  if (!storage?.index) throw new Error('the Negotiation extension is not configured with a document');
  return storage as NegotiationStorage & { index: NegotiationIndex };
}

/**
 * The negotiation layer of the editor: one index of the document's brackets,
 * threads and statuses, shared by the plugins drawing them and the panels
 * listing them, and who acts. Commands of the bracket, lock and comment
 * extensions act through it.
 */
export const Negotiation = Extension.create<NegotiationOptions, NegotiationStorage>({
  name: 'negotiation',

  addOptions() {
    return {
      document: null,
      identity: { name: '', delegation: '' },
      role: 'observer',
      onNotice: () => {},
    };
  },

  addStorage() {
    // No index here: TipTap calls addStorage more than once while it sets an editor up. It is made in onBeforeCreate.
    return {
      index: null,
      participant: { identity: this.options.identity, role: this.options.role },
      notify: this.options.onNotice,
      unsubscribe: () => {},
    };
  },

  onBeforeCreate() {
    // Before the editor's state: its plugins read the index from their first state on.
    if (!this.options.document) return;
    const index = new NegotiationIndex(this.options.document);
    this.storage.index = index;
    // What the plugins drew from: every transaction makes them read the index again.
    let drawn = index.snapshot().margins;
    const onTransaction = () => {
      drawn = index.snapshot().margins;
    };
    this.editor.on('transaction', onTransaction);
    let pending = false;
    // What the editor draws changed without the text changing (a support, a status, a new thread): one
    // transaction after the Yjs one that changed it lets every plugin redraw the paragraphs concerned, unless
    // the binding's own transaction (remote text changed with it) already did.
    const unsubscribe = index.subscribe(() => {
      if (index.snapshot().margins === drawn || pending) return;
      pending = true;
      queueMicrotask(() => {
        pending = false;
        if (index.snapshot().margins === drawn || this.editor.isDestroyed) return;
        this.editor.view.dispatch(this.editor.state.tr.setMeta(negotiationRedrawKey, true));
      });
    });
    this.storage.unsubscribe = () => {
      unsubscribe();
      this.editor.off('transaction', onTransaction);
    };
  },

  onDestroy() {
    this.storage.unsubscribe();
    this.storage.index?.destroy();
  },

  addCommands() {
    return {
      setParticipant:
        (participant) =>
        ({ dispatch }) => {
          // A transaction follows (the command's own), so what reads the participant from the editor reads it again.
          if (dispatch) this.storage.participant = participant;
          return true;
        },
    };
  },
});
