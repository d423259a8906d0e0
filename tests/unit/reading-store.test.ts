import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { openDatabase, type Db } from '../../server/storage/database.js';
import { DocumentStore } from '../../server/storage/document-store.js';
import { ReadingNameTakenError, nextReadingName } from '../../server/storage/reading-store.js';
import { restoreChange } from '../../server/sync/restore-reading.js';
import { paragraphStatus, setParagraphStatus } from '../../shared/model/paragraph-status.js';
import { BLOCK_ID_ATTR } from '../../shared/schema/negotiation.js';
import { BODY_FRAGMENT } from '../../shared/schema/ydoc.js';
import { bodyText } from '../support/yjs-client.js';

const CHAIR = { name: 'Ms Chair', delegation: 'Chair' };

function draft(texts: string[]): Y.Doc {
  const doc = new Y.Doc();
  doc.getXmlFragment(BODY_FRAGMENT).insert(
    0,
    texts.map((text, i) => {
      const p = new Y.XmlElement('paragraph');
      p.setAttribute(BLOCK_ID_ATTR, `p${i}`);
      p.insert(0, [new Y.XmlText(text)]);
      return p;
    }),
  );
  return doc;
}

const textOf = (doc: Y.Doc) => bodyText(doc.getXmlFragment(BODY_FRAGMENT));
const block = (doc: Y.Doc, i: number) => (doc.getXmlFragment(BODY_FRAGMENT).get(i) as Y.XmlElement).get(0) as Y.XmlText;

describe('the next reading name', () => {
  it('follows the highest Rev.N, whatever other names there are', () => {
    expect(nextReadingName([])).toBe('Rev.1');
    expect(nextReadingName(['Rev.1', 'Rev.2'])).toBe('Rev.3');
    expect(nextReadingName(['Rev.7', 'Rev.2', 'Chair’s text', 'Rev.x', 'Rev.10 bis'])).toBe('Rev.8');
  });
});

describe('ReadingStore on a real SQLite file', () => {
  let dir: string;
  let db: Db;
  let store: DocumentStore;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'readings-'));
    db = openDatabase(dir);
    store = new DocumentStore(db);
    store.create({ id: 'doc-a', title: 'A' });
    store.create({ id: 'doc-b', title: 'B' });
  });
  afterEach(() => db.close());

  it('stores a reading with its full state, lists it, and keeps it after the database is reopened', () => {
    const state = Y.encodeStateAsUpdate(draft(['First words.']));
    const made = store.readings.create({ documentId: 'doc-a', name: 'Rev.1', note: 'for the morning', by: CHAIR, state });
    expect(made).toMatchObject({ documentId: 'doc-a', name: 'Rev.1', note: 'for the morning', by: CHAIR, bytes: state.byteLength });
    db.close();
    db = openDatabase(dir);
    store = new DocumentStore(db);
    expect(store.readings.list('doc-a').map((r) => r.name)).toEqual(['Rev.1']);
    const back = new Y.Doc();
    Y.applyUpdate(back, store.readings.state('doc-a', made.id)!);
    expect(textOf(back)).toBe('First words.');
    expect(store.readings.nextName('doc-a')).toBe('Rev.2');
  });

  it('refuses a name the document already has, but not one another document has', () => {
    const state = Y.encodeStateAsUpdate(new Y.Doc());
    store.readings.create({ documentId: 'doc-a', name: 'Rev.1', note: '', by: CHAIR, state });
    expect(() => store.readings.create({ documentId: 'doc-a', name: 'Rev.1', note: '', by: CHAIR, state })).toThrow(ReadingNameTakenError);
    expect(store.readings.create({ documentId: 'doc-b', name: 'Rev.1', note: '', by: CHAIR, state }).name).toBe('Rev.1');
    expect(store.readings.list('doc-a')).toHaveLength(1);
  });

  it('knows a reading only in its own document, and deletes readings with their document', () => {
    const made = store.readings.create({ documentId: 'doc-a', name: 'Rev.1', note: '', by: CHAIR, state: Y.encodeStateAsUpdate(new Y.Doc()) });
    expect(store.readings.get('doc-b', made.id)).toBeUndefined();
    expect(store.readings.state('doc-b', made.id)).toBeUndefined();
    expect(store.readings.documentOf(made.id)).toBe('doc-a');
    store.delete('doc-a');
    expect(store.readings.documentOf(made.id)).toBeUndefined();
    expect(db.prepare('SELECT COUNT(*) AS n FROM readings').get()).toEqual({ n: 0 });
  });
});

describe('restoring a reading as a forward change', () => {
  it('brings back the text and the negotiation maps, in one update, keeping the blocks that did not change', () => {
    const live = draft(['One.', 'Two.', 'Three.']);
    const reading = Y.encodeStateAsUpdate(live);
    block(live, 1).insert(0, 'Amended ');
    setParagraphStatus(live, { paragraphId: 'p1', status: 'agreed', actor: CHAIR });
    const untouched = live.getXmlFragment(BODY_FRAGMENT).get(0);
    const clientsBefore = [...live.store.clients.keys()];

    const change = restoreChange(live, reading)!;
    expect(change.paragraphs.edited).toEqual(new Set(['p1']));
    expect(clientsBefore).not.toContain(change.clientId);
    let transactions = 0;
    live.on('afterTransaction', () => transactions++);
    Y.applyUpdate(live, change.update);
    expect(transactions).toBe(1);
    expect(textOf(live)).toBe('One.\nTwo.\nThree.');
    expect(paragraphStatus(live, 'p1')).toBe('open');
    // Forward: the amendment is deleted by the restore's own client, not rewound away; the first block is the same item.
    expect(live.getXmlFragment(BODY_FRAGMENT).get(0)).toBe(untouched);
    expect(Y.getState(live.store, change.clientId)).toBeGreaterThan(0);
  });

  it('is nothing when the live text already reads as the reading', () => {
    const live = draft(['One.', 'Two.']);
    expect(restoreChange(live, Y.encodeStateAsUpdate(live))).toBeNull();
  });

  it('removes paragraphs added since, and marks them deleted for the record', () => {
    const live = draft(['One.']);
    const reading = Y.encodeStateAsUpdate(live);
    const p = new Y.XmlElement('paragraph');
    p.setAttribute(BLOCK_ID_ATTR, 'new');
    p.insert(0, [new Y.XmlText('Added later.')]);
    live.getXmlFragment(BODY_FRAGMENT).push([p]);
    const change = restoreChange(live, reading)!;
    expect(change.paragraphs.deleted).toEqual(new Set(['new']));
    Y.applyUpdate(live, change.update);
    expect(textOf(live)).toBe('One.');
  });
});
