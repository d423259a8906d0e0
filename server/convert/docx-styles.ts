/**
 * Named Word styles our DOCX export gives indented sub-items ("Sub-item 2"),
 * so that Word users can restyle them at once and importers (mammoth, ours)
 * can read the level back, which they cannot from a bare indent. Its own
 * module so the importer does not load the docx writer.
 */
export const SUB_ITEM_LEVELS = 6;
export const subItemStyleName = (level: number) => `Sub-item ${level}`;
export const subItemStyleId = (level: number) => `SubItem${Math.min(Math.max(level, 1), SUB_ITEM_LEVELS)}`;

/**
 * The character style of the "(Not agreed)" label on the paragraphs of a
 * draft: one style, so a secretariat can restyle every label at once or find
 * them with Word's style search. A run style, since a sub-item already has a
 * paragraph style of its own.
 */
export const NOT_AGREED_STYLE = { id: 'NotAgreed', name: 'Not agreed' } as const;
