import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CHANGE_COALESCE_MS, changesMap, nextParagraphChanges, paragraphChanges, readParagraphChanges } from '../../shared/model/paragraph-changes.js';
import { PARAGRAPH_CHANGES_KEPT, type ParagraphChange } from '../../shared/schema/negotiation.js';
import { CHANGE_RECORD_ORIGIN, recordParagraphChanges } from '../../server/sync/change-record.js';

const T0 = Date.parse('2026-03-10T10:42:00.000Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();
const change = (delegation: string, ms: number, kind: ParagraphChange['kind'] = 'edited', name = `${delegation} delegate`): ParagraphChange => ({
  delegation,
  name,
  at: at(ms),
  kind,
});
const touched = (edited: string[], deleted: string[] = []) => ({ edited: new Set(edited), deleted: new Set(deleted) });

describe('the next record of a paragraph', () => {
  it('starts with the first change', () => {
    expect(nextParagraphChanges([], change('Egypt', 0))).toEqual([change('Egypt', 0)]);
  });

  it('writes nothing for the same delegation changing the same way within the minute', () => {
    const record = [change('Egypt', 0)];
    expect(nextParagraphChanges(record, change('Egypt', 1_000))).toBeNull();
    expect(nextParagraphChanges(record, change('Egypt', CHANGE_COALESCE_MS - 1, 'edited', 'Another Egyptian'))).toBeNull();
  });

  it('moves the time of the line a minute on, naming who spoke last, without a second line', () => {
    const record = [change('Egypt', 0), change('Brazil', -600_000)];
    expect(nextParagraphChanges(record, change('Egypt', CHANGE_COALESCE_MS, 'edited', 'Another Egyptian'))).toEqual([
      change('Egypt', CHANGE_COALESCE_MS, 'edited', 'Another Egyptian'),
      change('Brazil', -600_000),
    ]);
  });

  it('puts another delegation, or another kind of change, on top, newest first', () => {
    const record = [change('Egypt', 0)];
    const brazil = nextParagraphChanges(record, change('Brazil', 1_000))!;
    expect(brazil.map((c) => c.delegation)).toEqual(['Brazil', 'Egypt']);
    const deleted = nextParagraphChanges(brazil, change('Brazil', 2_000, 'deleted'))!;
    expect(deleted.map((c) => `${c.delegation} ${c.kind}`)).toEqual(['Brazil deleted', 'Brazil edited', 'Egypt edited']);
  });

  it(`keeps the last ${PARAGRAPH_CHANGES_KEPT} lines`, () => {
    let record: ParagraphChange[] = [];
    const delegations = ['Egypt', 'Brazil', 'Kenya', 'China', 'India', 'France', 'Japan'];
    delegations.forEach((delegation, i) => {
      record = nextParagraphChanges(record, change(delegation, i * 1_000)) ?? record;
    });
    expect(record.map((c) => c.delegation)).toEqual(['Japan', 'France', 'India', 'China', 'Kenya']);
  });

  it('never moves a line back in time when the clock is set back, and stamps again a time it cannot read', () => {
    expect(nextParagraphChanges([change('Egypt', 0)], change('Egypt', -3_600_000))).toBeNull();
    const unreadable = { ...change('Egypt', 0), at: 'yesterday' };
    expect(nextParagraphChanges([unreadable], change('Egypt', 0))).toEqual([change('Egypt', 0)]);
  });
});

describe('reading the record', () => {
  it('skips malformed lines and values that are not lists', () => {
    const good = change('Egypt', 0);
    expect(readParagraphChanges([good])).toEqual([good]);
    expect(readParagraphChanges([{ delegation: 'Brazil' }, good, 'Kenya', null, { ...good, kind: 'rewritten' }, { ...good, delegation: '' }])).toEqual([good]);
    expect(readParagraphChanges('Egypt, 10:42')).toEqual([]);
    expect(readParagraphChanges({ 0: good })).toEqual([]);
    expect(readParagraphChanges(undefined)).toEqual([]);
    expect(readParagraphChanges(Array.from({ length: 9 }, (_, i) => change('Egypt', i)))).toHaveLength(PARAGRAPH_CHANGES_KEPT);
  });

  it('reads a paragraph from the document', () => {
    const doc = new Y.Doc();
    changesMap(doc).set('p1', [change('Egypt', 0), { forged: true }]);
    changesMap(doc).set('p2', 'forged');
    expect(paragraphChanges(doc, 'p1')).toEqual([change('Egypt', 0)]);
    expect(paragraphChanges(doc, 'p2')).toEqual([]);
    expect(paragraphChanges(doc, 'p3')).toEqual([]);
  });
});

describe('the server writing the record', () => {
  const egypt = { delegation: 'Egypt', name: 'Amina Hassan' };
  const brazil = { delegation: 'Brazil', name: 'Ana Souza' };

  it('writes edited and deleted paragraphs in one transaction of its own origin', () => {
    const doc = new Y.Doc();
    const origins: unknown[] = [];
    doc.on('update', (_update: Uint8Array, origin: unknown) => origins.push(origin));
    expect(recordParagraphChanges(doc, touched(['p1', 'p2'], ['p3']), egypt, at(0))).toBe(3);
    expect(origins).toEqual([CHANGE_RECORD_ORIGIN]);
    expect(paragraphChanges(doc, 'p1')).toEqual([{ ...egypt, at: at(0), kind: 'edited' }]);
    expect(paragraphChanges(doc, 'p3')).toEqual([{ ...egypt, at: at(0), kind: 'deleted' }]);
  });

  it('writes nothing at all while the same delegation types on within the minute, or when no paragraph changed', () => {
    const doc = new Y.Doc();
    recordParagraphChanges(doc, touched(['p1']), egypt, at(0));
    let updates = 0;
    doc.on('update', () => updates++);
    expect(recordParagraphChanges(doc, touched(['p1']), egypt, at(5_000))).toBe(0);
    expect(recordParagraphChanges(doc, touched([]), brazil, at(6_000))).toBe(0);
    expect(updates).toBe(0);
    expect(recordParagraphChanges(doc, touched(['p1', 'p2']), egypt, at(7_000))).toBe(1);
    expect(recordParagraphChanges(doc, touched(['p1']), brazil, at(8_000))).toBe(1);
    expect(updates).toBe(2);
    expect(paragraphChanges(doc, 'p1').map((c) => c.delegation)).toEqual(['Brazil', 'Egypt']);
  });

  it('records a name longer than the record holds, cut, rather than an unreadable line', () => {
    const doc = new Y.Doc();
    recordParagraphChanges(doc, touched(['p1']), { delegation: 'Egypt', name: 'x'.repeat(120) }, at(0));
    const [line] = paragraphChanges(doc, 'p1');
    expect(line?.name).toHaveLength(80);
    expect(line?.name.endsWith('…')).toBe(true);
  });
});
