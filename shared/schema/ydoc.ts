/**
 * Names of the shared types inside every document's Y.Doc. Declared once so the
 * server, the client and any other Yjs tool agree on them (see README,
 * "Document format").
 */

/** The document body: TipTap's Collaboration field (ProseMirror nodes as Y.XmlElement). */
export const BODY_FRAGMENT = 'default';

/** Block node names that hold text in the body, as TipTap's StarterKit names them. */
export const TEXT_BLOCKS = ['paragraph', 'heading'] as const;
export type TextBlockName = (typeof TEXT_BLOCKS)[number];
