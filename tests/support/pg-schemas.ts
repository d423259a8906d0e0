import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * Every PostgreSQL schema a test run makes is named `drafts_test_<run>_…`, so
 * the run can drop what it made at the end (pg-global-setup.ts) without
 * touching another run's schemas on the same database. The run id comes from
 * the global setup through the environment, which the test workers inherit;
 * a file run without it gets an id of its own (its schemas then outlive it,
 * as nothing would know to drop them).
 */
export const RUN_ENV = 'DRAFTS_TEST_RUN';

export function newRunId(): string {
  return randomBytes(4).toString('hex');
}

const fallbackRun = newRunId();

export function runId(): string {
  return process.env[RUN_ENV] ?? fallbackRun;
}

/** The prefix of this run's schemas, for a LIKE pattern (underscores escaped: they match any character there). */
export function runSchemaPattern(run: string = runId()): string {
  return `drafts\\_test\\_${run}\\_%`;
}

/** A lowercase identifier PostgreSQL takes unquoted, within its 63 characters. */
export function schemaName(label: string, unique: string): string {
  const safe = label.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 24) || 'x';
  return `drafts_test_${runId()}_${safe}_${unique}`.slice(0, 63);
}

/** A schema of its own for each label and call. */
export function freshSchemaName(label: string): string {
  return schemaName(label, randomBytes(3).toString('hex'));
}

/**
 * The schema of a data directory: the same for every server and admin
 * command a test starts on that directory, so a server restarted on it finds
 * its documents again, as it would in the SQLite file there.
 */
export function dataDirSchemaName(dataDir: string): string {
  return schemaName('dir', createHash('sha256').update(dataDir).digest('hex').slice(0, 10));
}

/** `url` with our own `?schema=` parameter (server/storage/postgres/pg-database.ts takes it off before connecting). */
export function withSchema(url: string, schema: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('schema', schema);
  return parsed.href;
}

/** The address without `?schema=`, as pg wants it. */
function connectionString(url: string): string {
  const parsed = new URL(url);
  parsed.searchParams.delete('schema');
  return parsed.href;
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: connectionString(url), connectionTimeoutMillis: 2000 });
  client.on('error', () => {});
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => {});
  }
}

const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Drops the schema named in `url` (`?schema=`) and everything in it; nothing when there is none. */
export async function dropSchema(url: string): Promise<void> {
  const schema = new URL(url).searchParams.get('schema');
  if (!schema) return;
  await withClient(url, (client) => client.query(`DROP SCHEMA IF EXISTS ${quoted(schema)} CASCADE`));
}

/** Drops every schema whose name matches the LIKE `pattern`; resolves with how many. */
export async function dropSchemasLike(url: string, pattern: string): Promise<number> {
  return withClient(url, async (client) => {
    const found = await client.query<{ nspname: string }>('SELECT nspname FROM pg_namespace WHERE nspname LIKE $1', [pattern]);
    for (const { nspname } of found.rows) await client.query(`DROP SCHEMA IF EXISTS ${quoted(nspname)} CASCADE`);
    return found.rows.length;
  });
}
