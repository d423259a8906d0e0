import { DataRefusedError } from '../data-refused-error.js';
import type { Logger } from '../../log.js';
import { PgDatabase } from './pg-database.js';
import { PG_MIGRATIONS } from './pg-schema.js';

/**
 * Connects to PostgreSQL and brings its schema to this version. Refuses
 * (DataRefusedError: one line at start, exit 1) a database it cannot reach
 * and one made by a newer version. Migrations run under an advisory lock, so
 * several processes starting at once migrate once: the others wait, then find
 * nothing left to do.
 */
export function openPostgres(url: string, dataDir: string | null, log: Logger, timeoutMs: number): PgDatabase {
  const db = new PgDatabase(url, dataDir, { timeoutMs, log: log.child({ component: 'postgres' }) });
  try {
    migrate(db);
    return db;
  } catch (err) {
    db.close();
    if (!db.reachable) throw new DataRefusedError(`PostgreSQL at ${db.address} cannot be reached (${db.unreachableReason}); check DATABASE_URL`);
    throw err;
  }
}

function migrate(db: PgDatabase): void {
  // One lock per schema: tests run each in a schema of its own, side by side.
  db.query("SELECT pg_advisory_lock(hashtext(current_schema() || ':drafts-migrations'))");
  try {
    db.query('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
    let version = db.query('SELECT version FROM schema_version').rows[0]?.version as number | undefined;
    if (version === undefined) {
      db.query('INSERT INTO schema_version (version) VALUES (0)');
      version = 0;
    }
    if (version > PG_MIGRATIONS.length) {
      throw new DataRefusedError(
        `PostgreSQL at ${db.address} was set up by a newer version of the drafting editor: this version knows ${PG_MIGRATIONS.length} schema migrations, the database is at ${version}`,
      );
    }
    for (let next = version; next < PG_MIGRATIONS.length; next++) {
      db.transaction(() => {
        db.query(PG_MIGRATIONS[next]!);
        db.query('UPDATE schema_version SET version = $1', [next + 1]);
      });
    }
  } finally {
    if (db.reachable) db.query("SELECT pg_advisory_unlock(hashtext(current_schema() || ':drafts-migrations'))");
  }
}
