import { UnprocessableEntityError } from '../errors.js';
import { decodeText, detectFormat, type ImportFormat } from './detect-format.js';
import { importDocx } from './docx.js';
import { importHtml } from './html.js';
import type { ImportedContent } from './import-model.js';
import { importMarkdown } from './markdown.js';
import { importPlainText } from './plain-text.js';

export type ImportedFile = ImportedContent & { format: ImportFormat };

/**
 * One uploaded file to a document's initial content. Throws typed errors
 * (415 unsupported, 422 unusable) and creates nothing: the caller stores the
 * result only when this returns.
 */
export async function importFile(fileName: string, bytes: Buffer): Promise<ImportedFile> {
  const format = detectFormat(fileName, bytes);
  const content =
    format === 'docx'
      ? await importDocx(bytes)
      : format === 'html'
        ? importHtml(decodeText(bytes))
        : format === 'md'
          ? importMarkdown(decodeText(bytes))
          : importPlainText(decodeText(bytes));
  if (content.paragraphCount === 0) throw new UnprocessableEntityError('This file contains no text to import.');
  return { ...content, format };
}

/** "EG-ITRs_report v3.docx" → "EG-ITRs_report v3": the title a person would type. */
export function titleFromFileName(fileName: string): string {
  const base = fileName.replace(/^.*[\\/]/, '').replace(/\.[A-Za-z0-9]{1,9}$/, '').trim();
  return (base || 'Imported document').slice(0, 200);
}
