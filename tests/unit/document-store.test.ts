import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { openDatabase, type Db } from '../../server/storage/database.js';
import { DocumentStore } from '../../server/storage/document-store.js';

describe('DocumentStore on a real SQLite file', () => {
  let dir: string;
  let db: Db;
  let store: DocumentStore;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'store-'));
    db = openDatabase(dir);
    store = new DocumentStore(db);
  });
  afterEach(() => db.close());

  function edits(n: number): { doc: Y.Doc; updates: Uint8Array[] } {
    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    const text = doc.getText('t');
    for (let i = 0; i < n; i++) text.insert(Math.floor(text.length / 2), `w${i} `);
    return { doc, updates };
  }
  const textOf = (update: Uint8Array) => {
    const d = new Y.Doc();
    Y.applyUpdate(d, update);
    return d.getText('t').toString();
  };

  it('loads the snapshot plus every appended update, before and after compaction', () => {
    store.create({ id: 'a', title: 'A' });
    const { doc, updates } = edits(200);
    for (const u of updates) store.append('a', u);
    const loaded = store.load('a');
    expect(loaded.logLength).toBe(200);
    expect(textOf(loaded.update)).toBe(doc.getText('t').toString());

    store.compact('a', Y.encodeStateAsUpdate(doc));
    const compacted = store.load('a');
    expect(compacted.logLength).toBe(0);
    expect(textOf(compacted.update)).toBe(doc.getText('t').toString());

    doc.getText('t').insert(0, 'after ');
    store.append('a', Y.encodeStateAsUpdate(doc));
    expect(textOf(store.load('a').update)).toBe(doc.getText('t').toString());
  });

  it('keeps its data when reopened', () => {
    store.create({ id: 'b', title: 'B' });
    const { doc, updates } = edits(10);
    for (const u of updates) store.append('b', u);
    db.close();
    db = openDatabase(dir);
    store = new DocumentStore(db);
    expect(store.get('b')?.title).toBe('B');
    expect(textOf(store.load('b').update)).toBe(doc.getText('t').toString());
  });

  it('lists by last edit, renames, and deletes with the content', () => {
    store.create({ id: 'old', title: 'Old', at: new Date('2026-01-01') });
    store.create({ id: 'new', title: 'New', at: new Date('2026-02-01') });
    expect(store.list().map((d) => d.id)).toEqual(['new', 'old']);
    store.touch('old', new Date('2026-03-01'), 7);
    expect(store.list().map((d) => d.id)).toEqual(['old', 'new']);
    expect(store.get('old')?.paragraphCount).toBe(7);
    expect(store.rename('new', 'Renamed')?.title).toBe('Renamed');
    expect(store.rename('missing', 'x')).toBeUndefined();

    store.append('old', edits(1).updates[0]!);
    expect(store.delete('old')).toBe(true);
    expect(store.exists('old')).toBe(false);
    expect(db.prepare('SELECT COUNT(*) AS n FROM updates').get()).toEqual({ n: 0 });
  });

  it('keeps the first owner of a client id, in camelCase, and forgets a binding only for its owner', () => {
    store.create({ id: 'c', title: 'C' });
    store.bindClientId('c', 42, { principal: 'invitation:a', delegation: 'Egypt', role: 'delegate' });
    store.bindClientId('c', 42, { principal: 'invitation:b', delegation: 'Chile', role: 'delegate' });
    expect(store.clientIds('c')).toEqual([{ clientId: 42, principal: 'invitation:a', delegation: 'Egypt', role: 'delegate' }]);
    store.unbindClientId('c', 42, 'invitation:b');
    expect(store.clientIds('c')).toHaveLength(1);
    store.unbindClientId('c', 42, 'invitation:a');
    expect(store.clientIds('c')).toEqual([]);
  });

  it('prepares its statements once, not on every call', () => {
    const prepare = vi.spyOn(db, 'prepare');
    const fresh = new DocumentStore(db);
    const prepared = prepare.mock.calls.length;
    fresh.create({ id: 'p', title: 'P', content: edits(1).updates[0]! });
    fresh.list();
    fresh.get('p');
    fresh.exists('p');
    fresh.isEmpty();
    fresh.rename('p', 'Q');
    fresh.touch('p', new Date(), 3);
    fresh.append('p', edits(2).updates[1]!);
    fresh.load('p');
    fresh.bindClientId('p', 1, { principal: 'account:x', delegation: 'Secretariat', role: 'secretariat' });
    fresh.clientIds('p');
    fresh.unbindClientId('p', 1, 'account:x');
    fresh.compact('p', fresh.load('p').update);
    fresh.delete('p');
    expect(prepare.mock.calls.length).toBe(prepared);
  });
});
