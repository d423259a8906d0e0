import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as Y from 'yjs';
import { optionSummary } from '../../shared/model/agreed-text.js';
import { damagedRecords, describeDamaged } from '../../shared/model/damaged-records.js';
import { migrateDocument } from '../../shared/model/migrate-document.js';
import { ExportQuery } from '../../shared/schema/api.js';
import { exportDocument } from '../convert/export-document.js';
import { UnresolvedBracketsError } from '../errors.js';
import { openStorage } from '../storage/open-storage.js';
import { loadConfig } from '../config.js';
import { createLogger } from '../log.js';
import { DocumentStore } from '../storage/document-store.js';

/**
 * The secretariat's export without a server: reads the document straight from
 * SQLite in DATA_DIR (safe while the server runs: SQLite's WAL lets a reader
 * in, and every update the server received is already in the log).
 *
 *   npm run export -- <documentId> --format docx --version agreed [--unresolved keep|omit] [--comments] [-o file]
 */

const USAGE = `Usage: npm run export -- <documentId> [options]

  --format docx|html|md|txt      file format (default docx)
  --version agreed|bracketed     agreed text (a marked draft until all is agreed), or the compilation (default agreed)
  --unresolved keep|omit         agreed text with open brackets: keep them as in the compilation, or leave them out ("[...]")
  --comments                     include the comment threads
  -o, --output <file>            where to write ("-" for standard output; default: a name from the title)
  --data-dir <dir>               the server's DATA_DIR (default: $DATA_DIR or ./data)
  --list                         list the documents and their ids instead

Exit codes: 0 written, 1 failed, 2 bad usage, 3 open brackets (use --unresolved).`;

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      format: { type: 'string' },
      version: { type: 'string' },
      unresolved: { type: 'string' },
      comments: { type: 'boolean', default: false },
      output: { type: 'string', short: 'o' },
      'data-dir': { type: 'string' },
      list: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const dataDir = path.resolve(values['data-dir'] ?? process.env.DATA_DIR ?? './data');
  const database = loadConfig().database;
  if (!database && !fs.existsSync(path.join(dataDir, 'drafts.sqlite3'))) {
    throw new Error(`No drafts database in ${dataDir}. Pass --data-dir (or set DATA_DIR) to the server's data directory.`);
  }
  // With DATABASE_URL the documents are read from PostgreSQL, as the server keeps them.
  const db = openStorage({ dataDir, database }, createLogger('warn'));
  try {
    const store = new DocumentStore(db);
    if (values.list) {
      for (const d of store.list()) console.log(`${d.id}\t${d.title}`);
      return 0;
    }
    if (positionals.length !== 1) throw new UsageError('Give exactly one document id (see --list).');
    const id = positionals[0]!;
    const summary = store.get(id);
    if (!summary) throw new Error(`No document "${id}" in ${dataDir}. Run with --list to see the ids.`);

    const parsed = ExportQuery.safeParse({
      format: values.format,
      version: values.version,
      unresolved: values.unresolved,
      comments: values.comments ? '1' : undefined,
    });
    if (!parsed.success) {
      throw new UsageError(parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('\n'));
    }
    const query = parsed.data;
    const doc = new Y.Doc();
    Y.applyUpdate(doc, store.load(id).update);
    // Written by an older version: read in the current format, in memory only (the database is not written).
    migrateDocument(doc);
    // The export leaves out what cannot be read; say so, once, with the ids, for whoever repairs it.
    for (const line of describeDamaged(damagedRecords(doc))) console.error(`Warning: ${line}`);
    const file = await exportDocument(doc, query.format, {
      version: query.version,
      unresolved: query.unresolved,
      comments: query.comments,
      title: summary.title,
    });
    if (values.output === '-') {
      process.stdout.write(file.body);
      return 0;
    }
    const target = path.resolve(values.output ?? file.fileName);
    fs.writeFileSync(target, file.body);
    console.error(`Wrote ${target} (${file.body.length} bytes)`);
    return 0;
  } finally {
    db.close();
  }
}

function explainOpen(err: UnresolvedBracketsError): string {
  const lines = err.open.map((g) => `  ${g.ref ?? 'unnumbered paragraph'}: ${g.options.map((o) => optionSummary(o)).join(' / ')}`);
  return `${err.message}\n${lines.join('\n')}\nAdd --unresolved keep or --unresolved omit, or export --version bracketed.`;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof UnresolvedBracketsError) {
      console.error(explainOpen(err));
      process.exit(3);
    }
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`${(err as Error).message}\n\n${USAGE}`);
      process.exit(2);
    }
    console.error(`Export failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
