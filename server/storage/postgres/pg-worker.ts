import { type MessagePort, workerData } from 'node:worker_threads';
import pg from 'pg';

/** What the main thread sends (pg-database.ts); one at a time, since the main thread waits for each answer. */
export type PgRequest = { id: number; op: 'query'; name?: string | undefined; text: string; values: unknown[] } | { id: number; op: 'end' };
export type PgAnswer =
  | { id: number; ok: true; rows: Array<Record<string, unknown>>; rowCount: number }
  | { id: number; ok: false; message: string; code: string | undefined; connection: boolean };
export type PgWorkerData = { port: MessagePort; flag: Int32Array; connectionString: string; schema: string | null; timeoutMs: number };

const { port, flag, connectionString, schema, timeoutMs } = workerData as PgWorkerData;

/** BIGINT (counts, sequence numbers, Yjs client ids up to 2^32) as numbers, as SQLite gives them: all are far below 2^53. */
const INT8 = 20;
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

let client: pg.Client | null = null;

/** One connection, made on first use and again after it broke (PostgreSQL restarted): the next query reconnects. */
async function connected(): Promise<pg.Client> {
  if (client) return client;
  const fresh = new pg.Client({ connectionString, types, connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs });
  fresh.on('error', () => {
    if (client === fresh) client = null;
  });
  await fresh.connect();
  if (schema) {
    const quoted = `"${schema.replaceAll('"', '""')}"`;
    // Two processes starting at once may both create it: the loser's "already exists" is no failure.
    await fresh.query(`CREATE SCHEMA IF NOT EXISTS ${quoted}`).catch((err: { code?: string }) => {
      if (err.code !== '23505' && err.code !== '42P06') throw err;
    });
    await fresh.query(`SET search_path TO ${quoted}`);
  }
  client = fresh;
  return fresh;
}

/**
 * A failure of the connection rather than of the statement: no SQLSTATE at
 * all (a socket error, a timeout), class 08 (connection exception) or 57P
 * (the server shutting down or starting). The main thread treats these as
 * "PostgreSQL unreachable".
 */
function isConnectionFailure(err: { code?: unknown }): boolean {
  const code = typeof err.code === 'string' ? err.code : '';
  return code === '' || /^E[A-Z]+$/.test(code) || code.startsWith('08') || code.startsWith('57P');
}

port.on('message', async (request: PgRequest) => {
  let answer: PgAnswer;
  try {
    if (request.op === 'end') {
      await client?.end();
      client = null;
      answer = { id: request.id, ok: true, rows: [], rowCount: 0 };
    } else {
      const db = await connected();
      // Structured cloning turned Buffers into Uint8Arrays, which pg would not send as BYTEA.
      const values = request.values.map((v) => (v instanceof Uint8Array && !Buffer.isBuffer(v) ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : v));
      const results: pg.QueryResult | pg.QueryResult[] = await db.query({ name: request.name, text: request.text, values });
      // A script of several statements (a migration) answers one result per statement: the last one counts.
      const result = Array.isArray(results) ? results[results.length - 1]! : results;
      answer = { id: request.id, ok: true, rows: result.rows, rowCount: result.rowCount ?? 0 };
    }
  } catch (caught) {
    const err = caught as Error & { code?: string };
    const connection = isConnectionFailure(err);
    if (connection) {
      const broken = client;
      client = null;
      void broken?.end().catch(() => {});
    }
    answer = { id: request.id, ok: false, message: err.message, code: err.code, connection };
  }
  port.postMessage(answer);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
});

// Loaded: statements may be timed from now on (pg-database.ts waits for this before its first).
Atomics.store(flag, 1, 1);
Atomics.notify(flag, 1);
