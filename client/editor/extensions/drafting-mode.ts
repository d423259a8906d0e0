import { type Editor, Extension } from '@tiptap/core';
import { PluginKey } from '@tiptap/pm/state';
import type * as Y from 'yjs';
import * as modes from '../../../shared/model/drafting-mode.js';
import { presides } from '../../../shared/model/permissions.js';
import type { DraftingMode as Mode, DraftingModeSetting } from '../../../shared/schema/negotiation.js';
import type { Role } from '../../../shared/schema/roles.js';
import { actFor, refuse } from '../../negotiation/actions.js';
import { NEGOTIATION_ORIGIN } from '../negotiation-origin.js';
import { negotiationOf } from './negotiation.js';

/**
 * The drafting mode of the document (open drafting, proposals, pen holder),
 * as the plugins that shape typing read it: kept in storage from the
 * `settings` map, which the chair or the secretariat changes for everyone.
 */

export type DraftingModeOptions = {
  /** The shared document whose settings map holds the mode. */
  document: Y.Doc | null;
};

export type DraftingModeStorage = {
  mode: Mode;
  setting: DraftingModeSetting | null;
  unobserve: () => void;
};

declare module '@tiptap/core' {
  interface Storage {
    draftingMode: DraftingModeStorage;
  }
  interface Commands<ReturnType> {
    draftingMode: {
      /** Switches how everyone drafts this document (the chair and the secretariat). */
      setDraftingMode: (mode: Mode) => ReturnType;
    };
  }
}

/** How this person's typing is treated: as typed, turned into proposals, or not at all (the chair holds the pen). */
export type TypingRule = 'free' | 'proposals' | 'pen-holder';

export function typingRule(mode: Mode, role: Role): TypingRule {
  if (modes.typesFreely(mode, presides(role)) || mode === 'open') return 'free';
  return mode;
}

/** The rule in force for the person at this editor now. */
export function typingRuleOf(editor: Editor): TypingRule {
  return typingRule(editor.storage.draftingMode?.mode ?? 'open', negotiationOf(editor).participant.role);
}

/** Why this role may not switch the mode, or null. One answer for the command and the header's control. */
export function modeSwitchRefusal(role: Role): string | null {
  return presides(role) ? null : 'Only the chair or the secretariat change how the document is drafted';
}

/** Meta of the transaction that tells the editor the mode changed (no change to the text). */
const modeChangedKey = new PluginKey('draftingModeChanged');

export const DraftingMode = Extension.create<DraftingModeOptions, DraftingModeStorage>({
  name: 'draftingMode',

  addOptions() {
    return { document: null };
  },

  addStorage() {
    const setting = this.options.document ? modes.draftingModeSetting(this.options.document) : null;
    return { mode: setting?.mode ?? 'open', setting, unobserve: () => {} };
  },

  onCreate() {
    const doc = this.options.document;
    if (!doc) return;
    const map = modes.settings(doc);
    const read = () => {
      const setting = modes.draftingModeSetting(doc);
      const mode = setting?.mode ?? 'open';
      const changed = mode !== this.storage.mode;
      this.storage.setting = setting;
      this.storage.mode = mode;
      // Toolbars and plugins that read the mode from the editor follow with the next transaction.
      if (changed && !this.editor.isDestroyed) this.editor.view.dispatch(this.editor.state.tr.setMeta(modeChangedKey, mode));
    };
    read();
    map.observe(read);
    this.storage.unobserve = () => map.unobserve(read);
  },

  onDestroy() {
    this.storage.unobserve();
  },

  addCommands() {
    return {
      setDraftingMode:
        (mode) =>
        ({ tr, dispatch, editor }) => {
          const negotiation = negotiationOf(editor);
          const refusal = modeSwitchRefusal(negotiation.participant.role);
          if (refusal) return refuse(negotiation, dispatch, refusal);
          if (!dispatch) return true;
          return actFor(negotiation, tr, (actor) => modes.setDraftingMode(negotiation.index.doc, { mode, actor }, NEGOTIATION_ORIGIN)) !== null;
        },
    };
  },
});
