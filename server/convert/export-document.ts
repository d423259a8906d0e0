import type * as Y from 'yjs';
import type { FileFormat } from '../../shared/schema/api.js';
import { exportDocx } from './export-docx.js';
import { exportHtml } from './export-html.js';
import { exportMarkdown } from './export-markdown.js';
import { buildExport, type ExportOptions } from './export-model.js';
import { exportText } from './export-text.js';

/** The formats written (the query itself, ExportQuery, is declared in shared/schema/api.ts). */
export type ExportFormat = FileFormat;

const CONTENT_TYPES: Record<ExportFormat, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  html: 'text/html; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
};

export type ExportedFile = { body: Buffer; contentType: string; fileName: string };

/**
 * One document to one file. Throws UnresolvedBracketsError (409) for an
 * agreed text with open brackets unless told to keep or omit them.
 */
export async function exportDocument(
  doc: Y.Doc,
  format: ExportFormat,
  options: ExportOptions,
): Promise<ExportedFile> {
  const model = buildExport(doc, options);
  const body =
    format === 'docx'
      ? await exportDocx(model)
      : Buffer.from(format === 'html' ? exportHtml(model) : format === 'md' ? exportMarkdown(model) : exportText(model), 'utf8');
  const label = model.version === 'bracketed' ? 'compilation' : model.draft ? 'draft' : 'agreed';
  return { body, contentType: CONTENT_TYPES[format], fileName: exportFileName(options.title, label, format, model.date) };
}

/**
 * "Draft final report … (agreed) 2026-03-12.docx", safe on every file system;
 * "(draft)" for an agreed-text export of a text not all agreed, so the name
 * does not claim more than the first page.
 */
function exportFileName(title: string, label: 'agreed' | 'draft' | 'compilation', format: ExportFormat, date: Date): string {
  return `${safeFileName(title, 100)} (${label}) ${date.toISOString().slice(0, 10)}.${format}`;
}

/** A part of a file name safe on every file system: no separators or control characters, at most `max` characters. */
export function safeFileName(text: string, max: number): string {
  const name = text
    .normalize('NFKC')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what a file name must not contain.
    .replace(/[\\/:*?"<>|\u0000-\u001f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, max)
    .trim();
  return name || 'document';
}
