import zlib from 'node:zlib';
import { rawZip } from './hostile-zip.js';
import {
  CommentRangeEnd,
  CommentRangeStart,
  CommentReference,
  Document,
  ExternalHyperlink,
  FootnoteReferenceRun,
  HeadingLevel,
  Packer,
  Paragraph,
  Tab,
  Table,
  TableCell,
  TableRow,
  TextRun,
} from 'docx';

/**
 * Word files made at test time with the `docx` package (no binary fixtures in
 * the repository), and hand-made zips for the hostile cases: a zip bomb, a
 * zip whose sizes lie, one with thousands of entries.
 */

const numbered = (num: string, ...children: Array<TextRun | FootnoteReferenceRun | ExternalHyperlink>) =>
  new Paragraph({ children: [new TextRun({ children: [num, new Tab()] }), ...children] });

/** A small draft as a secretariat would type it in Word. */
export async function sampleWordDraft(): Promise<Buffer> {
  const doc = new Document({
    footnotes: { 1: { children: [new Paragraph('Resolution 146 (Rev. Bucharest, 2022).')] } },
    comments: {
      children: [{ id: 0, author: 'Shahira Selim', initials: 'SS', date: new Date('2026-01-19'), children: [new Paragraph('Link to be inserted')] }],
    },
    sections: [
      {
        children: [
          new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun({ children: ['1', new Tab(), 'Introduction'] })] }),
          numbered(
            '1.1',
            new TextRun('The Group '),
            new TextRun({ text: 'shall', bold: true }),
            new TextRun(' review the '),
            new TextRun({ text: 'ITRs', italics: true }),
            new TextRun(' '),
            new TextRun({ text: 'every year', underline: {} }),
            new TextRun('.'),
            new FootnoteReferenceRun(1),
            new TextRun(' See '),
            new ExternalHyperlink({ link: 'https://www.itu.int/', children: [new TextRun('the ITU site')] }),
            new TextRun('.'),
          ),
          new Paragraph({
            children: [
              new CommentRangeStart(0),
              new TextRun({ children: ['1.2', new Tab(), 'Sixth meeting, 19 January 2026.'] }),
              new CommentRangeEnd(0),
              new TextRun({ children: [new CommentReference(0)] }),
            ],
          }),
          new Paragraph({ children: [new TextRun({ children: [new Tab(), 'a)', new Tab(), 'first lettered item'] })] }),
          new Paragraph({ text: 'First bullet', bullet: { level: 0 } }),
          new Paragraph({ text: 'Second bullet', bullet: { level: 0 } }),
          new Table({
            rows: [
              new TableRow({ children: [new TableCell({ children: [new Paragraph('Region')] }), new TableCell({ children: [new Paragraph('Vice-Chair')] })] }),
              new TableRow({ children: [new TableCell({ children: [new Paragraph('Africa')] }), new TableCell({ children: [new Paragraph('Mr Kouakou')] })] }),
            ],
          }),
          new Paragraph({ heading: HeadingLevel.HEADING_2, text: 'Annex' }),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

/** A Word document of the given paragraphs, for size and speed tests. */
export async function wordDocumentOf(paragraphs: string[]): Promise<Buffer> {
  return Packer.toBuffer(new Document({ sections: [{ children: paragraphs.map((p) => new Paragraph(p)) }] }));
}

export type ZipEntrySpec = {
  name: string;
  data: Buffer;
  /** Deflate (default) or store. */
  method?: 0 | 8;
  /** What the directory claims the entry inflates to; the truth when absent. */
  declaredSize?: number;
};

/** A zip written byte by byte, so a test can make it lie (see rawZip). */
export function zipOf(entries: ZipEntrySpec[]): Buffer {
  return rawZip(
    entries.map((entry) => {
      const method = entry.method ?? 8;
      return {
        name: entry.name,
        body: method === 8 ? zlib.deflateRawSync(entry.data) : entry.data,
        method,
        declaredSize: entry.declaredSize ?? entry.data.length,
        crc: zlib.crc32 ? zlib.crc32(entry.data) : 0,
      };
    }),
  );
}

const CONTENT_TYPES = Buffer.from('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>');

/** 40 MB of XML in a ~40 kB file: what a zip bomb looks like to a .docx reader. */
export function zipBomb(): Buffer {
  return zipOf([
    { name: '[Content_Types].xml', data: CONTENT_TYPES },
    { name: 'word/document.xml', data: Buffer.alloc(40 * 1024 * 1024, 0x20) },
  ]);
}

/** An entry that claims 1 kB but inflates to 30 MB: the directory lies. */
export function lyingZip(): Buffer {
  return zipOf([
    { name: '[Content_Types].xml', data: CONTENT_TYPES },
    { name: 'word/document.xml', data: Buffer.alloc(30 * 1024 * 1024, 0x20), declaredSize: 1024 },
  ]);
}

/** A zip with more entries than any Word document has. */
export function crowdedZip(count = 5000): Buffer {
  return zipOf([
    { name: '[Content_Types].xml', data: CONTENT_TYPES },
    ...Array.from({ length: count }, (_, i) => ({ name: `word/media/part${i}.xml`, data: Buffer.from('<x/>'), method: 0 as const })),
  ]);
}

/** A zip that is no Word document (no word/ part). */
export function plainZip(): Buffer {
  return zipOf([{ name: 'notes.txt', data: Buffer.from('hello') }]);
}
