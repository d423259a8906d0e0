import mammoth from 'mammoth';
import { describe, expect, it, vi } from 'vitest';
import type * as Y from 'yjs';
import { DamagedRecordsLog } from '../../server/convert/damaged-log.js';
import { exportDocument, type ExportFormat } from '../../server/convert/export-document.js';
import { readZipDirectory, readZipEntry } from '../../server/convert/zip-guard.js';
import type { ExportOptions } from '../../server/convert/export-model.js';
import type { Logger } from '../../server/log.js';
import { agreedDocument, agreedPlainText } from '../../shared/model/agreed-text.js';
import { getBracketGroup, listBracketGroups, resolveBracket } from '../../shared/model/brackets.js';
import { addAlternative, supportOption } from '../../shared/model/bracket-proposals.js';
import { listThreads, reply, setThreadStatus } from '../../shared/model/comments.js';
import { consensus } from '../../shared/model/consensus.js';
import { damageCollector, damagedRecords, describeDamaged } from '../../shared/model/damaged-records.js';
import { ModelError } from '../../shared/model/errors.js';
import { paragraphStatus, paragraphStatuses } from '../../shared/model/paragraph-status.js';
import { readBracketMark, type DamagedPlace, type DamagedRecord } from '../../shared/model/record-guards.js';
import { CHAIR, CHINA, EGYPT } from '../support/model-doc.js';
import { ANNEX, CLOSING, COMMENT, EXPECTED_DAMAGE, GOOD_MESSAGE, REPLY, poisonedDraft } from '../support/poisoned-doc.js';

const ids = (records: DamagedRecord[], where: DamagedPlace) => records.filter((r) => r.where === where).map((r) => r.id);
const sorted = (list: string[]) => [...list].sort();

describe('readers skip damaged records and report them', () => {
  it('lists the valid bracket groups, in order, and reports every damaged group, option and mark', () => {
    const { doc, openGroupId, resolvedGroupId } = poisonedDraft();
    const reported: DamagedRecord[] = [];
    const groups = listBracketGroups(doc, (r) => reported.push(r));

    expect(groups.map((g) => g.id)).toEqual([openGroupId, 'mixed', resolvedGroupId]);
    expect(groups[0]!.options.map((o) => [o.label, o.text, o.proponents, o.supporters])).toEqual([
      ['A', 'every year', [], ['China']],
      ['B', 'every two years', ['United States'], []],
    ]);
    expect(groups[0]!.bracketedBy.map((b) => b.delegation)).toEqual(['Egypt']);
    // The good option of the mixed group is its option A, with its text; the junk around it is gone.
    expect(groups[1]!.options.map((o) => [o.id, o.label, o.text])).toEqual([['good', 'A', 'Closing']]);
    expect(groups[2]!.resolution?.keptText).toBe('praised');

    expect(sorted(ids(reported, 'brackets'))).toEqual(sorted(EXPECTED_DAMAGE.brackets));
    expect(ids(reported, 'body')).toEqual(EXPECTED_DAMAGE.body);
    const problems = reported.filter((r) => r.where === 'body').map((r) => r.problem);
    expect(problems).toHaveLength(4);
    expect(problems).toEqual(expect.arrayContaining([
      'bracket mark is not { group, option }: "poison"',
      expect.stringMatching(/^bracket mark is not \{ group, option \}: \{"group":/),
      'bracket mark names group ghost, which does not exist',
      `bracket mark names option nope, which group ${openGroupId} does not have`,
    ]));
    // Without a listener nothing is reported, and nothing throws either.
    expect(listBracketGroups(doc)).toEqual(groups);
  });

  it('lists the valid threads and messages, and reports the damaged ones', () => {
    const { doc, threadId } = poisonedDraft();
    const reported: DamagedRecord[] = [];
    const threads = listThreads(doc, (r) => reported.push(r));
    expect(threads.map((t) => [t.id, t.messages.map((m) => m.text)])).toEqual([
      ['bad-author', [GOOD_MESSAGE]],
      [threadId, [COMMENT, REPLY]],
    ]);
    expect(sorted(ids(reported, 'comments'))).toEqual(sorted(EXPECTED_DAMAGE.comments));
    expect(reported.every((r) => r.where === 'comments')).toBe(true);
  });

  it('reads a damaged paragraph status as open, and reports it', () => {
    const { doc } = poisonedDraft();
    expect(['p0', 'p1', 'p2', 'p3'].map((id) => paragraphStatus(doc, id))).toEqual(['open', 'agreed', 'open', 'open']);
    const reported: DamagedRecord[] = [];
    expect([...paragraphStatuses(doc, (r) => reported.push(r)).keys()]).toEqual(['p1']);
    expect(sorted(ids(reported, 'paragraphs'))).toEqual(sorted(EXPECTED_DAMAGE.paragraphs));
  });

  it('counts only valid records in the consensus figure', () => {
    const { doc } = poisonedDraft();
    expect(consensus(doc)).toEqual({ paragraphs: 4, agreed: 1, agreedAdRef: 0, withOpenBrackets: 2, openGroups: 2, resolvedGroups: 1 });
  });

  it('keeps the agreed text whole: text under a mark that points nowhere reads as plain text', () => {
    const { doc } = poisonedDraft();
    const { onDamaged, records } = damageCollector();
    const agreed = agreedDocument(doc, onDamaged);
    expect(agreed.open.map((g) => g.options.map((o) => o.text))).toEqual([['every year', 'every two years'], ['Closing']]);
    expect(agreedPlainText(agreed, 'keep').split('\n')).toEqual([
      '1.1\tThe Group shall review the ITRs [every year / every two years (United States)].',
      '1.2\tMembers praised the Chair.',
      `2.1\t[Closing]${CLOSING.slice('Closing'.length)}`,
      `4.1\t${ANNEX}`,
    ]);
    expect(agreed.blocks.map((b) => b.status)).toEqual(['open', 'agreed', 'open', 'open']);
    // The agreed text reads brackets, marks and statuses; comments are not its business.
    expect(records.length).toBe(EXPECTED_DAMAGE.brackets.length + EXPECTED_DAMAGE.body.length + EXPECTED_DAMAGE.paragraphs.length);
  });

  it('reports each damaged record once, however many readers meet it, and words it for people', () => {
    const { doc } = poisonedDraft();
    const records = damagedRecords(doc);
    for (const where of Object.keys(EXPECTED_DAMAGE) as DamagedPlace[]) {
      expect(sorted(ids(records, where)), where).toEqual(sorted(EXPECTED_DAMAGE[where]));
    }
    const { onDamaged, records: collected } = damageCollector();
    listBracketGroups(doc, onDamaged);
    listBracketGroups(doc, onDamaged);
    agreedDocument(doc, onDamaged);
    expect(collected.length).toBe(EXPECTED_DAMAGE.brackets.length + EXPECTED_DAMAGE.body.length + EXPECTED_DAMAGE.paragraphs.length);

    const lines = describeDamaged(records);
    expect(lines[0]).toBe(
      '13 damaged bracket records were skipped: empty-group, string-group, number-group and 10 more',
    );
    expect(lines.slice(1)).toEqual([
      expect.stringMatching(/^7 damaged comment records were skipped: /),
      expect.stringMatching(/^4 damaged paragraph statuses were skipped: /),
      '4 damaged bracket marks in the text were ignored: p3',
    ]);
    const one = describeDamaged([{ where: 'brackets', id: 'poison', problem: 'expected a Y.Map, found Map' }]);
    expect(one).toEqual(['1 damaged bracket record was skipped: poison']);
  });

  it('reads bracket marks through one guard', () => {
    expect(readBracketMark(undefined)).toBeNull();
    expect(readBracketMark(null)).toBeNull();
    expect(readBracketMark({ group: 'g', option: 'o' })).toEqual({ group: 'g', option: 'o' });
    // ProseMirror's attributes of a mark y-tiptap could not read: no prototype, null values.
    expect(readBracketMark(Object.assign(Object.create(null), { group: null, option: null }))).toBe('malformed');
    for (const bad of ['poison', 42, { group: 'g' }, { group: 'g', option: 3 }, { group: '', option: 'o' }, []]) {
      expect(readBracketMark(bad), JSON.stringify(bad)).toBe('malformed');
    }
  });
});

describe('changes next to damaged records', () => {
  it('refuse to touch a damaged entry with a sentence, not a crash', () => {
    const { doc } = poisonedDraft();
    const attempts = [
      () => supportOption(doc, { groupId: 'empty-group', optionId: 'o', actor: CHINA }),
      () => addAlternative(doc, { groupId: 'string-group', text: 'other words', actor: CHINA }),
      () => resolveBracket(doc, { groupId: 'bad-options', outcome: 'deleted', actor: CHAIR }),
      () => getBracketGroup(doc, 'null-group'),
      () => reply(doc, { threadId: 'string-thread', text: 'hello', actor: EGYPT }),
      () => setThreadStatus(doc, { threadId: 'empty-thread', status: 'resolved', actor: CHAIR }),
    ];
    for (const attempt of attempts) expect(attempt).toThrow(ModelError);
  });

  it('work on the valid records: a group with junk options is extended and resolved, keeping text the junk marks', () => {
    const { doc, openGroupId } = poisonedDraft();
    const { optionId } = addAlternative(doc, { groupId: 'mixed', text: 'Final', actor: CHINA });
    expect(getBracketGroup(doc, 'mixed').options.map((o) => [o.label, o.text])).toEqual([
      ['A', 'Closing'],
      ['B', 'Final'],
    ]);
    resolveBracket(doc, { groupId: 'mixed', outcome: 'chosen', optionId, actor: CHAIR });
    resolveBracket(doc, { groupId: openGroupId, outcome: 'compromise', actor: CHAIR });
    // "here" in 4.1 carried a mark naming an option the open group does not have: it stays, as plain text.
    expect(agreedPlainText(agreedDocument(doc), 'omit').split('\n')).toEqual([
      '1.1\tThe Group shall review the ITRs every yearevery two years.',
      '1.2\tMembers praised the Chair.',
      '2.1\tFinal text of the meeting.',
      `4.1\t${ANNEX}`,
    ]);
  });
});

describe('exports of a document with damaged records', () => {
  const DATE = new Date('2026-03-12T10:00:00Z');
  const FORMATS: ExportFormat[] = ['txt', 'md', 'html', 'docx'];
  const options = (o: Partial<ExportOptions>): ExportOptions => ({ version: 'agreed', comments: true, title: 'Poisoned', date: DATE, ...o });

  async function asText(doc: Y.Doc, format: ExportFormat, o: Partial<ExportOptions>): Promise<string> {
    const file = await exportDocument(doc, format, options(o));
    if (format === 'docx') {
      // The text, then the Word comments (mammoth's raw text leaves them out).
      const comments = readZipDirectory(file.body).find((e) => e.name === 'word/comments.xml');
      const xml = comments ? readZipEntry(file.body, comments).toString('utf8').replace(/<[^>]+>/g, ' ') : '';
      return `${(await mammoth.extractRawText({ buffer: file.body })).value}\n${xml}`;
    }
    const text = file.body.toString('utf8');
    return format === 'html' ? text.replace(/<style>[\s\S]*?<\/style>/, '').replace(/<[^>]+>/g, '') : text;
  }

  const variants: Array<[string, Partial<ExportOptions>]> = [
    ['agreed, keeping open brackets', { unresolved: 'keep' }],
    ['agreed, omitting open brackets', { unresolved: 'omit' }],
    ['compilation', { version: 'bracketed' }],
  ];

  for (const [name, variant] of variants) {
    it(`${name}: every format holds the valid content and none of the junk`, async () => {
      const { doc } = poisonedDraft();
      for (const format of FORMATS) {
        const text = await asText(doc, format, variant);
        expect(text, format).toContain('Members praised the Chair.');
        expect(text, format).toContain(ANNEX);
        expect(text, format).toContain('of the meeting.');
        expect(text, format).toContain(COMMENT);
        expect(text, format).toContain(REPLY);
        expect(text, format).toContain(GOOD_MESSAGE);
        if (variant.unresolved === 'omit') expect(text, format).not.toContain('every two years');
        else expect(text, format).toContain('every two years');
        expect(text, format).not.toMatch(/poison|junk|ghost/);
      }
    });
  }

  it('are refused with the list of valid open brackets only, when unresolved brackets are not allowed for', async () => {
    const { doc } = poisonedDraft();
    await expect(exportDocument(doc, 'txt', options({}))).rejects.toMatchObject({
      open: [
        { ref: '1.1', options: [{ text: 'every year' }, { text: 'every two years' }] },
        { ref: '2.1', options: [{ text: 'Closing' }] },
      ],
    });
  });

  it('log each damaged record once per document, not once per export', () => {
    const { doc } = poisonedDraft();
    const warn = vi.fn();
    const log = new DamagedRecordsLog({ warn } as unknown as Logger);
    const total = Object.values(EXPECTED_DAMAGE).flat().length;
    expect(log.check('doc-1', doc)).toHaveLength(total);
    log.check('doc-1', doc);
    expect(warn).toHaveBeenCalledTimes(total);
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ documentId: 'doc-1', where: 'brackets', id: 'empty-group' }), 'damaged record skipped');
    // Another document with the same damage is another entry.
    log.check('doc-2', doc);
    expect(warn).toHaveBeenCalledTimes(2 * total);
  });
});
