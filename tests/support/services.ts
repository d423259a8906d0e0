import pg from 'pg';
import { createClient } from 'redis';
import { dropSchema as dropSchemaAt, freshSchemaName, withSchema } from './pg-schemas.js';

/**
 * The services some tests need (PostgreSQL, Redis), where this project's
 * machines run them unless TEST_DATABASE_URL / TEST_REDIS_URL say otherwise.
 * Absent, those tests are reported skipped with the reason printed; under
 * REQUIRE_SERVICES=1 (CI) they fail instead, so a CI machine that lost a
 * service cannot pass by skipping.
 */
export const POSTGRES_URL: string = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL: string = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export type Service = 'postgres' | 'redis';

const TIMEOUT_MS = 2000;

const urlOf = (service: Service) => (service === 'postgres' ? POSTGRES_URL : REDIS_URL);

/** Without our own query parameters (`?schema=`, `?prefix=`), which the clients would not understand. */
function bare(url: string): string {
  const parsed = new URL(url);
  parsed.search = '';
  return parsed.href;
}

/** Null when the service answers (PostgreSQL `SELECT 1`, Redis `PING`) within 2 s, else why not. */
export async function serviceProblem(service: Service): Promise<string | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${TIMEOUT_MS} ms`), TIMEOUT_MS);
  });
  try {
    return await Promise.race([service === 'postgres' ? probePostgres() : probeRedis(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function probePostgres(): Promise<string | null> {
  const client = new pg.Client({ connectionString: bare(POSTGRES_URL), connectionTimeoutMillis: TIMEOUT_MS, query_timeout: TIMEOUT_MS });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (err) {
    return reason(err);
  } finally {
    void client.end().catch(() => {});
  }
}

async function probeRedis(): Promise<string | null> {
  // No reconnecting: one attempt answers the question.
  const client = createClient({ url: bare(REDIS_URL), socket: { connectTimeout: TIMEOUT_MS, reconnectStrategy: false } });
  client.on('error', () => {});
  try {
    await client.connect();
    const answer = await client.ping();
    return answer === 'PONG' ? null : `PING answered ${JSON.stringify(answer)}`;
  } catch (err) {
    return reason(err);
  } finally {
    if (client.isOpen) void client.close().catch(() => {});
  }
}

function reason(err: unknown): string {
  const e = err as { message?: unknown; code?: unknown; errors?: Array<{ message?: unknown }> };
  // A refused connection to "localhost" is an AggregateError (IPv4 and IPv6) with an empty message.
  const message = (typeof e.message === 'string' && e.message) || e.errors?.map((inner) => String(inner.message)).join('; ') || String(e.code ?? err);
  return message.split('\n')[0]!;
}

/**
 * Null when every service answers. Otherwise: under REQUIRE_SERVICES=1
 * throws (the test file fails); else prints why on stderr, one line per
 * missing service, and resolves with the reason, for
 * `describe.skipIf(missing !== null)`.
 */
export async function needServices(...services: Service[]): Promise<string | null> {
  const problems: string[] = [];
  for (const service of services) {
    const problem = await serviceProblem(service);
    if (problem !== null) problems.push(`${service} not reachable at ${bare(urlOf(service))} (${problem})`);
  }
  if (problems.length === 0) return null;
  if (process.env.REQUIRE_SERVICES === '1') throw new Error(`REQUIRE_SERVICES=1 but ${problems.join('; ')}`);
  for (const problem of problems) process.stderr.write(`skipped: ${problem}\n`);
  return problems.join('; ');
}

/** POSTGRES_URL with a schema of its own (created by the server on first use), dropped at the end of the run at the latest. */
export function freshSchemaUrl(label: string): string {
  return withSchema(POSTGRES_URL, freshSchemaName(label));
}

/** Drops the schema of a `freshSchemaUrl` (or any `?schema=` address) with everything in it. */
export async function dropSchema(url: string): Promise<void> {
  await dropSchemaAt(url);
}
