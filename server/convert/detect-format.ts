import path from 'node:path';
import type { FileFormat } from '../../shared/schema/api.js';
import { UnprocessableEntityError, UnsupportedMediaTypeError } from '../errors.js';

/** The formats read: those the export writes (shared/schema/api.ts). */
export type ImportFormat = FileFormat;

const BY_EXTENSION: Record<string, ImportFormat> = {
  '.docx': 'docx',
  '.html': 'html',
  '.htm': 'html',
  '.xhtml': 'html',
  '.md': 'md',
  '.markdown': 'md',
  '.txt': 'txt',
  '.text': 'txt',
};

export const SUPPORTED = 'Word (.docx), plain text (.txt), Markdown (.md) or HTML (.html)';

const startsWith = (bytes: Buffer, signature: number[]) => signature.every((b, i) => bytes[i] === b);
const isZip = (bytes: Buffer) => startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06]);
/** The OLE container of Word 97-2003 .doc files and of password-protected .docx. */
const isOle = (bytes: Buffer) => startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const isPdf = (bytes: Buffer) => bytes.subarray(0, 5).toString('latin1') === '%PDF-';

/**
 * Which importer a file goes to: its extension says what it claims to be and
 * its first bytes must agree; with no extension, the content decides.
 * Formats we do not read are 415; a file that is not what it claims is 422.
 */
export function detectFormat(fileName: string, bytes: Buffer): ImportFormat {
  if (bytes.length === 0) throw new UnprocessableEntityError('The file is empty.');
  const ext = path.extname(fileName).toLowerCase();
  const claimed = BY_EXTENSION[ext];
  if (ext === '.doc' || (!claimed && isOle(bytes))) {
    throw new UnsupportedMediaTypeError('Word 97-2003 (.doc) files cannot be imported: open the file in Word, save it as .docx and import that.');
  }
  if (ext && !claimed) throw new UnsupportedMediaTypeError(`"${ext}" files cannot be imported. Import ${SUPPORTED}.`);

  if (claimed === 'docx') {
    if (isOle(bytes)) {
      throw new UnprocessableEntityError('This .docx is password-protected or an old .doc renamed: save it as a .docx without a password and import again.');
    }
    if (!isZip(bytes)) throw new UnprocessableEntityError('This file is named .docx but is not a Word document: it may be damaged or of another type.');
    return 'docx';
  }
  if (claimed) {
    if (isZip(bytes) || isOle(bytes) || isPdf(bytes)) {
      throw new UnprocessableEntityError(`This file is named ${ext} but is not text: it looks like a Word or PDF file.`);
    }
    return claimed;
  }
  if (isZip(bytes)) return 'docx';
  if (isPdf(bytes)) throw new UnsupportedMediaTypeError(`PDF files cannot be imported. Import ${SUPPORTED}.`);
  return sniffText(decodeText(bytes));
}

function sniffText(text: string): ImportFormat {
  const head = text.slice(0, 2000).trimStart().toLowerCase();
  if (/^<(!doctype html|html|head|body|p|div|h[1-6]|table|ul|ol)[\s>]/.test(head)) return 'html';
  if (/^(#{1,6} |\* |- |\d+\. |> )/m.test(text.slice(0, 5000))) return 'md';
  return 'txt';
}

/**
 * The text of an uploaded file: UTF-8 (with or without a BOM), or UTF-16 when
 * it starts with a BOM, as Notepad's "Unicode" writes it. Anything else is
 * refused rather than guessed, so no mangled characters reach a negotiated text.
 */
export function decodeText(bytes: Buffer): string {
  let text: string;
  try {
    if (startsWith(bytes, [0xff, 0xfe])) text = new TextDecoder('utf-16le', { fatal: true }).decode(bytes.subarray(2));
    else if (startsWith(bytes, [0xfe, 0xff])) text = new TextDecoder('utf-16be', { fatal: true }).decode(bytes.subarray(2));
    else text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new UnprocessableEntityError('This file is not valid UTF-8 text. Save it with the UTF-8 encoding and import it again.');
  }
  if (text.includes('\u0000')) throw new UnprocessableEntityError('This file contains binary data, not text.');
  return text;
}
