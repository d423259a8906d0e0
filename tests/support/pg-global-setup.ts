import { dropSchemasLike, newRunId, RUN_ENV, runSchemaPattern } from './pg-schemas.js';

/**
 * Global setup of the integration and browser projects: names the run (the
 * test workers inherit the id through the environment, so the schemas they
 * make carry it) and, at the end, drops every PostgreSQL schema the run made,
 * in the database of DATABASE_URL (the suite in PostgreSQL mode) and of
 * TEST_DATABASE_URL (the tests that need PostgreSQL whatever the mode). The
 * second project to start keeps the first one's id: one run, one name.
 */
export default function setup(): () => Promise<void> {
  process.env[RUN_ENV] ??= newRunId();
  const run = process.env[RUN_ENV];
  return async () => {
    const databases = new Set([process.env.DATABASE_URL, process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test']);
    for (const url of databases) {
      if (!url) continue;
      try {
        await dropSchemasLike(url, runSchemaPattern(run));
      } catch (err) {
        // No PostgreSQL here (plain `npm test` on a machine without it): then this run made no schema there either.
        if (process.env.DATABASE_URL === url) process.stderr.write(`could not drop this run's schemas at ${new URL(url).host}: ${(err as Error).message}\n`);
      }
    }
  };
}
