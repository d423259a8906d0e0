import mammoth from 'mammoth';
import { UnprocessableEntityError } from '../errors.js';
import { SUB_ITEM_LEVELS, subItemStyleName } from './docx-styles.js';
import { importHtml } from './html.js';
import type { ImportedContent } from './import-model.js';
import { checkDocxZip } from './zip-guard.js';

/**
 * Word to the block model: mammoth turns the .docx into HTML (headings from
 * the Heading styles, lists, bold/italic/underline, footnotes and endnotes,
 * tables, comments), and the HTML importer does the rest, numbers typed
 * before a TAB included. The zip is checked first (zip-guard.ts): mammoth
 * would inflate whatever it is given.
 */

const STYLE_MAP = [
  // Mammoth drops underline and comments unless told to keep them.
  'u => u',
  'comment-reference => sup',
  // Our DOCX export's indented sub-items (export-docx.ts), read back as their level.
  ...Array.from({ length: SUB_ITEM_LEVELS }, (_, i) => `p[style-name='${subItemStyleName(i + 1)}'] => p.indent-${i + 1}:fresh`),
];

type MammothComment = { commentId: string; authorName?: string | null; authorInitials?: string | null };

/** Images are left out (the editor holds text), so none is ever read or encoded. */
const noImages = mammoth.images.imgElement(async () => ({ src: '' }));

export async function importDocx(bytes: Buffer): Promise<ImportedContent> {
  checkDocxZip(bytes);
  const authors = new Map<string, string>();
  let result: { value: string; messages: Array<{ type: string; message: string }> };
  try {
    result = await mammoth.convertToHtml(
      { buffer: bytes },
      {
        styleMap: STYLE_MAP,
        convertImage: noImages,
        externalFileAccess: false,
        transformDocument: (document: { comments?: MammothComment[] }) => {
          for (const c of document.comments ?? []) authors.set(c.commentId, (c.authorName || c.authorInitials || 'Reviewer').trim());
          return document;
        },
      },
    );
  } catch (err) {
    const detail = err instanceof Error ? err.message.split('\n')[0] : 'unreadable';
    throw new UnprocessableEntityError(`This Word document could not be read: it may be damaged (${detail}).`);
  }
  const imported = importHtml(result.value, { commentAuthors: authors, preserveSpaces: true });
  const notices = [...new Set(result.messages.filter((m) => m.type === 'error' || !/^Unrecognised/.test(m.message)).map((m) => m.message))];
  return { ...imported, warnings: [...imported.warnings, ...notices.slice(0, 5)] };
}
