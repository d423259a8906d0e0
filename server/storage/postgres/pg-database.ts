import { MessageChannel, type MessagePort, type Worker, receiveMessageOnPort } from 'node:worker_threads';
import { startWorker } from '../../start-worker.js';
import pg from 'pg';
import { STORAGE_UNAVAILABLE_MESSAGE, StorageUnavailableError } from '../../errors.js';
import type { Logger } from '../../log.js';
import type { SqlDatabase, SqlStatement } from '../sql-database.js';
import { bindValues, type PgStatementText, toPostgres } from './pg-dialect.js';
import type { PgAnswer, PgRequest, PgWorkerData } from './pg-worker.js';

/** An error PostgreSQL raised for a statement (a constraint, bad SQL): thrown with its SQLSTATE as `code`. */
class PostgresError extends Error {
  override readonly name = 'PostgresError';
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

export type PgOptions = {
  /** How long one statement may take before PostgreSQL counts as unreachable (the event loop waits at most this). */
  timeoutMs: number;
  /** How often an unreachable PostgreSQL is tried again. */
  probeEveryMs?: number;
  log: Logger;
};

/** `postgres://host/db?schema=name`: our own parameter (tests give each run a schema of its own), taken off before pg sees the address. */
export function parseDatabaseUrl(url: string): { connectionString: string; schema: string | null; shown: string } {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema');
  parsed.searchParams.delete('schema');
  const shown = new URL(parsed.href);
  if (shown.password) shown.password = '***';
  return { connectionString: parsed.href, schema: schema || null, shown: `${shown.protocol}//${shown.host}${shown.pathname}` };
}

/** How long a worker thread may take to load (tsx compiles it on a busy machine) before its first statement. */
const WORKER_START_MS = 30_000;

/**
 * PostgreSQL behind the stores' synchronous interface (SqlDatabase). The
 * queries run in a worker thread holding one connection; this thread posts
 * a statement and waits on a shared flag until the answer is there
 * (Atomics.wait, then receiveMessageOnPort), so a caller gets its rows in the
 * same call, as with SQLite. Why block: the room's rule "stored before
 * relayed" and a document "loaded before its first sync message" stay one
 * line each, for both engines, instead of every store and its forty callers
 * becoming asynchronous. What it costs: one round trip to PostgreSQL per
 * statement with the event loop held (measured in docs/performance.md,
 * "PostgreSQL and Redis"), the same kind of cost as SQLite's own write.
 *
 * Unreachable PostgreSQL: a statement that fails on the connection, or gets
 * no answer within `timeoutMs`, throws StorageUnavailableError (503, close
 * 4504), and so does every statement after it, at once, until a probe on
 * another connection (asynchronous, every `probeEveryMs`) gets an answer.
 */
export class PgDatabase implements SqlDatabase {
  readonly kind = 'postgres' as const;
  private worker!: Worker;
  private port!: MessagePort;
  /** [0]: an answer is there; [1]: the worker has loaded (its start, tsx included, is not counted in a statement's timeout). */
  private readonly flag = new Int32Array(new SharedArrayBuffer(8));
  private nextId = 1;
  private readonly names = new Map<string, string>();
  private depth = 0;
  private down: string | null = null;
  private probeTimer: NodeJS.Timeout | undefined;
  private probing = false;
  private readonly target: ReturnType<typeof parseDatabaseUrl>;

  constructor(
    url: string,
    readonly dataDir: string | null,
    private readonly options: PgOptions,
  ) {
    this.target = parseDatabaseUrl(url);
    this.startWorker();
  }

  /** Where it connects, without a password (for logs and the start-up error). */
  get address(): string {
    return this.target.shown;
  }

  /** Why PostgreSQL counts as unreachable ("connect ECONNREFUSED 127.0.0.1:5433"), or null. */
  get unreachableReason(): string | null {
    return this.down;
  }

  /** Whether the last statement (or probe) reached PostgreSQL. */
  get reachable(): boolean {
    return this.down === null;
  }

  prepare<P extends unknown[] = unknown[], R = unknown>(sql: string): SqlStatement<P, R> {
    const statement = toPostgres(sql);
    let name = this.names.get(statement.text);
    if (!name) {
      name = `s${this.names.size + 1}`;
      this.names.set(statement.text, name);
    }
    return new PgStatement<P, R>(this, statement, name);
  }

  /** Runs one statement (SQL in PostgreSQL's words); `name` makes it a prepared statement of the connection. */
  query(text: string, values: unknown[] = [], name?: string): { rows: Array<Record<string, unknown>>; rowCount: number } {
    if (this.down !== null) throw new StorageUnavailableError(STORAGE_UNAVAILABLE_MESSAGE);
    if (Atomics.load(this.flag, 1) === 0 && Atomics.wait(this.flag, 1, 0, WORKER_START_MS) === 'timed-out') {
      throw new Error(`the PostgreSQL worker did not start within ${WORKER_START_MS} ms`);
    }
    const id = this.nextId++;
    Atomics.store(this.flag, 0, 0);
    this.port.postMessage({ id, op: 'query', name, text, values } satisfies PgRequest);
    if (Atomics.wait(this.flag, 0, 0, this.options.timeoutMs) === 'timed-out') {
      // The connection is in an unknown state (a statement may still be running): it goes with its worker.
      this.goDown(`no answer within ${this.options.timeoutMs} ms`);
      void this.worker.terminate();
      this.startWorker();
      throw new StorageUnavailableError(STORAGE_UNAVAILABLE_MESSAGE);
    }
    let received = receiveMessageOnPort(this.port);
    while (received && (received.message as PgAnswer).id !== id) received = receiveMessageOnPort(this.port);
    const answer = received?.message as PgAnswer | undefined;
    if (!answer) throw new Error('the PostgreSQL worker answered nothing');
    if (!answer.ok) {
      if (answer.connection) {
        this.goDown(answer.message);
        throw new StorageUnavailableError(STORAGE_UNAVAILABLE_MESSAGE);
      }
      throw new PostgresError(answer.message, answer.code);
    }
    for (const row of answer.rows) {
      // Cloned from the worker, BYTEA arrives as Uint8Array: Buffers again, as better-sqlite3 gives them.
      for (const key in row) {
        const value = row[key];
        if (value instanceof Uint8Array && !Buffer.isBuffer(value)) row[key] = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
      }
    }
    return answer;
  }

  transaction<T>(work: () => T): T {
    const savepoint = this.depth > 0 ? `s${this.depth}` : null;
    this.query(savepoint ? `SAVEPOINT ${savepoint}` : 'BEGIN');
    this.depth++;
    try {
      const result = work();
      this.query(savepoint ? `RELEASE SAVEPOINT ${savepoint}` : 'COMMIT');
      return result;
    } catch (err) {
      // Unreachable: the connection is gone and PostgreSQL rolled back with it; otherwise roll back here.
      if (this.down === null) this.query(savepoint ? `ROLLBACK TO SAVEPOINT ${savepoint}` : 'ROLLBACK');
      throw err;
    } finally {
      this.depth--;
    }
  }

  checkpoint(): void {}

  close(): void {
    clearInterval(this.probeTimer);
    if (this.down === null) {
      // Said goodbye to, so PostgreSQL does not log an unexpected end of the connection: a second at most.
      Atomics.store(this.flag, 0, 0);
      this.port.postMessage({ id: this.nextId++, op: 'end' } satisfies PgRequest);
      Atomics.wait(this.flag, 0, 0, 1_000);
    }
    void this.worker.terminate();
  }

  private startWorker(): void {
    const { port1, port2 } = new MessageChannel();
    // Cleared before the worker exists: it sets it once loaded.
    Atomics.store(this.flag, 1, 0);
    const data: PgWorkerData = {
      port: port2,
      flag: this.flag,
      connectionString: this.target.connectionString,
      schema: this.target.schema,
      timeoutMs: this.options.timeoutMs,
    };
    this.worker = startWorker(import.meta.url, './pg-worker', { workerData: data, transferList: [port2] });
    this.worker.unref();
    this.port = port1;
    this.depth = 0;
  }

  private goDown(why: string): void {
    if (this.down !== null) return;
    this.down = why;
    this.depth = 0;
    this.options.log.error({ database: this.address, err: why }, 'PostgreSQL unreachable: requests that need it are refused until it answers again');
    this.probeTimer = setInterval(() => void this.probe(), this.options.probeEveryMs ?? 1000);
    this.probeTimer.unref();
  }

  /** A fresh connection and one query, off the event loop: when it answers, statements go to PostgreSQL again. */
  private async probe(): Promise<void> {
    if (this.probing || this.down === null) return;
    this.probing = true;
    const client = new pg.Client({ connectionString: this.target.connectionString, connectionTimeoutMillis: this.options.timeoutMs });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.query('SELECT 1');
      const was = this.down;
      this.down = null;
      clearInterval(this.probeTimer);
      this.options.log.warn({ database: this.address, was }, 'PostgreSQL answers again');
    } catch {
      // Still unreachable: the next probe tries again.
    } finally {
      this.probing = false;
      void client.end().catch(() => {});
    }
  }
}

class PgStatement<P extends unknown[], R> implements SqlStatement<P, R> {
  constructor(
    private readonly db: PgDatabase,
    private readonly statement: PgStatementText,
    private readonly name: string,
  ) {}

  private run_(params: unknown[]) {
    return this.db.query(this.statement.text, bindValues(this.statement, params), this.name);
  }

  get(...params: P): R | undefined {
    return this.run_(params).rows[0] as R | undefined;
  }

  all(...params: P): R[] {
    return this.run_(params).rows as R[];
  }

  run(...params: P): { changes: number } {
    return { changes: this.run_(params).rowCount };
  }

  iterate(...params: P): IterableIterator<R> {
    return (this.run_(params).rows as R[])[Symbol.iterator]();
  }
}
