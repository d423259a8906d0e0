import { describe, expect, it } from 'vitest';
import { createBracket } from '../../shared/model/bracket-proposals.js';
import { changesMap } from '../../shared/model/paragraph-changes.js';
import { agreementText, listBlocks } from '../../shared/model/paragraphs.js';
import { exportComparison } from '../../server/convert/export-comparison.js';
import { readZipDirectory, readZipEntry } from '../../server/convert/zip-guard.js';
import { EGYPT, docWithParagraphs } from '../support/model-doc.js';
import { BRAZIL_CLIENT, EGYPT_CLIENT, bodyOf, compare, editAs, later, newParagraph, textOf } from '../support/reading-docs.js';
import type * as Y from 'yjs';

function documentXml(docx: Buffer): string {
  const entry = readZipDirectory(docx).find((e) => e.name === 'word/document.xml')!;
  return readZipEntry(docx, entry).toString('utf8');
}

/** The text paragraphs of the file (after the heading of the text section), with the revisions accepted or rejected. */
function textSection(xml: string, take: 'accept' | 'reject'): string[] {
  const paragraphs = xml.split('</w:p>').map((p) => p.replace(/^.*?<w:p[ >]/s, '<w:p>'));
  const start = paragraphs.findIndex((p) => p.includes('Text, with the changes tracked'));
  const drop = take === 'accept' ? /<w:del [^>]*>.*?<\/w:del>/gs : /<w:ins [^>]*>.*?<\/w:ins>/gs;
  return paragraphs
    .slice(start + 1)
    .map((p) =>
      [...p.replace(drop, '').matchAll(/<w:(?:t|delText)(?: [^>]*)?>([^<]*)<\/w:(?:t|delText)>/g)]
        .map((m) => m[1]!.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'"))
        .join(''),
    )
    .filter((t) => t.length > 0);
}

const linesOf = (doc: Y.Doc) => listBlocks(doc).map((b) => `${b.ref ? `${b.ref} ` : ''}${agreementText(b.element)}`);

function twoReadings() {
  const before = docWithParagraphs([
    { num: '1', text: 'The Conference shall adopt the report & annexes.' },
    { num: '2', text: 'Member States should cooperate.' },
    { num: '3', text: 'This paragraph goes.' },
    { num: '4', text: 'يعتمد المؤتمر التقرير.' },
  ]);
  const after = later(before, EGYPT_CLIENT);
  textOf(after, 0).insert(15, 'may, if it wishes, ');
  bodyOf(after).delete(2, 1);
  listBlocks(after)[2]!.element.setAttribute('num', '3');
  editAs(after, BRAZIL_CLIENT, (d) => {
    textOf(d, 1).delete(14, 7);
    bodyOf(d).insert(2, [newParagraph('p9', 'A new paragraph by Brazil.')]);
  });
  changesMap(after).set('p1', [{ delegation: 'Brazil', name: 'Ana', at: '2026-01-02T09:00:00.000Z', kind: 'edited' }]);
  createBracket(after, { paragraphId: 'p0', from: 0, to: 3, actor: EGYPT });
  return { before, after, comparison: compare(before, after) };
}

describe('exportComparison', () => {
  it('writes Word revisions by the delegations; accepting all gives the later text, rejecting all the earlier one', async () => {
    const { before, after, comparison } = twoReadings();
    const file = await exportComparison(comparison, 'docx', { title: 'EG-ITRs report' });
    expect(file.contentType).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(file.fileName).toBe('EG-ITRs report - Rev.1 to Live text.docx');
    const xml = documentXml(file.body);
    expect(xml).toMatch(/<w:ins [^>]*w:author="Egypt"[^>]*>.*?may, if it wishes, /s);
    expect(xml).toMatch(/<w:ins [^>]*w:author="Brazil"[^>]*>.*?A new paragraph by Brazil\./s);
    expect(xml).toMatch(/<w:del [^>]*w:author="Brazil"[^>]*>.*?should /s);
    expect(xml).toMatch(/<w:del [^>]*w:author="Unknown"[^>]*>.*?This paragraph goes\./s);
    expect(xml).toContain('w:date="2026-01-02T10:00:00Z"');
    const ids = [...xml.matchAll(/<w:(?:ins|del) w:id="(\d+)"/g)].map((m) => m[1]);
    expect(ids.length).toBeGreaterThan(4);
    expect(new Set(ids).size).toBe(ids.length);
    expect(xml).toContain('bracket opened by Egypt');
    // The paragraph marks of the deleted and the inserted paragraph are revisions too.
    expect(xml).toMatch(/<w:pPr><w:rPr><w:del [^>]*w:author="Unknown"[^>]*\/><\/w:rPr><\/w:pPr>(?:(?!<\/w:p>).)*This paragraph goes\./s);
    expect(xml).toMatch(/<w:pPr><w:rPr><w:ins [^>]*w:author="Brazil"[^>]*\/><\/w:rPr><\/w:pPr>(?:(?!<\/w:p>).)*A new paragraph by Brazil\./s);
    expect(textSection(xml, 'accept')).toEqual(linesOf(after));
    expect(textSection(xml, 'reject')).toEqual(linesOf(before));
  });

  it('writes a print-friendly page: insertions underlined, deletions struck, events listed, text escaped', async () => {
    const { comparison } = twoReadings();
    const file = await exportComparison(comparison, 'html', { title: 'EG-ITRs <report>' });
    const html = file.body.toString('utf8');
    expect(file.contentType).toBe('text/html; charset=utf-8');
    expect(html).toContain('<title>EG-ITRs &lt;report&gt;');
    expect(html).toMatch(/ins \{[^}]*text-decoration: underline/);
    expect(html).toMatch(/del \{[^}]*text-decoration: line-through/);
    expect(html).toContain('<ins title="Egypt">may, if it wishes, </ins>');
    expect(html).toContain('<del title="Brazil">should </del>');
    expect(html).toContain('report &amp; annexes.');
    expect(html).toContain('<li><a href="#p-p0"><span class="ref">1</span></a>: bracket opened by Egypt</li>');
    expect(html).toContain('<p id="p-p0">');
    expect(html).not.toContain('<script');
  });
});
