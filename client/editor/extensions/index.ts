import type { Extensions } from '@tiptap/core';
import type { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';
import { canEditText } from '../../../shared/model/permissions.js';
import type { NegotiationEnv } from '../../negotiation/env.js';
import { BlockAttributes } from './block-attributes.js';
import { BracketMark } from './bracket-mark.js';
import { bracketDecorations } from './bracket-decorations.js';
import { collaboration } from './collaboration.js';
import { collaborationCaret, type CaretUser } from './collaboration-caret.js';
import { commentBadges } from './comment-badges.js';
import { Footnote } from './footnote.js';
import { negotiationUndo } from './negotiation-undo.js';
import { ParagraphFlash } from './paragraph-flash.js';
import { paragraphLock } from './paragraph-lock.js';
import { resolutionMarkers } from './resolution-markers.js';
import { starterKit } from './starter-kit.js';
import { TabCharacter } from './tab-character.js';
import { uniqueId } from './unique-id.js';

export type { CaretUser } from './collaboration-caret.js';

export function draftExtensions(ydoc: Y.Doc, provider: WebsocketProvider, user: CaretUser, env: NegotiationEnv): Extensions {
  return [
    starterKit,
    collaboration(ydoc),
    collaborationCaret(provider, user),
    BlockAttributes,
    uniqueId(canEditText(env.role)),
    TabCharacter,
    Footnote,
    BracketMark,
    bracketDecorations(env),
    paragraphLock(env),
    commentBadges(env),
    resolutionMarkers(env),
    ParagraphFlash,
    negotiationUndo(ydoc),
  ];
}
