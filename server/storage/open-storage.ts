import fs from 'node:fs';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { openDatabase } from './database.js';
import { openPostgres } from './postgres/open-postgres.js';
import { sqliteDatabase, type SqlDatabase } from './sql-database.js';

/**
 * The storage the configuration names: PostgreSQL when DATABASE_URL is set
 * (several processes share it), else SQLite in the data directory. The
 * server and `npm run admin` open it the same way.
 */
export function openStorage(config: Pick<Config, 'dataDir' | 'database'>, log: Logger): SqlDatabase {
  if (!config.database) return sqliteDatabase(openDatabase(config.dataDir));
  // The invitation sealing key stays a file in DATA_DIR: every process serving the same database needs the same one.
  fs.mkdirSync(config.dataDir, { recursive: true });
  return openPostgres(config.database.url, config.dataDir, log, config.database.timeoutMs);
}
