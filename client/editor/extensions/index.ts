import type { Extensions } from '@tiptap/core';
import type { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';
import { collaboration } from './collaboration.js';
import { collaborationCaret, type CaretUser } from './collaboration-caret.js';
import { BlockAttributes } from './block-attributes.js';
import { starterKit } from './starter-kit.js';
import { TabCharacter } from './tab-character.js';
import { uniqueId } from './unique-id.js';

export type { CaretUser } from './collaboration-caret.js';

export function draftExtensions(ydoc: Y.Doc, provider: WebsocketProvider, user: CaretUser): Extensions {
  return [starterKit, collaboration(ydoc), collaborationCaret(provider, user), BlockAttributes, uniqueId, TabCharacter];
}
