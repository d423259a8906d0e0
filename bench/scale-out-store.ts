import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import pino from 'pino';
import * as Y from 'yjs';
import { importFile } from '../server/convert/import-file.js';
import { openDatabase } from '../server/storage/database.js';
import { DocumentStore } from '../server/storage/document-store.js';
import { newDocumentId } from '../server/storage/document-ids.js';
import { openPostgres } from '../server/storage/postgres/open-postgres.js';
import { sqliteDatabase, type SqlDatabase } from '../server/storage/sql-database.js';
import { BODY_FRAGMENT } from '../shared/schema/ydoc.js';
import { ROOT } from './config.js';
import { distribution, type Distribution } from './stats.js';

export type StoreFigures = {
  storage: 'sqlite' | 'postgres';
  appends: number;
  updateBytes: number;
  appendMs: Distribution;
  /** Median of the loads of the seeded report: DocumentStore.load plus applying it to a fresh Y.Doc. */
  loadMedianMs: number;
  loadSamplesMs: number[];
};

const SEED = path.join(ROOT, 'seeds', '002_d139c0fac23d053a.txt');

/** Real keystroke updates, as a typist's Y.Doc emits them: one character each, in one paragraph. */
function keystrokeUpdates(count: number): Uint8Array[] {
  const doc = new Y.Doc();
  const paragraph = new Y.XmlElement('paragraph');
  const text = new Y.XmlText();
  paragraph.insert(0, [text]);
  doc.getXmlFragment(BODY_FRAGMENT).push([paragraph]);
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  for (let i = 0; i < count; i++) text.insert(text.length, 'abcdefghij'[i % 10]!);
  doc.destroy();
  return updates;
}

/** The same work on one store: `appends` appends to an empty document, then ten loads of the seeded report. */
async function measure(storage: StoreFigures['storage'], db: SqlDatabase, appends: number): Promise<StoreFigures> {
  const store = new DocumentStore(db);
  const updates = keystrokeUpdates(appends + 50);
  const typed = newDocumentId();
  store.create({ id: typed, title: 'Scale-out append bench' });
  // The first 50 warm up prepared statements, the connection and the JIT; they are not counted.
  for (const update of updates.slice(0, 50)) store.append(typed, update);
  const times: number[] = [];
  for (const update of updates.slice(50)) {
    const started = performance.now();
    store.append(typed, update);
    times.push(performance.now() - started);
  }

  const imported = await importFile(path.basename(SEED), fs.readFileSync(SEED));
  const seeded = newDocumentId();
  store.create({ id: seeded, title: 'EG-ITRs report', content: imported.update, paragraphCount: imported.paragraphCount });
  const loads: number[] = [];
  for (let i = 0; i < 11; i++) {
    const started = performance.now();
    const state = store.load(seeded);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, state.update);
    const took = performance.now() - started;
    doc.destroy();
    if (i > 0) loads.push(took); // the first one warms up
  }
  const sorted = [...loads].sort((a, b) => a - b);
  return {
    storage,
    appends,
    updateBytes: Math.round(updates.slice(50).reduce((n, u) => n + u.length, 0) / appends),
    appendMs: distribution(times),
    loadMedianMs: (sorted[4]! + sorted[5]!) / 2,
    loadSamplesMs: loads,
  };
}

export async function benchSqliteStore(appends: number): Promise<StoreFigures> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-scale-out-sqlite-'));
  const db = openDatabase(dir);
  try {
    return await measure('sqlite', sqliteDatabase(db), appends);
  } finally {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** On a schema of its own (`<base>?schema=<schema>`), dropped afterwards whatever happens. */
export async function benchPostgresStore(baseUrl: string, schema: string, appends: number): Promise<StoreFigures> {
  const log = pino({ level: 'warn' });
  try {
    const db = openPostgres(`${baseUrl}?schema=${schema}`, null, log, 5000);
    try {
      return await measure('postgres', db, appends);
    } finally {
      db.close();
    }
  } finally {
    await dropSchema(baseUrl, schema);
  }
}

export async function dropSchema(baseUrl: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: baseUrl });
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}
