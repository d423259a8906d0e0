import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { importFile } from '../../server/convert/import-file.js';
import { createLogger } from '../../server/log.js';
import { openDatabase, type Db } from '../../server/storage/database.js';
import { DocumentStore } from '../../server/storage/document-store.js';
import { seedDocuments } from '../../server/storage/seed-documents.js';

const SEEDS = path.resolve(import.meta.dirname, '../../seeds');
const log = createLogger('silent');

describe('seeding an empty data directory', () => {
  let dir: string;
  let db: Db;
  let store: DocumentStore;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seeds-'));
    db = openDatabase(dir);
    store = new DocumentStore(db);
  });
  afterEach(() => db.close());

  it('loads the seeds in manifest order, the first heading the list, as the importer reads them', async () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(SEEDS, 'index.json'), 'utf8')) as {
      seeds: Array<{ file: string; id: string; title: string }>;
    };
    expect(await seedDocuments(store, SEEDS, log)).toBe(manifest.seeds.length);
    expect(store.list().map((d) => [d.id, d.title])).toEqual(manifest.seeds.map((s) => [s.id, s.title]));

    const first = manifest.seeds[0]!;
    const imported = await importFile(first.file, fs.readFileSync(path.join(SEEDS, first.file)));
    expect(store.get(first.id)?.paragraphCount).toBe(imported.paragraphCount);
    const stored = new Y.Doc();
    Y.applyUpdate(stored, store.load(first.id).update);
    const expected = new Y.Doc();
    Y.applyUpdate(expected, imported.update);
    // Block ids are fresh on every import: the rest must be the same.
    const body = (doc: Y.Doc) => doc.getXmlFragment('default').toString().replace(/ id="[^"]*"/g, '');
    expect(body(stored)).toBe(body(expected));
  });

  it('leaves a data directory that has documents alone, and starts empty without a manifest', async () => {
    store.create({ id: 'mine', title: 'Mine' });
    expect(await seedDocuments(store, SEEDS, log)).toBe(0);
    expect(store.list().map((d) => d.id)).toEqual(['mine']);

    store.delete('mine');
    expect(await seedDocuments(store, dir, log)).toBe(0);
    expect(store.isEmpty()).toBe(true);
  });
});
