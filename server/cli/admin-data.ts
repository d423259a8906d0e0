import fs from 'node:fs';
import path from 'node:path';
import { backupDatabase } from '../storage/backup.js';
import { allProblems, checkData } from '../storage/check-data.js';
import { DATABASE_FILE, openDatabaseReadOnly } from '../storage/database.js';
import { restoreBackup } from '../storage/restore.js';

/** What the data commands are given from the command line (parsed in admin.ts). */
export type DataCommandArgs = { dataDir: string; out?: string | undefined; file?: string | undefined; force: boolean; positionals: string[] };

export const DATA_USAGE = `  npm run admin -- backup --out <file> [--force]
  npm run admin -- restore <file> [--force]
  npm run admin -- check [--file <backup file>]`;

/**
 * The data directory's commands: backup, restore, check. Each says what it did
 * on stdout; a refusal or a problem found throws, which admin.ts prints as one
 * line and exits 1.
 */
export const dataCommands: Record<string, (args: DataCommandArgs) => Promise<void>> = {
  async backup({ dataDir, out, force }) {
    if (!out) throw new Error('--out <file> is required: where the backup is written');
    const target = path.resolve(out);
    if (fs.existsSync(target) && !force) throw new Error(`${target} already exists; choose another name, or add --force to replace it`);
    if (!fs.existsSync(path.join(dataDir, DATABASE_FILE))) throw new Error(`DATA_DIR ${dataDir} holds no database to back up`);
    const done = await backupDatabase(dataDir, target);
    console.log(`backup written: ${done.file} (${done.bytes} bytes, ${done.ms} ms)`);
  },

  async restore({ dataDir, positionals, force }) {
    const [file, extra] = positionals;
    if (!file || extra !== undefined) throw new Error('restore takes one backup file: npm run admin -- restore <file> [--force]');
    const done = await restoreBackup(path.resolve(file), dataDir, { force });
    for (const aside of done.keptAside) console.log(`kept aside: ${aside}`);
    console.log(`restored ${path.resolve(file)} into ${done.database}`);
    if (!done.carried.length) console.log('note: the file carried no invitation key: invitation links made before cannot be shown again (they still open the document)');
    for (const line of done.damaged) console.log(`warning: ${line} (the server will quarantine that document)`);
  },

  async check({ dataDir, file }) {
    const target = file ? path.resolve(file) : path.join(dataDir, DATABASE_FILE);
    const db = openDatabaseReadOnly(target);
    try {
      const report = checkData(db);
      const problems = allProblems(report);
      for (const line of problems) console.log(line);
      if (problems.length > 0) throw new Error(`${target}: ${problems.length} problem${problems.length === 1 ? '' : 's'} found`);
      console.log(`OK ${target}: ${report.documents} documents, ${report.updates} logged updates, ${report.readings} readings`);
    } finally {
      db.close();
    }
  },
};
