import type { Node as PMNode } from '@tiptap/pm/model';
import type { EditorState } from '@tiptap/pm/state';
import { readBracketMark } from '../../shared/model/record-guards.js';
import { BLOCK_ID_ATTR, BRACKET_MARK, type BracketMarkAttrs } from '../../shared/schema/negotiation.js';

/**
 * Where things are in the ProseMirror document, in the terms of the shared
 * model: paragraph ids, bracket marks, offsets inside a paragraph.
 */

export type TextblockAt = { node: PMNode; pos: number; id: string | null };

export function blockId(node: PMNode): string | null {
  const id = node.attrs[BLOCK_ID_ATTR] as unknown;
  return typeof id === 'string' && id.length > 0 ? id : null;
}

/** The paragraph (or heading) holding the caret, or the start of the selection. */
export function textblockAtSelection(state: EditorState): TextblockAt | null {
  const { $from } = state.selection;
  if (!$from.parent.isTextblock) return null;
  return { node: $from.parent, pos: $from.before(), id: blockId($from.parent) };
}

export function bracketMarkOf(node: PMNode | null | undefined): BracketMarkAttrs | null {
  if (!node) return null;
  const mark = node.marks.find((m) => m.type.name === BRACKET_MARK);
  if (!mark) return null;
  // The same guard as the model's readers: y-tiptap turns a malformed value into null attributes.
  const attrs = readBracketMark(mark.attrs);
  return attrs === 'malformed' ? null : attrs;
}

/** The bracket option the caret is in or touches (text right after it first, then right before). */
export function bracketAtSelection(state: EditorState): BracketMarkAttrs | null {
  const { $from } = state.selection;
  return bracketMarkOf($from.nodeAfter) ?? bracketMarkOf($from.nodeBefore);
}

export type BracketableSelection =
  | { ok: true; paragraphId: string; from: number; to: number }
  | { ok: false; reason: string };

/**
 * The selection as the model counts it: offsets inside one paragraph
 * (ProseMirror's parentOffset), and that paragraph's id.
 */
export function bracketableSelection(state: EditorState): BracketableSelection {
  const { $from, $to, empty } = state.selection;
  if (empty) return { ok: false, reason: 'Select the words to put in brackets' };
  if (!$from.parent.isTextblock || $from.parent !== $to.parent) {
    return { ok: false, reason: 'A bracket stays inside one paragraph' };
  }
  const id = blockId($from.parent);
  if (!id) return { ok: false, reason: 'This paragraph is not saved yet; try again in a moment' };
  return { ok: true, paragraphId: id, from: $from.parentOffset, to: $to.parentOffset };
}

/** Position before the text block with this id, or null. */
export function findBlockPos(doc: PMNode, paragraphId: string): number | null {
  let found: number | null = null;
  doc.descendants((node, pos) => {
    if (found !== null) return false;
    if (node.isTextblock) {
      if (blockId(node) === paragraphId) found = pos;
      return false;
    }
    return true;
  });
  return found;
}

/** Every text block with an id, in document order, with its position. */
export function eachTextblock(doc: PMNode, visit: (node: PMNode, pos: number, id: string | null) => void): void {
  doc.descendants((node, pos) => {
    if (node.isTextblock) {
      visit(node, pos, blockId(node));
      return false;
    }
    return true;
  });
}
