import * as Y from 'yjs';
import { integrityProblems, type Db } from './database.js';
import { DocumentStore } from './document-store.js';

export type CheckReport = {
  /** The file itself: SQLite's integrity check, foreign keys, tables that cannot be read. */
  storage: string[];
  /** Documents' and readings' content that does not decode, one line each naming the document and the row. */
  content: string[];
  documents: number;
  updates: number;
  readings: number;
};

/** Beyond this many lines from SQLite the rest is the same damage said again. */
const MAX_SQLITE_LINES = 20;

/**
 * Everything `npm run admin -- check` verifies, read-only: SQLite's full
 * integrity_check and foreign keys, then that every document's snapshot and
 * each logged update decodes, that the whole state applies to a fresh
 * document, and that every reading's state decodes.
 */
export function checkData(db: Db): CheckReport {
  const problems: string[] = [];
  const report: CheckReport = { storage: problems, content: [], documents: 0, updates: 0, readings: 0 };
  const sqlite = integrityProblems(db, 'integrity_check');
  problems.push(...sqlite.slice(0, MAX_SQLITE_LINES).map((line) => `SQLite integrity_check: ${line}`));
  if (sqlite.length > MAX_SQLITE_LINES) problems.push(`SQLite integrity_check: ${sqlite.length - MAX_SQLITE_LINES} more lines`);
  attempt(problems, 'foreign keys', () => {
    for (const row of db.prepare<[], { table: string; rowid: number; parent: string }>('PRAGMA foreign_key_check').all()) {
      problems.push(`${row.table} row ${row.rowid} refers to a missing ${row.parent} row`);
    }
  });
  attempt(problems, 'documents', () => checkDocuments(db, report));
  attempt(problems, 'readings', () => checkReadings(db, report));
  return report;
}

/** Every problem of a report, the file's first. */
export function allProblems(report: CheckReport): string[] {
  return [...report.storage, ...report.content];
}

function checkDocuments(db: Db, report: CheckReport): void {
  const store = new DocumentStore(db);
  for (const { id } of store.list()) {
    report.documents++;
    report.updates += db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM updates WHERE doc_id = ?').get(id)!.n;
    const damaged = store.damagedRows(id);
    for (const row of damaged) report.content.push(`document ${id}: ${row}`);
    if (damaged.length > 0) continue;
    try {
      Y.applyUpdate(new Y.Doc(), store.load(id).update);
    } catch (err) {
      report.content.push(`document ${id}: its stored state does not apply (${(err as Error).message})`);
    }
  }
}

function checkReadings(db: Db, report: CheckReport): void {
  const rows = db.prepare<[], { id: string; document_id: string; name: string; state: Buffer }>(
    'SELECT id, document_id, name, state FROM readings ORDER BY document_id, at',
  );
  for (const row of rows.iterate()) {
    report.readings++;
    try {
      Y.applyUpdate(new Y.Doc(), row.state);
    } catch (err) {
      report.content.push(`document ${row.document_id}: reading "${row.name}" (${row.id}) does not decode (${(err as Error).message})`);
    }
  }
}

/** A part of the check that SQLite itself cannot read (a damaged table) is a problem to report, not a crash. */
function attempt(problems: string[], what: string, run: () => void): void {
  try {
    run();
  } catch (err) {
    problems.push(`${what} cannot be read: ${(err as Error).message}`);
  }
}
