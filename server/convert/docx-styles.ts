/**
 * Named Word styles our DOCX export gives indented sub-items ("Sub-item 2"),
 * so that Word users can restyle them at once and importers (mammoth, ours)
 * can read the level back, which they cannot from a bare indent. Its own
 * module so the importer does not load the docx writer.
 */
export const SUB_ITEM_LEVELS = 6;
export const subItemStyleName = (level: number) => `Sub-item ${level}`;
export const subItemStyleId = (level: number) => `SubItem${Math.min(Math.max(level, 1), SUB_ITEM_LEVELS)}`;
