import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { bracketGroups, listBracketGroups } from '../../shared/model/brackets.js';
import { migrateDocument } from '../../shared/model/migrate-document.js';
import { positionProblem } from '../../shared/model/bracket-positions.js';
import { readGroup } from '../../shared/model/record-guards.js';
import { BRACKET_MARK, BracketGroupKeys as G } from '../../shared/schema/negotiation.js';
import { BODY_FRAGMENT } from '../../shared/schema/ydoc.js';
import { CHAIR, EGYPT, USA, docWithParagraphs } from '../support/model-doc.js';

/**
 * Documents written before `bracketedBy` existed: the delegation that
 * bracketed text was recorded as the proponent of option A, the bracketed
 * text itself. Built here by hand, as that version wrote them.
 */
function legacyOption(id: string, kind: string, proponent: string, supporters: string[] = []): Y.Map<unknown> {
  return new Y.Map<unknown>([
    ['id', id],
    ['kind', kind],
    ['proponents', new Y.Map<unknown>([[proponent, { name: 'Someone', at: '2026-11-01T10:00:00.000Z' }]])],
    ['supporters', new Y.Map<unknown>(supporters.map((d) => [d, { name: 'Someone', at: '2026-11-01T10:05:00.000Z' }]))],
    ['note', ''],
    ['createdBy', { name: 'Someone', delegation: proponent }],
    ['createdAt', '2026-11-01T10:00:00.000Z'],
  ]);
}

function legacyDoc(): Y.Doc {
  const doc = docWithParagraphs(['Member States shall ensure security.', 'Parties will cooperate.']);
  const texts = doc.getXmlFragment(BODY_FRAGMENT).toArray().map((el) => (el as Y.XmlElement).get(0) as Y.XmlText);
  doc.transact(() => {
    const open = new Y.Array<Y.Map<unknown>>();
    open.push([legacyOption('a', 'text', 'Egypt', ['China']), legacyOption('b', 'text', 'United States')]);
    bracketGroups(doc).set(
      'open-group',
      new Y.Map<unknown>([
        ['paragraphId', 'p0'],
        ['createdBy', { name: EGYPT.name, delegation: 'Egypt' }],
        ['createdAt', '2026-11-01T10:00:00.000Z'],
        ['status', 'open'],
        ['options', open],
      ]),
    );
    texts[0]!.format(20, 6, { [BRACKET_MARK]: { group: 'open-group', option: 'a' } });
    texts[0]!.insert(26, 'promote', { [BRACKET_MARK]: { group: 'open-group', option: 'b' } });
    const done = new Y.Array<Y.Map<unknown>>();
    done.push([legacyOption('c', 'text', 'United States'), legacyOption('d', 'delete', 'Egypt')]);
    bracketGroups(doc).set(
      'resolved-group',
      new Y.Map<unknown>([
        ['paragraphId', 'p1'],
        ['createdBy', { name: USA.name, delegation: 'United States' }],
        ['createdAt', '2026-11-01T11:00:00.000Z'],
        ['status', 'resolved'],
        ['options', done],
        [
          'resolution',
          {
            outcome: 'chosen',
            by: CHAIR,
            at: '2026-11-01T12:00:00.000Z',
            chosenOptionId: 'c',
            keptText: 'will',
            options: [
              { id: 'c', label: 'A', kind: 'text', text: 'will', proponents: ['United States'], supporters: [] },
              { id: 'd', label: 'B', kind: 'delete', text: '', proponents: ['Egypt'], supporters: [] },
            ],
          },
        ],
      ]),
    );
  });
  return doc;
}

describe('migrating a document to bracketed original text', () => {
  it('turns option A of its maker into original text bracketed by it, keeping every other position', () => {
    const doc = legacyDoc();
    const before = listBracketGroups(doc);
    expect(migrateDocument(doc).sort()).toEqual(['open-group', 'resolved-group']);
    const after = listBracketGroups(doc);
    // Readers already read old groups as migrated: the views are the same before and after.
    expect(after).toEqual(before);
    const open = after.find((g) => g.id === 'open-group')!;
    expect(open.bracketedBy.map((b) => [b.delegation, b.at])).toEqual([['Egypt', '2026-11-01T10:00:00.000Z']]);
    expect(open.options.map((o) => [o.kind, o.text, o.proponents, o.supporters])).toEqual([
      ['original', 'ensure', [], ['China']],
      ['text', 'promote', ['United States'], []],
    ]);
    const resolution = after.find((g) => g.id === 'resolved-group')!.resolution!;
    expect(resolution.bracketedBy).toEqual(['United States']);
    expect(resolution.options.map((o) => [o.kind, o.proponents])).toEqual([
      ['original', []],
      ['delete', ['Egypt']],
    ]);
    // The stored records are now in the current format, and the rules hold on them.
    const record = readGroup('open-group', bracketGroups(doc).get('open-group'))!;
    expect(record.map.get(G.bracketedBy)).toBeInstanceOf(Y.Map);
    expect(record.options[0]!.proponents).toEqual([]);
    expect(positionProblem(record)).toBeNull();
  });

  it('is idempotent: a second run changes nothing and makes no update', () => {
    const doc = legacyDoc();
    migrateDocument(doc);
    const state = Y.encodeStateAsUpdate(doc);
    let updates = 0;
    doc.on('update', () => updates++);
    expect(migrateDocument(doc)).toEqual([]);
    expect(updates).toBe(0);
    expect(Y.encodeStateAsUpdate(doc)).toEqual(state);
  });

  it('leaves a document in the current format alone', () => {
    const doc = docWithParagraphs(['Nothing to migrate here.']);
    let updates = 0;
    doc.on('update', () => updates++);
    expect(migrateDocument(doc)).toEqual([]);
    expect(updates).toBe(0);
  });
});
