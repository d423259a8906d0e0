import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { decodeText, detectFormat } from '../../server/convert/detect-format.js';
import { importDocx } from '../../server/convert/docx.js';
import { importFile } from '../../server/convert/import-file.js';
import { UnprocessableEntityError, UnsupportedMediaTypeError } from '../../server/errors.js';
import { listThreads } from '../../shared/model/comments.js';
import { findBlockByRef } from '../../shared/model/paragraphs.js';
import { BODY_FRAGMENT } from '../../shared/schema/ydoc.js';
import { crowdedZip, lyingZip, plainZip, sampleWordDraft, zipBomb } from '../support/docx-fixtures.js';

const load = (update: Uint8Array) => {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  return doc;
};
const body = (doc: Y.Doc) => doc.getXmlFragment(BODY_FRAGMENT).toString().replace(/ id="[^"]*"/g, '');

describe('Word (.docx) import', () => {
  it('keeps headings, typed numbers, marks, links, footnotes, comments, lists and tables', async () => {
    const result = await importDocx(await sampleWordDraft());
    const doc = load(result.update);
    expect(body(doc)).toBe(
      '<heading level="1" num="1">Introduction</heading>' +
        '<paragraph num="1.1">The Group <bold>shall</bold> review the <italic>ITRs</italic> <underline>every year</underline>.' +
        '<footnote text="Resolution 146 (Rev. Bucharest, 2022)."></footnote> See <link href="https://www.itu.int/">the ITU site</link>.</paragraph>' +
        '<paragraph num="1.2">Sixth meeting, 19 January 2026.</paragraph>' +
        '<paragraph indent="1" num="a)">first lettered item</paragraph>' +
        '<bulletlist><listitem><paragraph>First bullet</paragraph></listitem><listitem><paragraph>Second bullet</paragraph></listitem></bulletlist>' +
        '<paragraph>Region\tVice-Chair</paragraph><paragraph>Africa\tMr Kouakou</paragraph>' +
        '<heading level="2">Annex</heading>',
    );
    const [thread] = listThreads(doc);
    expect(thread).toMatchObject({ paragraphId: findBlockByRef(doc, '1.2')!.id });
    expect(thread!.messages).toMatchObject([{ author: { name: 'Shahira Selim', delegation: 'Original document' }, text: 'Link to be inserted' }]);
    expect(result.warnings).toEqual(['1 table(s) were imported as one paragraph per row, cells separated by TAB.']);
  });

  it('refuses a zip bomb before mammoth reads it', async () => {
    await expect(importDocx(zipBomb())).rejects.toThrow(/zip bomb/);
    await expect(importDocx(zipBomb())).rejects.toBeInstanceOf(UnprocessableEntityError);
  });

  it('refuses a zip whose entry inflates to more than it declares', async () => {
    await expect(importDocx(lyingZip())).rejects.toThrow(/more data than it declares/);
  });

  it('refuses a zip with thousands of entries', async () => {
    await expect(importDocx(crowdedZip())).rejects.toThrow(/5001 parts/);
  });

  it('refuses a zip without a Word document, a cut-off file and garbage, as unprocessable', async () => {
    const word = await sampleWordDraft();
    for (const bad of [plainZip(), word.subarray(0, Math.floor(word.length / 2)), Buffer.from('PK\u0003\u0004 then nonsense')]) {
      await expect(importDocx(bad)).rejects.toBeInstanceOf(UnprocessableEntityError);
    }
    // A damaged part: the document's deflate stream overwritten in the middle.
    const damaged = Buffer.from(word);
    const at = damaged.indexOf('word/document.xml') + 40;
    damaged.fill(0xff, at, at + 64);
    await expect(importDocx(damaged)).rejects.toBeInstanceOf(UnprocessableEntityError);
  });
});

describe('format detection', () => {
  const text = Buffer.from('1\tIntroduction\n');

  it('goes by the extension, and checks the content agrees', () => {
    expect(detectFormat('Report.DOCX', Buffer.from('PK\u0003\u0004...'))).toBe('docx');
    expect(detectFormat('a.md', text)).toBe('md');
    expect(detectFormat('a.htm', text)).toBe('html');
    expect(detectFormat('a.txt', text)).toBe('txt');
    expect(() => detectFormat('a.docx', text)).toThrow(UnprocessableEntityError);
    expect(() => detectFormat('a.txt', Buffer.from('PK\u0003\u0004 zip'))).toThrow(UnprocessableEntityError);
    expect(() => detectFormat('a.txt', Buffer.from('%PDF-1.7'))).toThrow(UnprocessableEntityError);
    expect(() => detectFormat('a.docx', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))).toThrow(/password-protected/);
  });

  it('refuses formats it does not read with 415', () => {
    for (const name of ['a.pdf', 'a.doc', 'a.odt', 'a.rtf', 'a.png', 'a.exe']) {
      expect(() => detectFormat(name, text)).toThrow(UnsupportedMediaTypeError);
    }
    expect(() => detectFormat('noextension', Buffer.from('%PDF-1.7'))).toThrow(UnsupportedMediaTypeError);
  });

  it('sniffs files without an extension', () => {
    expect(detectFormat('upload', Buffer.from('PK\u0003\u0004'))).toBe('docx');
    expect(detectFormat('upload', Buffer.from('  <!DOCTYPE html><p>x</p>'))).toBe('html');
    expect(detectFormat('upload', Buffer.from('# Title\n\ntext'))).toBe('md');
    expect(detectFormat('upload', text)).toBe('txt');
  });

  it('reads UTF-8 and UTF-16 with a BOM, and refuses anything else', () => {
    expect(decodeText(Buffer.from('\uFEFFDélégation', 'utf8'))).toBe('Délégation');
    expect(decodeText(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Délégation', 'utf16le')]))).toBe('Délégation');
    expect(() => decodeText(Buffer.from('D\xe9l\xe9gation', 'latin1'))).toThrow(/not valid UTF-8/);
    expect(() => decodeText(Buffer.from('a\u0000b'))).toThrow(/binary/);
    expect(() => detectFormat('empty.txt', Buffer.alloc(0))).toThrow(/empty/);
  });

  it('refuses a file with no text in it', async () => {
    await expect(importFile('blank.txt', Buffer.from('\n  \n[bookmark: _GoBack]\n'))).rejects.toThrow(/no text/);
  });
});
