import type { Extensions } from '@tiptap/core';
import type { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';
import { canEditText } from '../../../shared/model/permissions.js';
import { BlockAttributes } from './block-attributes.js';
import { BracketMark } from './bracket-mark.js';
import { BracketDecorations } from './bracket-decorations.js';
import { collaboration } from './collaboration.js';
import { collaborationCaret, type CaretUser } from './collaboration-caret.js';
import { CommentBadges } from './comment-badges.js';
import { CommentThreads } from './comment-threads.js';
import { DraftingMode } from './drafting-mode.js';
import { Footnote } from './footnote.js';
import { MeetingFocus } from './meeting-focus.js';
import { Negotiation, type Participant } from './negotiation.js';
import { negotiationUndo } from './negotiation-undo.js';
import { OptionGuard } from './option-guard.js';
import { ParagraphChanges } from './paragraph-changes.js';
import { ParagraphFlash } from './paragraph-flash.js';
import { ParagraphLock } from './paragraph-lock.js';
import { ProposalTyping } from './proposal-typing.js';
import { ResolutionMarkers } from './resolution-markers.js';
import { starterKit } from './starter-kit.js';
import { TabCharacter } from './tab-character.js';
import { UndoGuard } from './undo-guard.js';
import { uniqueId } from './unique-id.js';

export type { CaretUser } from './collaboration-caret.js';

/** What one document's editor is built with; the callbacks open the panels beside the text. */
export type DraftSetup = Participant & {
  ydoc: Y.Doc;
  provider: WebsocketProvider;
  user: CaretUser;
  onNotice: (message: string) => void;
  onSelectGroup: (groupId: string) => void;
  onOpenThreads: (paragraphId: string) => void;
  onOpenResolutions: (paragraphId: string) => void;
};

/**
 * What draws the text of a document, live or as a reading: the schema, the
 * Yjs binding, numbers, footnotes, brackets with their proponents and the
 * paragraph statuses. `editable` says whether this person may type (new
 * blocks then get ids).
 */
export function textExtensions(setup: Participant & { ydoc: Y.Doc; editable: boolean; onNotice: (message: string) => void; onSelectGroup: (groupId: string) => void }): Extensions {
  const { ydoc, identity, role, onNotice, onSelectGroup } = setup;
  return [
    starterKit,
    collaboration(ydoc),
    BlockAttributes,
    uniqueId(setup.editable),
    TabCharacter,
    Footnote,
    Negotiation.configure({ document: ydoc, identity, role, onNotice }),
    BracketMark.configure({ onSelectGroup }),
    BracketDecorations.configure({ onSelectGroup }),
  ];
}

export function draftExtensions(setup: DraftSetup): Extensions {
  const { ydoc, provider, user } = setup;
  return [
    ...textExtensions({ ...setup, editable: canEditText(setup.role) }),
    collaborationCaret(provider, user),
    DraftingMode.configure({ document: ydoc }),
    MeetingFocus.configure({ document: ydoc, awareness: provider.awareness }),
    ProposalTyping,
    OptionGuard,
    UndoGuard,
    ParagraphLock,
    CommentThreads,
    CommentBadges.configure({ onOpenThreads: setup.onOpenThreads }),
    ResolutionMarkers.configure({ onOpenResolutions: setup.onOpenResolutions }),
    ParagraphChanges,
    ParagraphFlash,
    negotiationUndo(ydoc),
  ];
}
