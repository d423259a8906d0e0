import type { Extensions } from '@tiptap/core';
import type * as Y from 'yjs';
import { textExtensions } from '../editor/extensions/index.js';
import { ParagraphLock } from '../editor/extensions/paragraph-lock.js';

const nothing = () => {};

/**
 * What a reading is drawn with: the extensions that draw the live text
 * (numbers, footnotes, brackets with their proponents) and its statuses,
 * bound to a local Y.Doc that never reaches a server. Left out is what only a
 * live room has: carets (they need a provider), typing and undo, comment
 * badges and history markers whose panels this page does not have.
 */
export function readingExtensions(ydoc: Y.Doc): Extensions {
  return [
    ...textExtensions({ ydoc, editable: false, identity: { name: '', delegation: '' }, role: 'observer', onNotice: nothing, onSelectGroup: nothing }),
    ParagraphLock,
  ];
}
