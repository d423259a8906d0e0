import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DocumentUnreadableError } from '../../server/errors.js';
import { backupFileName, pruneBackups } from '../../server/storage/backup-schedule.js';
import { checkData } from '../../server/storage/check-data.js';
import { openDatabase, type Db } from '../../server/storage/database.js';
import { DocumentStore } from '../../server/storage/document-store.js';

describe('stored content that does not decode', () => {
  let db: Db;
  let store: DocumentStore;
  beforeEach(() => {
    db = openDatabase(fs.mkdtempSync(path.join(os.tmpdir(), 'damage-')));
    store = new DocumentStore(db);
  });
  afterEach(() => db.close());

  const contentUpdate = (text: string) => {
    const doc = new Y.Doc();
    doc.getText('t').insert(0, text);
    return Y.encodeStateAsUpdate(doc);
  };

  it('makes load throw DocumentUnreadableError naming the row, and check report it, for a log row and for a lone snapshot', () => {
    store.create({ id: 'logged', title: 'Logged', content: contentUpdate('fine') });
    store.append('logged', contentUpdate('also fine'));
    store.append('logged', new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x0f]));
    store.create({ id: 'snapshot', title: 'Snapshot', content: new TextEncoder().encode('not a Yjs update at all') });
    store.create({ id: 'healthy', title: 'Healthy', content: contentUpdate('healthy') });

    const thrown = (() => {
      try {
        store.load('logged');
      } catch (err) {
        return err;
      }
    })();
    expect(thrown).toBeInstanceOf(DocumentUnreadableError);
    expect(thrown).toMatchObject({ status: 503, documentId: 'logged', damage: expect.stringMatching(/^logged update seq \d+ does not decode/) });
    expect(() => store.load('snapshot')).toThrow(DocumentUnreadableError);
    expect(store.damagedRows('snapshot')).toEqual([expect.stringMatching(/^the snapshot does not decode/)]);
    expect(store.damagedRows('healthy')).toEqual([]);

    const report = checkData(db);
    expect(report.storage).toEqual([]);
    expect([...report.content].sort()).toEqual([
      expect.stringMatching(/^document logged: logged update seq \d+ does not decode/),
      expect.stringMatching(/^document snapshot: the snapshot does not decode/),
    ]);
    expect(report).toMatchObject({ documents: 3, updates: 2, readings: 0 });
  });
});

describe('scheduled backup files', () => {
  it('are named to sort by time, and pruning keeps the newest of ours and nothing else is touched', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'backups-'));
    const times = ['2026-03-09T23:59:59.999Z', '2026-03-10T08:00:00.000Z', '2026-03-10T10:30:00.000Z', '2026-03-11T00:00:00.000Z'];
    const names = times.map((t) => backupFileName(new Date(t)));
    expect([...names].reverse().sort()).toEqual(names);
    for (const name of [...names, 'notes.txt', 'drafts.sqlite3', `${names[3]}.partial-123`]) fs.writeFileSync(path.join(dir, name), 'x');
    const deleted = pruneBackups(dir, 2);
    expect(deleted.map((f) => path.basename(f))).toEqual(names.slice(0, 2));
    expect(fs.readdirSync(dir).sort()).toEqual([...names.slice(2), 'drafts.sqlite3', 'notes.txt', `${names[3]}.partial-123`].sort());
  });
});
