import mammoth from 'mammoth';
import { describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { exportDocument, type ExportFormat } from '../../server/convert/export-document.js';
import { buildExport, type ExportOptions } from '../../server/convert/export-model.js';
import { readZipDirectory, readZipEntry } from '../../server/convert/zip-guard.js';
import { UnresolvedBracketsError } from '../../server/errors.js';
import { resolveBracket } from '../../shared/model/brackets.js';
import { addAlternative, createBracket, supportOption } from '../../shared/model/bracket-proposals.js';
import { addThread, reply, setThreadStatus } from '../../shared/model/comments.js';
import { setParagraphStatus } from '../../shared/model/paragraph-status.js';
import { body } from '../../shared/model/paragraphs.js';
import { CHAIR, CHINA, EGYPT, USA, docWithParagraphs } from '../support/model-doc.js';

const SENTENCE = 'The Group shall review the ITRs every year.';
const DATE = new Date('2026-03-12T10:00:00Z');

function draft(): Y.Doc {
  return docWithParagraphs([{ num: '1.1', text: SENTENCE }, { num: '1.2', text: 'Members thanked the Chair.' }, 'Closing text.']);
}

/** "every year" bracketed by Egypt (the original text), China supports keeping it, the United States proposes "every two years". */
function withOpenBracket(doc = draft()) {
  const from = SENTENCE.indexOf('every year');
  const { groupId, optionId } = createBracket(doc, { paragraphId: 'p0', from, to: from + 'every year'.length, actor: EGYPT });
  supportOption(doc, { groupId, optionId, actor: CHINA });
  const alternative = addAlternative(doc, { groupId, text: 'every two years', actor: USA });
  return { doc, groupId, optionId, alternative: alternative.optionId };
}

const options = (o: Partial<ExportOptions> = {}): ExportOptions => ({ version: 'agreed', comments: false, title: 'Draft report', date: DATE, ...o });

/** What a reader of the file sees, as text; Word's footnotes follow its text (mammoth's raw text leaves them out). */
async function asText(doc: Y.Doc, format: ExportFormat, o: Partial<ExportOptions> = {}): Promise<string> {
  const file = await exportDocument(doc, format, options(o));
  if (format === 'docx') return `${(await mammoth.extractRawText({ buffer: file.body })).value}\n${footnotesText(file.body)}`;
  const text = file.body.toString('utf8');
  return format === 'html' ? visibleText(text) : text;
}

/** What a reader of the HTML sees: no stylesheet, no tags. */
function visibleText(html: string): string {
  return html
    .replace(/<style>[\s\S]*?<\/style>/, '')
    .replace(/<[^>]+>/g, '')
    .replace(/&(lt|gt|quot|#39|amp);/g, (_m, e: string) => ({ lt: '<', gt: '>', quot: '"', '#39': "'", amp: '&' })[e]!);
}

/** The text of a Word file's footnotes part. */
function footnotesText(docx: Buffer): string {
  const part = readZipDirectory(docx).find((e) => e.name === 'word/footnotes.xml');
  return part ? readZipEntry(docx, part).toString('utf8').replace(/<[^>]+>/g, '') : '';
}

const TEXT_FORMATS: ExportFormat[] = ['txt', 'md', 'html', 'docx'];

describe('agreed text', () => {
  it('with every bracket resolved: the chosen text, and no bracket left', async () => {
    const { doc, groupId, alternative } = withOpenBracket();
    resolveBracket(doc, { groupId, outcome: 'chosen', optionId: alternative, actor: CHAIR });
    for (const format of TEXT_FORMATS) {
      const text = await asText(doc, format);
      expect(text, format).toContain('The Group shall review the ITRs every two years.');
      expect(text, format).not.toContain('every year.');
      expect(text, format).not.toMatch(/[[\]]/);
      expect(text, format).not.toContain('unresolved');
    }
  });

  it('with an open bracket: refused, listing where it is and who proposed what', () => {
    const { doc } = withOpenBracket();
    let error: unknown;
    try {
      buildExport(doc, options());
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(UnresolvedBracketsError);
    const open = (error as UnresolvedBracketsError).open;
    expect(open).toEqual([
      {
        ref: '1.1',
        paragraphId: 'p0',
        bracketedBy: ['Egypt'],
        options: [
          { label: 'A', kind: 'original', text: 'every year', proponents: [], supporters: ['China'] },
          { label: 'B', kind: 'text', text: 'every two years', proponents: ['United States'], supporters: [] },
        ],
      },
    ]);
    expect((error as Error).message).toMatch(/1 open bracket/);
  });

  it('keeping open brackets: shown as in the compilation text, with their note, and the first page says how many', async () => {
    const { doc } = withOpenBracket();
    for (const format of TEXT_FORMATS) {
      const text = await asText(doc, format, { unresolved: 'keep' });
      const notice = text.indexOf('This text contains 1 unresolved bracket');
      expect(notice, format).toBeGreaterThan(-1);
      expect(notice, format).toBeLessThan(text.indexOf('Members thanked'));
      // Word names nobody in the text: its footnote does.
      const shown = format === 'docx' ? '[every year / every two years]' : '[every year / every two years (United States)]';
      expect(text.replace(/\\/g, ''), format).toContain(`the ITRs ${shown}`);
      expect(text, format).toContain('Bracketed by Egypt. A (original text) “every year”: supported by China. B “every two years”: proposed by United States.');
    }
  });

  it('omitting open brackets: "[...]" stands where their text was, and the first page says where', async () => {
    const { doc } = withOpenBracket();
    for (const format of TEXT_FORMATS) {
      const text = (await asText(doc, format, { unresolved: 'omit' })).replace(/\\/g, '');
      expect(text, format).toContain('This text leaves out 1 unresolved bracket on which there is no agreement, each marked [...], in: 1.1.');
      expect(text, format).toContain('The Group shall review the ITRs [...].');
      expect(text, format).not.toMatch(/\S {2}\S/);
      expect(text, format).not.toContain('every year');
      expect(text, format).not.toContain('every two years');
    }
  });

  it('names an unnumbered place by its paragraph position', () => {
    const doc = draft();
    createBracket(doc, { paragraphId: 'p2', from: 0, to: 7, actor: EGYPT });
    expect(buildExport(doc, options({ unresolved: 'omit' })).notices).toContain(
      'This text leaves out 1 unresolved bracket on which there is no agreement, each marked [...], in: paragraph 3.',
    );
  });
});

describe('compilation text with square brackets', () => {
  it('shows the original text unattributed, each alternative and the deletion with their proponents, and the paragraph statuses', async () => {
    const { doc, groupId } = withOpenBracket();
    // China moves from keeping the original text to proposing its deletion.
    addAlternative(doc, { groupId, text: '', actor: CHINA });
    setParagraphStatus(doc, { paragraphId: 'p1', status: 'agreed', actor: CHAIR });
    for (const format of ['txt', 'md', 'html'] as const) {
      const text = await asText(doc, format, { version: 'bracketed' });
      expect(text, format).toContain('Compilation text with square brackets');
      expect(text.replace(/\\/g, ''), format).toContain('[every year / every two years (United States) / delete (China)]');
      expect(text, format).toContain('Bracketed by Egypt. A (original text) “every year”. B “every two years”: proposed by United States. C (delete): proposed by China.');
      expect(text, format).toMatch(/Members thanked the Chair\.\s*(<span class="status">|\*)?\(agreed\)/);
    }
  });

  it('in Word, puts who bracketed and who stands behind each option in one footnote per bracket', async () => {
    const { doc } = withOpenBracket();
    setParagraphStatus(doc, { paragraphId: 'p1', status: 'agreed-ad-ref', actor: CHAIR });
    const file = await exportDocument(doc, 'docx', options({ version: 'bracketed' }));
    const { value: html } = await mammoth.convertToHtml({ buffer: file.body });
    expect(html).toMatch(/the ITRs <strong>\[<\/strong>every year<strong> \/ <\/strong>every two years<strong>\]<\/strong><sup><a href="#footnote-1"/);
    expect(html).toContain(
      '<li id="footnote-1"><p> Bracketed by Egypt. A (original text) “every year”: supported by China. B “every two years”: proposed by United States.',
    );
    expect(html).not.toContain('footnote-2');
    expect(html).toContain('Members thanked the Chair.<em> (agreed ad referendum)</em>');
  });
});

describe('comments', () => {
  function withComments() {
    const doc = draft();
    const { threadId } = addThread(doc, { paragraphId: 'p0', text: 'Why every year?', actor: USA });
    reply(doc, { threadId, text: 'To keep pace with technology.', actor: EGYPT });
    const second = addThread(doc, { paragraphId: 'p1', text: 'Fine as is.', actor: CHINA });
    setThreadStatus(doc, { threadId: second.threadId, status: 'resolved', actor: CHAIR });
    return doc;
  }

  it('become Word comments, replies threaded under the first', async () => {
    const file = await exportDocument(withComments(), 'docx', options({ comments: true }));
    const entries = readZipDirectory(file.body);
    const comments = readZipEntry(file.body, entries.find((e) => e.name === 'word/comments.xml')!).toString('utf8');
    expect(comments).toContain('w:author="John Smith (United States)"');
    expect(comments).toContain('Why every year?');
    expect(comments).toContain('w:author="Amina Hassan (Egypt)"');
    expect(comments).toContain('To keep pace with technology.');
    const extended = readZipEntry(file.body, entries.find((e) => e.name === 'word/commentsExtended.xml')!).toString('utf8');
    expect(extended).toContain('w15:paraIdParent');
    expect(extended).toContain('w15:done="1"');
    const document = readZipEntry(file.body, entries.find((e) => e.name === 'word/document.xml')!).toString('utf8');
    expect(document.match(/<w:commentRangeStart /g)).toHaveLength(3);
  });

  it('are listed under their paragraph in the other formats, and left out unless asked for', async () => {
    const doc = withComments();
    const txt = await asText(doc, 'txt', { comments: true });
    expect(txt).toContain(
      'The Group shall review the ITRs every year.\n\tComment by John Smith (United States): Why every year?\n\tReply by Amina Hassan (Egypt): To keep pace with technology.\n',
    );
    const html = (await exportDocument(doc, 'html', options({ comments: true }))).body.toString();
    expect(html).toContain('<strong>John Smith (United States)</strong>: Why every year?');
    expect(html).toContain('Fine as is. <em>(resolved)</em>');
    expect(await asText(doc, 'md', { comments: true })).toContain('> Comment by Li Wei (China): Fine as is.');
    for (const format of TEXT_FORMATS) expect(await asText(doc, format), format).not.toContain('Why every year?');
  });

  it('on a deleted paragraph are still exported, at the end', async () => {
    const doc = withComments();
    body(doc).delete(1, 1);
    const txt = await asText(doc, 'txt', { comments: true });
    expect(txt).toMatch(/Comments on paragraphs that were deleted\n\tComment by Li Wei \(China\): Fine as is\./);
  });
});

describe('files', () => {
  it('are named after the title, version and date, with the right type', async () => {
    const doc = draft();
    const file = await exportDocument(doc, 'docx', options({ title: 'Report: EG/ITRs "final"' }));
    // Nothing is agreed yet: the name says draft, as the first page does.
    expect(file.fileName).toBe('Report EG ITRs final (draft) 2026-03-12.docx');
    expect(file.contentType).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(file.body.subarray(0, 2).toString()).toBe('PK');
    const compilation = await exportDocument(doc, 'html', options({ version: 'bracketed' }));
    expect(compilation.fileName).toBe('Draft report (compilation) 2026-03-12.html');
    expect(compilation.contentType).toBe('text/html; charset=utf-8');
  });

  it('HTML escapes every text and carries no script', async () => {
    const doc = docWithParagraphs(['<script>alert(1)</script> & "quotes"']);
    const html = (await exportDocument(doc, 'html', options({ title: '<img src=x onerror=alert(1)>' }))).body.toString();
    expect(html).not.toMatch(/<script|<img/);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;');
    expect(html).toContain('<title>&lt;img src=x onerror=alert(1)&gt; — Draft text: 0 of 1 paragraph agreed</title>');
  });

  it('Word has page numbers in the footer', async () => {
    const file = await exportDocument(draft(), 'docx', options());
    const entries = readZipDirectory(file.body);
    const footer = entries.find((e) => /^word\/footer\d*\.xml$/.test(e.name))!;
    expect(readZipEntry(file.body, footer).toString('utf8')).toContain('PAGE');
  });
});
