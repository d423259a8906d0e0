import fs from 'node:fs';
import path from 'node:path';
import mammoth from 'mammoth';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { exportDocument, type ExportFormat } from '../../server/convert/export-document.js';
import { importFile } from '../../server/convert/import-file.js';
import { importPlainText } from '../../server/convert/plain-text.js';
import { listThreads } from '../../shared/model/comments.js';
import { setParagraphStatus } from '../../shared/model/paragraph-status.js';
import { countedBlocks, findBlockByRef, listBlocks } from '../../shared/model/paragraphs.js';
import { BODY_FRAGMENT } from '../../shared/schema/ydoc.js';

/**
 * Every importer on every seed: the seed is imported from its plain text, made
 * into each format by our exporter, and imported back by that format's
 * importer. What comes back must be the same paragraphs, with the same kinds,
 * numbers, indentation, marks and footnotes, and the report's comment.
 */

const SEEDS = path.resolve(import.meta.dirname, '../../seeds');
const seeds = fs.readdirSync(SEEDS).filter((f) => f.endsWith('.txt'));
const FORMATS: ExportFormat[] = ['docx', 'html', 'md', 'txt'];
/** Title, version and date come first in every export. */
const TITLE_BLOCK = 3;

const load = (update: Uint8Array) => {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  return doc;
};

/**
 * A seed with every paragraph agreed: its agreed export is then the clean
 * text (a draft's marks each paragraph not agreed, which no importer should
 * take for the text).
 */
const agreedSeed = (file: string) => {
  const doc = load(importPlainText(fs.readFileSync(path.join(SEEDS, file), 'utf8')).update);
  const ids = countedBlocks(listBlocks(doc)).map((b) => b.id!);
  if (ids.length > 0) setParagraphStatus(doc, { paragraphId: ids, status: 'agreed', actor: { name: 'Chair', delegation: 'Chair' } });
  return doc;
};

/** One line per block: kind, level, number, indent and content with marks and footnotes, ids left out. */
function signature(doc: Y.Doc, normaliseSpaces = false): string[] {
  return listBlocks(doc).map((b) => {
    const content = b.element
      .toArray()
      .map((c) => c.toString())
      .join('');
    const text = normaliseSpaces ? content.replace(/ {2,}/g, ' ') : content;
    return [b.element.nodeName, b.element.getAttribute('level') ?? '', b.num ?? '', b.element.getAttribute('indent') ?? '', text].join('|');
  });
}

describe('import of each format, on each seed', () => {
  for (const file of seeds) {
    const original = agreedSeed(file);
    for (const format of FORMATS) {
      it(`${file} as ${format}`, async () => {
        const exported = await exportDocument(original, format, { version: 'agreed', comments: true, title: 'Seed' });
        const back = await importFile(`seed.${format}`, exported.body);
        const doc = load(back.update);
        expect(back.format).toBe(format);
        expect(back.warnings).toEqual([]);
        expect(back.paragraphCount).toBe(listBlocks(original).length + TITLE_BLOCK);
        // HTML's own rules fold runs of spaces, which a few seed lines have by accident.
        const html = format === 'html';
        expect(signature(doc, html).slice(TITLE_BLOCK)).toEqual(signature(original, html));
        expect(doc.getXmlFragment(BODY_FRAGMENT).toString()).not.toContain('[bookmark');
        // Comments come back from Word, Markdown and text; HTML shows them to readers only.
        const threads = listThreads(doc).map((t) => [t.paragraphId, t.messages.map((m) => [m.author.name, m.text])]);
        const expected = listThreads(original).map((t) => [t.paragraphId, t.messages.map((m) => [m.author.name, m.text])]);
        if (html) expect(threads).toEqual([]);
        else expect(threads.map((t) => t[1])).toEqual(expected.map((t) => t[1]));
      });
    }
  }

  it('the report comes back with its comment still on 2.6 (Word)', async () => {
    const original = agreedSeed('002_d139c0fac23d053a.txt');
    const exported = await exportDocument(original, 'docx', { version: 'agreed', comments: true, title: 'Report' });
    const doc = load((await importFile('report.docx', exported.body)).update);
    const [thread] = listThreads(doc);
    expect(thread?.paragraphId).toBe(findBlockByRef(doc, '2.6')!.id);
    expect(thread?.messages[0]).toMatchObject({ author: { name: 'Author', delegation: 'Original document' } });
  });

  it('read back by mammoth itself, the Word export of 001 has its four footnotes and the numbers before a TAB', async () => {
    const original = agreedSeed('001_9afd2113542a08d2.txt');
    const exported = await exportDocument(original, 'docx', { version: 'agreed', comments: false, title: 'Proposal' });
    const { value: html } = await mammoth.convertToHtml({ buffer: exported.body });
    expect([...html.matchAll(/<li id="footnote-\d+">/g)]).toHaveLength(4);
    expect(html).toContain('<li id="footnote-2"><p> Res 140 (Rev. Dubai, 2018).');
    expect(html).toContain('<h1>1\tPreamble</h1>');
    expect(html).toContain('<p>a)\tArticle 1 – Purpose and scope</p>');
  });
});
