import fc from 'fast-check';
import mammoth from 'mammoth';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { exportDocument, type ExportFormat } from '../../server/convert/export-document.js';
import { NOT_AGREED_FLAG, type ExportOptions } from '../../server/convert/export-model.js';
import { agreedDocument, agreedPlainText } from '../../shared/model/agreed-text.js';
import { bracketGroups, listBracketGroups, resolveBracket } from '../../shared/model/brackets.js';
import { addAlternative, createBracket, supportOption } from '../../shared/model/bracket-proposals.js';
import { ModelError } from '../../shared/model/errors.js';
import { findBlock } from '../../shared/model/paragraphs.js';
import { BRACKET_MARK, BracketGroupKeys as G } from '../../shared/schema/negotiation.js';
import { FOOTNOTE_NODE, FOOTNOTE_TEXT_ATTR, HARD_BREAK_NODE } from '../../shared/schema/ydoc.js';
import { CHAIR, CHINA, EGYPT, USA, docWithParagraphs } from '../support/model-doc.js';

/**
 * The agreed text is computed once (shared/model/agreed-text.ts) and every
 * export is laid out from it. These are the cases where the exports used to
 * re-derive it and answered otherwise; each now has one answer, the same in
 * the model and in every format.
 */

const DATE = new Date('2026-03-12T10:00:00Z');
const FORMATS: ExportFormat[] = ['txt', 'md', 'html', 'docx'];
const SENTENCE = 'The Group shall review the ITRs every year.';
const options = (o: Partial<ExportOptions> = {}): ExportOptions => ({ version: 'agreed', comments: false, title: 'Draft', date: DATE, ...o });

/** What a reader of the file sees, as text (Markdown's escapes removed). */
async function asText(doc: Y.Doc, format: ExportFormat, o: Partial<ExportOptions> = {}): Promise<string> {
  const file = await exportDocument(doc, format, options(o));
  if (format === 'docx') return (await mammoth.extractRawText({ buffer: file.body })).value;
  const text = file.body.toString('utf8');
  if (format === 'md') return text.replace(/\\(?=[[\]()*_\\\n])/g, '');
  return format === 'html' ? text.replace(/<style>[\s\S]*?<\/style>/, '').replace(/<br>/g, '\n').replace(/<[^>]+>/g, '') : text;
}

const VARIANTS: Array<[string, Partial<ExportOptions>]> = [
  ['agreed', {}],
  ['agreed, keeping open brackets', { unresolved: 'keep' }],
  ['agreed, omitting open brackets', { unresolved: 'omit' }],
  ['compilation', { version: 'bracketed' }],
];

/** "every year" bracketed by Egypt (the original text, proposed by nobody), "every two years" proposed by the United States. */
function bracketed() {
  const doc = docWithParagraphs([{ num: '1.1', text: SENTENCE }]);
  const from = SENTENCE.indexOf('every year');
  const a = createBracket(doc, { paragraphId: 'p0', from, to: from + 'every year'.length, actor: EGYPT });
  const b = addAlternative(doc, { groupId: a.groupId, text: 'every two years', actor: USA });
  return { doc, groupId: a.groupId, a: a.optionId, b: b.optionId };
}

/** Inserts text carrying a group's mark, as a delegate typing into an option while the chair resolves it. */
function typeInto(doc: Y.Doc, at: string, words: string, group: string, option: string) {
  const text = findBlock(doc, 'p0')!.element.get(0) as Y.XmlText;
  const index = (text.toDelta() as Array<{ insert: string }>).map((op) => op.insert).join('').indexOf(at);
  text.insert(index, words, { [BRACKET_MARK]: { group, option } });
}

describe('a resolved group whose resolution record is missing', () => {
  /** Resolved by a third-party Yjs tool that set the status only: the text still carries the marks. */
  function resolvedWithoutRecord() {
    const { doc, groupId } = bracketed();
    (bracketGroups(doc).get(groupId) as Y.Map<unknown>).set(G.status, 'resolved');
    return doc;
  }

  it('keeps its text as plain text in the agreed text, like a mark naming a group that cannot be read', () => {
    const doc = resolvedWithoutRecord();
    const agreed = agreedDocument(doc);
    expect(agreed.open).toEqual([]);
    expect(agreedPlainText(agreed, 'omit')).toBe('1.1\tThe Group shall review the ITRs every yearevery two years.');
  });

  for (const [name, variant] of VARIANTS) {
    it(`keeps the same text in every export (${name})`, async () => {
      const doc = resolvedWithoutRecord();
      for (const format of FORMATS) {
        const text = await asText(doc, format, variant);
        expect(text, format).toContain('The Group shall review the ITRs every yearevery two years.');
        expect(text, format).not.toMatch(/\[every|unresolved/);
      }
    });
  }

  it('while with a record, text typed into an option follows the resolution everywhere', async () => {
    const { doc, groupId, a, b } = bracketed();
    resolveBracket(doc, { groupId, outcome: 'chosen', optionId: b, actor: CHAIR });
    // Arriving after the resolution: words typed into A (not kept) and into B (chosen).
    typeInto(doc, '.', ' annually', groupId, a);
    typeInto(doc, ' annually', ' or so', groupId, b);
    expect(agreedPlainText(agreedDocument(doc), 'omit')).toBe('1.1\tThe Group shall review the ITRs every two years or so.');
    for (const [name, variant] of VARIANTS) {
      for (const format of FORMATS) {
        const text = await asText(doc, format, variant);
        expect(text, `${format}, ${name}`).toContain('The Group shall review the ITRs every two years or so.');
        expect(text, `${format}, ${name}`).not.toContain('annually');
      }
    }
  });
});

describe('an open group whose text runs on into the next paragraph (Enter pressed inside an option)', () => {
  function split() {
    const doc = docWithParagraphs([{ num: '1.1', text: 'The Group shall review every' }, 'year of the ITRs.']);
    const from = 'The Group shall review '.length;
    const { groupId, optionId } = createBracket(doc, { paragraphId: 'p0', from, to: from + 'every'.length, actor: EGYPT });
    (findBlock(doc, 'p1')!.element.get(0) as Y.XmlText).format(0, 'year'.length, { [BRACKET_MARK]: { group: groupId, option: optionId } });
    return doc;
  }

  it('is one open bracket, shown once where it starts, in the agreed text', () => {
    const agreed = agreedDocument(split());
    expect(agreed.open).toHaveLength(1);
    expect(agreed.open[0]!.bracketedBy).toEqual(['Egypt']);
    // The original text is proposed by nobody: no name after it; where it is left out, "[...]" says so.
    expect(agreedPlainText(agreed, 'keep').split('\n')).toEqual(['1.1\tThe Group shall review [everyyear]', ' of the ITRs.']);
    expect(agreedPlainText(agreed, 'omit').split('\n')).toEqual(['1.1\tThe Group shall review [...]', ' of the ITRs.']);
  });

  for (const [name, variant] of VARIANTS.slice(1)) {
    it(`is shown once, or left out once, in every export (${name})`, async () => {
      const doc = split();
      for (const format of FORMATS) {
        const text = await asText(doc, format, variant);
        // The bracket's note quotes the original text (“everyyear”): count the words in the running text.
        const shown = text.match(/(?<!“)everyyear/g)?.length ?? 0;
        expect(shown, format).toBe(variant.unresolved === 'omit' ? 0 : 1);
        expect(text, format).toMatch(/\n\s*of the ITRs\./);
        expect(text, format).not.toMatch(/\byear of the ITRs/);
      }
    });
  }
});

describe('footnotes and line breaks', () => {
  function withInlineNodes() {
    const doc = docWithParagraphs([{ num: '1.1', text: 'line one' }]);
    const note = new Y.XmlElement(FOOTNOTE_NODE);
    note.setAttribute(FOOTNOTE_TEXT_ATTR, 'Resolution 146.');
    findBlock(doc, 'p0')!.element.insert(1, [new Y.XmlElement(HARD_BREAK_NODE), new Y.XmlText('line two'), note, new Y.XmlText(' end')]);
    return doc;
  }

  it('are segments of the agreed text, in place; in plain lines a break reads as a space', () => {
    const agreed = agreedDocument(withInlineNodes());
    expect(agreed.blocks[0]!.segments).toEqual([
      { kind: 'text', text: 'line one', marks: {} },
      { kind: 'break' },
      { kind: 'text', text: 'line two', marks: {} },
      { kind: 'footnote', text: 'Resolution 146.' },
      { kind: 'text', text: ' end', marks: {} },
    ]);
    expect(agreedPlainText(agreed, 'keep')).toBe('1.1\tline one line two end');
  });

  it('are in every export', async () => {
    for (const format of ['txt', 'md', 'html'] as const) {
      const text = await asText(withInlineNodes(), format);
      expect(text, format).toMatch(/line one\s+line two/);
      expect(text, format).toContain('Resolution 146.');
    }
    // Word's raw text has neither breaks nor notes: read its HTML instead.
    const file = await exportDocument(withInlineNodes(), 'docx', options());
    const { value: html } = await mammoth.convertToHtml({ buffer: file.body });
    expect(html).toMatch(/line one<br \/>line two<sup><a href="#footnote-1"/);
    expect(html).toContain('Resolution 146.');
  });
});

describe('every export is laid out from the model', () => {
  type Step =
    | { kind: 'bracket'; paragraph: number; from: number; length: number }
    | { kind: 'alternative'; group: number; text: string }
    | { kind: 'resolve'; group: number; outcome: 'chosen' | 'deleted' | 'compromise'; option: number }
    | { kind: 'forget'; group: number }
    | { kind: 'close'; group: number }
    | { kind: 'late'; group: number; option: number; text: string };
  const step: fc.Arbitrary<Step> = fc.oneof(
    fc.record({ kind: fc.constant('bracket' as const), paragraph: fc.nat(2), from: fc.nat(30), length: fc.integer({ min: 1, max: 8 }) }),
    fc.record({ kind: fc.constant('alternative' as const), group: fc.nat(5), text: fc.constantFrom('', 'every two years', 'periodically') }),
    fc.record({ kind: fc.constant('resolve' as const), group: fc.nat(5), outcome: fc.constantFrom('chosen' as const, 'deleted' as const, 'compromise' as const), option: fc.nat(3) }),
    // A third-party tool drops a resolution record, or resolves a group by its status alone.
    fc.record({ kind: fc.constant('forget' as const), group: fc.nat(5) }),
    fc.record({ kind: fc.constant('close' as const), group: fc.nat(5) }),
    // Words typed into an option, arriving late (after the group was resolved, perhaps).
    fc.record({ kind: fc.constant('late' as const), group: fc.nat(5), option: fc.nat(3), text: fc.constantFrom('soon ', 'later ') }),
  );

  function apply(doc: Y.Doc, s: Step) {
    const groups = listBracketGroups(doc);
    const open = groups.filter((g) => g.status === 'open');
    try {
      if (s.kind === 'bracket') createBracket(doc, { paragraphId: `p${s.paragraph}`, from: s.from, to: s.from + s.length, actor: EGYPT });
      else if (s.kind === 'alternative' && open.length) addAlternative(doc, { groupId: open[s.group % open.length]!.id, text: s.text, actor: USA });
      else if (s.kind === 'resolve' && open.length) {
        const group = open[s.group % open.length]!;
        const optionId = group.options[s.option % group.options.length]!.id;
        resolveBracket(doc, { groupId: group.id, outcome: s.outcome, optionId, actor: CHAIR });
      } else if (s.kind === 'forget') {
        const resolved = groups.filter((g) => g.status === 'resolved');
        if (resolved.length) (bracketGroups(doc).get(resolved[s.group % resolved.length]!.id) as Y.Map<unknown>).delete(G.resolution);
      } else if (s.kind === 'close' && open.length) {
        (bracketGroups(doc).get(open[s.group % open.length]!.id) as Y.Map<unknown>).set(G.status, 'resolved');
      } else if (s.kind === 'late' && groups.length) {
        const group = groups[s.group % groups.length]!;
        const option = group.options[s.option % group.options.length]!.id;
        (findBlock(doc, group.paragraphId)?.element.get(0) as Y.XmlText | undefined)?.insert(0, s.text, { [BRACKET_MARK]: { group: group.id, option } });
      }
    } catch (err) {
      if (!(err instanceof ModelError)) throw err;
    }
  }

  it('the text export of any negotiation is the agreed text, line for line', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 15 }), fc.constantFrom('keep' as const, 'omit' as const), async (steps, unresolved) => {
        const doc = docWithParagraphs([{ num: '1.1', text: SENTENCE }, { num: '1.2', text: 'Members thanked the Chair for the report.' }, 'Closing remarks of the meeting.']);
        for (const s of steps) apply(doc, s);
        const agreed = agreedDocument(doc);
        const lines = (await exportDocument(doc, 'txt', options({ unresolved }))).body.toString('utf8').split('\n');
        // The title block (title, label, date, notices) ends at the first blank line; then one line a paragraph.
        const head = lines.indexOf('') + 1;
        // Each bracket's note is a footnote of the file; a counted paragraph that is not agreed carries its flag.
        const body = lines.slice(head, head + agreed.blocks.length).map((line) => line.replace(/\[footnoteRef:\d+\]/g, ''));
        const expected = agreedPlainText(agreed, unresolved)
          .split('\n')
          .map((line, i) => (agreed.blocks[i]!.counted && agreed.blocks[i]!.status === 'open' ? line.replace(/^([^\t]*\t)?/, `$1${NOT_AGREED_FLAG} `) : line));
        expect(body).toEqual(expected);
      }),
      { numRuns: 120 },
    );
  });

  it('names proponents after their option, and everyone who bracketed, proposed or supported in the note', async () => {
    const { doc, groupId, a } = bracketed();
    supportOption(doc, { groupId, optionId: a, actor: CHINA });
    expect(agreedPlainText(agreedDocument(doc), 'keep')).toContain('[every year / every two years (United States)]');
    for (const format of ['txt', 'md', 'html'] as const) {
      const text = await asText(doc, format, { unresolved: 'keep' });
      expect(text, format).toContain('the ITRs [every year / every two years (United States)]');
      expect(text, format).toContain('Bracketed by Egypt. A (original text) “every year”: supported by China. B “every two years”: proposed by United States.');
    }
    const word = await asText(doc, 'docx', { unresolved: 'keep' });
    expect(word).toContain('the ITRs [every year / every two years]');
  });
});
