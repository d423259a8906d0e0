/**
 * Names of the shared types inside every document's Y.Doc, and of the nodes,
 * attributes and marks of its body. Declared once so the server (importers,
 * exporters, checks), the client's editor and any other Yjs tool agree on
 * them (see README, "Document format"). The editor deletes from the shared
 * document every node and mark its schema does not know, so a name changed in
 * one place only would silently destroy content: import these, never retype
 * them (tests/unit/body-names.test.ts checks the editor knows them all).
 */

/** The document body: TipTap's Collaboration field (ProseMirror nodes as Y.XmlElement). */
export const BODY_FRAGMENT = 'default';

/** Block nodes, named as TipTap's StarterKit names them. */
export const PARAGRAPH_NODE = 'paragraph';
export const HEADING_NODE = 'heading';
/** A heading's level: a number (what TipTap writes), one of HEADING_LEVELS. */
export const HEADING_LEVEL_ATTR = 'level';
/** Reports use three heading levels; deeper structure is carried by paragraph numbers. */
export const HEADING_LEVELS = [1, 2, 3] as const;
/** The deepest heading level (levels run from 1). */
export const MAX_HEADING_LEVEL = HEADING_LEVELS.length;

/** Block node names that hold text in the body: the blocks that carry an id, a number and an indent. */
export const TEXT_BLOCKS = [PARAGRAPH_NODE, HEADING_NODE] as const;

/** Lists: a list holds list items, and each item holds blocks (a paragraph first). */
export const BULLET_LIST_NODE = 'bulletList';
export const ORDERED_LIST_NODE = 'orderedList';
export const LIST_ITEM_NODE = 'listItem';
/** The number an ordered list starts at (absent: 1). */
export const ORDERED_LIST_START_ATTR = 'start';

/** Inline atoms, between a block's Y.XmlTexts: a footnote holding its note's text, and a line break. */
export const FOOTNOTE_NODE = 'footnote';
export const FOOTNOTE_TEXT_ATTR = 'text';
export const HARD_BREAK_NODE = 'hardBreak';

/** Every element name the body holds (what the importers write). */
export const BODY_NODES = [
  PARAGRAPH_NODE,
  HEADING_NODE,
  BULLET_LIST_NODE,
  ORDERED_LIST_NODE,
  LIST_ITEM_NODE,
  FOOTNOTE_NODE,
  HARD_BREAK_NODE,
] as const;

/** Formatting marks (Y.XmlText formatting attributes), named as StarterKit names them; a link's value is `{ href }`. */
export const BOLD_MARK = 'bold';
export const ITALIC_MARK = 'italic';
export const UNDERLINE_MARK = 'underline';
export const LINK_MARK = 'link';
export const LINK_HREF_ATTR = 'href';
