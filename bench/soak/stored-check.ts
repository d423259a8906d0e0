import path from 'node:path';
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import { BODY_FRAGMENT } from '../../shared/schema/ydoc.js';
import { DocumentStore } from '../../server/storage/document-store.js';
import { missingLines } from './side-document.js';
import { shortfall, type Shortfall, type Typed } from './typed-counts.js';

export type StoredCheck = {
  main: Shortfall;
  /** Update-log rows left for the main document: below COMPACT_AFTER_UPDATES means compaction kept folding it. */
  mainLogRows: number;
  sideMissingLines: number;
};

/**
 * What the server wrote, read after it stopped: its SQLite file opened
 * read-only, each document rebuilt by the store's own load (snapshot merged
 * with the update log), so this counts exactly what a restarted server would
 * serve.
 */
export function checkStored(dataDir: string, ids: { main: string; side: string }, typed: Typed, sideLines: readonly string[]): StoredCheck {
  const db = new Database(path.join(dataDir, 'drafts.sqlite3'), { readonly: true, fileMustExist: true });
  try {
    const store = new DocumentStore(db);
    const rebuild = (id: string) => {
      const stored = store.load(id);
      const doc = new Y.Doc();
      Y.applyUpdate(doc, stored.update);
      return { doc, logRows: stored.logLength };
    };
    const main = rebuild(ids.main);
    const side = rebuild(ids.side);
    return {
      main: shortfall(main.doc, typed),
      mainLogRows: main.logRows,
      sideMissingLines: missingLines(side.doc.getXmlFragment(BODY_FRAGMENT), sideLines).length,
    };
  } finally {
    db.close();
  }
}
