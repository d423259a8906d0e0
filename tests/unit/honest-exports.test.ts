import mammoth from 'mammoth';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { exportDocument, type ExportFormat } from '../../server/convert/export-document.js';
import type { ExportOptions } from '../../server/convert/export-model.js';
import { readZipDirectory, readZipEntry } from '../../server/convert/zip-guard.js';
import { agreedDocument, attributionNote } from '../../shared/model/agreed-text.js';
import { getBracketGroup, listBracketGroups, resolveBracket } from '../../shared/model/brackets.js';
import { addAlternative, createBracket, joinBracket, proposeInsertion, supportOption } from '../../shared/model/bracket-proposals.js';
import { consensus, consensusFrom } from '../../shared/model/consensus.js';
import { paragraphStatuses, setParagraphStatus } from '../../shared/model/paragraph-status.js';
import { findBlock, listBlocks } from '../../shared/model/paragraphs.js';
import { BLOCK_ID_ATTR, BLOCK_INDENT_ATTR, BLOCK_NUM_ATTR, type Actor } from '../../shared/schema/negotiation.js';
import { BODY_FRAGMENT, HEADING_LEVEL_ATTR, HEADING_NODE, PARAGRAPH_NODE } from '../../shared/schema/ydoc.js';
import { CHAIR, CHINA, EGYPT, USA } from '../support/model-doc.js';

/**
 * An export says what the text is: "Agreed text" only when the room agreed
 * every paragraph it counts, otherwise a draft that says how far it is and
 * marks what is not agreed; "[...]" where open brackets were left out, with
 * the places on the first page; and in the compilation, who bracketed the
 * text and who proposes and supports each option, in the new words.
 */

const DATE = new Date('2026-03-12T10:00:00Z');
const FORMATS: ExportFormat[] = ['txt', 'md', 'html', 'docx'];
const BRAZIL: Actor = { name: 'Ana Souza', delegation: 'Brazil' };
const KENYA: Actor = { name: 'Wanjiru Kamau', delegation: 'Kenya' };
const INDIA: Actor = { name: 'Priya Nair', delegation: 'India' };
const JAPAN: Actor = { name: 'Kenji Sato', delegation: 'Japan' };
const MEXICO: Actor = { name: 'Luis Ortega', delegation: 'Mexico' };

type Spec = { id: string; text: string; num?: string; indent?: number; heading?: number };

/** A draft report as the room has it: a title line, a heading, numbered paragraphs, a lettered item, an empty line. */
const REPORT: Spec[] = [
  { id: 'title', text: 'Draft final report of the Expert Group' },
  { id: 'h3', heading: 1, text: 'Summary of the discussions' },
  { id: 'p31', num: '3.1', text: 'The Group met four times.' },
  { id: 'p32', num: '3.2', text: 'The Group shall review the ITRs every year.' },
  { id: 'p34', num: '3.4', text: 'Member States shall cooperate on security.' },
  { id: 'p35', num: '3.5', text: 'Some members proposed:' },
  { id: 'p35b', num: 'b)', indent: 1, text: 'to publish the report widely.' },
  { id: 'empty', text: '' },
];
const COUNTED = ['p31', 'p32', 'p34', 'p35', 'p35b'];

function report(specs: Spec[] = REPORT): Y.Doc {
  const doc = new Y.Doc();
  doc.getXmlFragment(BODY_FRAGMENT).insert(
    0,
    specs.map((spec) => {
      const el = new Y.XmlElement(spec.heading ? HEADING_NODE : PARAGRAPH_NODE);
      el.setAttribute(BLOCK_ID_ATTR, spec.id);
      if (spec.heading) el.setAttribute(HEADING_LEVEL_ATTR, spec.heading as unknown as string);
      if (spec.num) el.setAttribute(BLOCK_NUM_ATTR, spec.num);
      if (spec.indent) el.setAttribute(BLOCK_INDENT_ATTR, spec.indent as unknown as string);
      el.insert(0, [new Y.XmlText(spec.text)]);
      return el;
    }),
  );
  return doc;
}

const agree = (doc: Y.Doc, ids: string | string[], status: 'agreed' | 'agreed-ad-ref' | 'open' = 'agreed') =>
  setParagraphStatus(doc, { paragraphId: ids, status, actor: CHAIR });

/** The chair edits a paragraph (locked for everyone else) after it was agreed. */
function edit(doc: Y.Doc, id: string, words: string) {
  const text = findBlock(doc, id)!.element.get(0) as Y.XmlText;
  text.insert(text.length - 1, words);
}

/** Offsets of words in a paragraph, for createBracket. */
function at(doc: Y.Doc, id: string, words: string) {
  const text = (findBlock(doc, id)!.element.get(0) as Y.XmlText).toString();
  const from = text.indexOf(words);
  if (from < 0) throw new Error(`"${words}" is not in ${id}`);
  return { paragraphId: id, from, to: from + words.length };
}

const options = (o: Partial<ExportOptions> = {}): ExportOptions => ({ version: 'agreed', comments: false, title: 'EG-ITRs report', date: DATE, ...o });

function zipPart(docx: Buffer, name: string): string {
  const entry = readZipDirectory(docx).find((e) => e.name === name);
  return entry ? readZipEntry(docx, entry).toString('utf8') : '';
}

/** The text of each real footnote of a Word file, in order (Word's separator notes left out). */
function footnotes(docx: Buffer): string[] {
  return [...zipPart(docx, 'word/footnotes.xml').matchAll(/<w:footnote\b([^>]*)>([\s\S]*?)<\/w:footnote>/g)]
    .filter(([, attrs]) => !/w:type="(separator|continuationSeparator)"/.test(attrs!))
    .map(([, , inner]) => inner!.replace(/<[^>]+>/g, '').trim());
}

/** What a reader sees: Word's text then its footnotes; HTML without tags; Markdown without its escapes. */
async function asText(doc: Y.Doc, format: ExportFormat, o: Partial<ExportOptions> = {}): Promise<string> {
  const file = await exportDocument(doc, format, options(o));
  if (format === 'docx') return `${(await mammoth.extractRawText({ buffer: file.body })).value}\n${footnotes(file.body).join('\n')}`;
  const text = file.body.toString('utf8');
  if (format === 'md') return text.replace(/\\(?=[[\]()*_\\.])/g, '').replace(/\*(\([^)]*\))\*/g, '$1');
  if (format === 'html') return text.replace(/<style>[\s\S]*?<\/style>/, '').replace(/<[^>]+>/g, '');
  return text;
}

describe('the consensus figure', () => {
  it('counts the numbered paragraphs only, and an agreement whose text changed since as open', () => {
    const doc = report();
    // Agreeing the title line and the heading changes no figure: they are not paragraphs.
    agree(doc, ['title', 'h3', 'p31', 'p34']);
    agree(doc, 'p32', 'agreed-ad-ref');
    edit(doc, 'p34', ' and resilience');
    createBracket(doc, { ...at(doc, 'title', 'Draft'), actor: EGYPT });
    createBracket(doc, { ...at(doc, 'p35', 'Some'), actor: BRAZIL });
    const expected = { paragraphs: 5, agreed: 1, agreedAdRef: 1, withOpenBrackets: 1, openGroups: 2, resolvedGroups: 0 };
    expect(consensus(doc)).toEqual(expected);
    // The client's index counts from its own tables through the same function.
    const statuses = paragraphStatuses(doc);
    expect(consensusFrom(listBlocks(doc), (id) => statuses.get(id), listBracketGroups(doc))).toEqual(expected);
  });

  it('in an unnumbered document, counts every paragraph with text, not headings', () => {
    const doc = report([
      { id: 'h', heading: 2, text: 'Opening' },
      { id: 'a', text: 'The meeting opened at ten.' },
      { id: 'b', text: 'The agenda was adopted.' },
      { id: 'gap', text: '   ' },
    ]);
    agree(doc, ['h', 'a']);
    expect(consensus(doc)).toMatchObject({ paragraphs: 2, agreed: 1 });
  });
});

describe('the agreed export', () => {
  it('is titled "Agreed text" only when every counted paragraph is agreed, and otherwise says how far it is', async () => {
    const doc = report();
    agree(doc, COUNTED);
    for (const format of FORMATS) {
      const text = await asText(doc, format);
      expect(text, format).toContain('Agreed text');
      expect(text, format).not.toMatch(/Draft text|Not agreed/);
    }
    expect((await exportDocument(doc, 'docx', options())).fileName).toBe('EG-ITRs report (agreed) 2026-03-12.docx');

    agree(doc, 'p32', 'open');
    agree(doc, 'p34', 'agreed-ad-ref');
    for (const format of FORMATS) {
      const text = await asText(doc, format);
      expect(text, format).toContain('Draft text: 4 of 5 paragraphs agreed (1 ad referendum)');
      expect(text, format).not.toContain('Agreed text');
      expect(text, format).toContain('Member States shall cooperate on security. (agreed ad referendum)');
    }
    expect((await exportDocument(doc, 'txt', options())).fileName).toBe('EG-ITRs report (draft) 2026-03-12.txt');

    // The chair edits 3.1 after it was agreed: it is not agreed any more, and the first page says why.
    edit(doc, 'p31', ', in Geneva');
    for (const format of FORMATS) {
      const text = await asText(doc, format);
      expect(text, format).toContain('Draft text: 3 of 5 paragraphs agreed (1 ad referendum)');
      expect(text, format).toContain('Changed since agreed, hence not agreed: 3.1.');
      expect(text, format).toMatch(/3\.1\s*\(Not agreed\) The Group met four times, in Geneva\./);
    }
  });

  it('marks each counted paragraph that is not agreed, in every format, and nothing else', async () => {
    const doc = report();
    agree(doc, ['p31', 'p35b']);
    const txt = (await exportDocument(doc, 'txt', options())).body.toString('utf8');
    expect(txt).toContain('The 3 paragraphs not agreed are marked (Not agreed).');
    expect(txt.split('\n')).toEqual(
      expect.arrayContaining([
        'Draft final report of the Expert Group',
        'Summary of the discussions',
        '3.1\tThe Group met four times.',
        '3.2\t(Not agreed) The Group shall review the ITRs every year.',
        '3.4\t(Not agreed) Member States shall cooperate on security.',
        '3.5\t(Not agreed) Some members proposed:',
        '\tb)\tto publish the report widely.',
      ]),
    );
    const md = (await exportDocument(doc, 'md', options())).body.toString('utf8');
    expect(md).toContain('3.2\t*(Not agreed)* The Group shall review the ITRs every year.');
    expect(md.match(/\*\(Not agreed\)\* /g)).toHaveLength(3);
    const html = (await exportDocument(doc, 'html', options())).body.toString('utf8');
    expect(html).toContain('<p class="not-agreed" data-num="3.2"><span class="num">3.2</span><span class="flag">(Not agreed)</span> The Group shall');
    expect(html.match(/class="not-agreed"/g)).toHaveLength(3);
    const docx = (await exportDocument(doc, 'docx', options())).body;
    expect(zipPart(docx, 'word/document.xml').match(/<w:rStyle w:val="NotAgreed"\/>/g)).toHaveLength(3);
    expect(zipPart(docx, 'word/styles.xml')).toContain('<w:name w:val="Not agreed"/>');
    const word = (await mammoth.extractRawText({ buffer: docx })).value;
    expect(word).toContain('3.2\t(Not agreed) The Group shall review the ITRs every year.');
    expect(word).toContain('3.1\tThe Group met four times.');
  });

  function withOpenBrackets() {
    const doc = report();
    agree(doc, ['p31', 'p32', 'p35']);
    const security = createBracket(doc, { ...at(doc, 'p34', 'security'), actor: EGYPT });
    addAlternative(doc, { groupId: security.groupId, text: 'cybersecurity', actor: USA });
    createBracket(doc, { ...at(doc, 'p35b', 'widely'), actor: BRAZIL, propose: { text: '' } });
    return doc;
  }

  it('with unresolved=omit: "[...]" stands in each place left out, and the first page lists the places', async () => {
    const doc = withOpenBrackets();
    for (const format of FORMATS) {
      const text = await asText(doc, format, { unresolved: 'omit' });
      const notice = 'This text leaves out 2 unresolved brackets on which there is no agreement, each marked [...], in: 3.4, 3.5 b).';
      expect(text, format).toContain(notice);
      expect(text.indexOf(notice), format).toBeLessThan(text.indexOf('The Group met four times.'));
      expect(text, format).toContain('(Not agreed) Member States shall cooperate on [...].');
      expect(text, format).toContain('(Not agreed) to publish the report [...].');
      expect(text, format).not.toMatch(/security|widely|\S {2,}\S/);
    }
  });

  it('keeps the spaces around a bracket outside it, kept or left out', async () => {
    const doc = report();
    proposeInsertion(doc, { paragraphId: 'p34', at: 'Member States shall cooperate on security'.length, text: ' at all levels', actor: EGYPT });
    for (const format of FORMATS) {
      expect(await asText(doc, format, { unresolved: 'omit' }), format).toContain('cooperate on security [...].');
      expect(await asText(doc, format, { version: 'bracketed' }), format).toMatch(/cooperate on security \[at all levels( \(Egypt\))?\]/);
    }
  });

  it('with unresolved=keep: the open brackets read as in the compilation text', async () => {
    const doc = withOpenBrackets();
    for (const format of ['txt', 'md', 'html'] as const) {
      const kept = await asText(doc, format, { unresolved: 'keep' });
      const compilation = await asText(doc, format, { version: 'bracketed' });
      for (const bracket of ['cooperate on [security / cybersecurity (United States)]', 'the report [widely / delete (Brazil)]']) {
        expect(kept, format).toContain(bracket);
        expect(compilation, format).toContain(bracket);
      }
      expect(kept, format).toContain('Bracketed by Brazil. A (original text) “widely”. B (delete): proposed by Brazil.');
    }
  });
});

describe('the compilation text', () => {
  /** 3.2: Brazil brackets "every year", Kenya too; Egypt proposes "every two years", Brazil supports it; the United States proposes deleting, four support that. 3.1: Egypt proposes an insertion. */
  function negotiated() {
    const doc = report();
    const { groupId } = createBracket(doc, { ...at(doc, 'p32', 'every year'), actor: BRAZIL });
    joinBracket(doc, { groupId, actor: KENYA });
    const alternative = addAlternative(doc, { groupId, text: 'every two years', actor: EGYPT });
    supportOption(doc, { groupId, optionId: alternative.optionId, actor: BRAZIL });
    const deletion = addAlternative(doc, { groupId, text: '', actor: USA });
    for (const actor of [CHINA, INDIA, JAPAN, MEXICO]) supportOption(doc, { groupId, optionId: deletion.optionId, actor });
    proposeInsertion(doc, { paragraphId: 'p31', at: 'The Group met four times'.length, text: ' in Geneva', actor: EGYPT });
    return { doc, groupId };
  }

  const NOTE_32 =
    'Bracketed by Brazil, Kenya. A (original text) “every year”. B “every two years”: proposed by Egypt; supported by Brazil. C (delete): proposed by United States; supported by China, India, Japan, Mexico.';

  it('reads [original / alternative (proponents) / delete (proponents)], with who bracketed, proposed and supported in the notes', async () => {
    const { doc } = negotiated();
    for (const format of ['txt', 'md', 'html'] as const) {
      const text = await asText(doc, format, { version: 'bracketed' });
      expect(text, format).toContain('3.2');
      expect(text, format).toContain('the ITRs [every year / every two years (Egypt) / delete (United States)]');
      expect(text, format).toContain('The Group met four times [in Geneva (Egypt)]');
      expect(text, format).toContain(NOTE_32);
      expect(text, format).toContain('Proposed insertion. A “in Geneva”: proposed by Egypt.');
    }
  });

  it('in Word: one footnote per bracket, naming every delegation, the original text proposed by nobody', async () => {
    const { doc } = negotiated();
    const docx = (await exportDocument(doc, 'docx', options({ version: 'bracketed' }))).body;
    const notes = footnotes(docx);
    expect(notes).toEqual(['Proposed insertion. A “in Geneva”: proposed by Egypt.', NOTE_32]);
    const [, note] = notes;
    expect(note).toMatch(/^Bracketed by Brazil, Kenya\./);
    expect(note).toContain('“every two years”: proposed by Egypt');
    expect(note).toContain('(delete): proposed by United States');
    // Nobody proposes or supports the original text: nothing follows it but the next option.
    expect(note).toMatch(/A \(original text\) “every year”\. B /);
    expect(zipPart(docx, 'word/document.xml').match(/<w:footnoteReference /g)).toHaveLength(2);
    const word = (await mammoth.extractRawText({ buffer: docx })).value;
    expect(word).toContain('the ITRs [every year / every two years / delete].');
  });

  it('a resolution record reads in the same words as the bracket it resolved', () => {
    const { doc, groupId } = negotiated();
    const open = agreedDocument(doc).open.find((g) => g.groupId === groupId)!;
    expect(attributionNote(open)).toBe(NOTE_32);
    const chosen = getBracketGroup(doc, groupId).options[1]!.id;
    const resolution = resolveBracket(doc, { groupId, outcome: 'chosen', optionId: chosen, actor: CHAIR });
    expect(attributionNote({ bracketedBy: resolution.bracketedBy ?? [], options: resolution.options })).toBe(NOTE_32);
  });
});
