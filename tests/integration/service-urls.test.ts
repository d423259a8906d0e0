import { execFile } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDataDir } from '../support/server-process.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** Starts the server with `env` and waits for it to exit (it must not get as far as listening). */
function startRefused(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  // Not the suite's own DATABASE_URL (its PostgreSQL mode): each case names only what it means to test.
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ['--import', 'tsx', 'server/main.ts'],
      { cwd: ROOT, env: { ...inherited, PORT: '0', DATA_DIR: tempDataDir(), LOG_LEVEL: 'silent', ...env }, timeout: 30_000 },
      (_err, _stdout, stderr) => resolve({ code: child.exitCode, stderr }),
    );
  });
}

describe('a DATABASE_URL or REDIS_URL that cannot be reached at start', () => {
  it('PostgreSQL: one line naming it, exit 1, no stack trace', async () => {
    const { code, stderr } = await startRefused({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/test' });
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(/^PostgreSQL at postgres:\/\/127\.0\.0\.1:1\/test cannot be reached \(.*ECONNREFUSED.*\); check DATABASE_URL$/)]);
  });

  it('Redis: one line naming it, exit 1, no stack trace', async () => {
    const { code, stderr } = await startRefused({ REDIS_URL: 'redis://127.0.0.1:1' });
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(/^Redis at redis:\/\/127\.0\.0\.1:1 cannot be reached \(.*\); check REDIS_URL$/)]);
  });

  it('a DATABASE_URL that is not a postgres:// address is a configuration error', async () => {
    const { code, stderr } = await startRefused({ DATABASE_URL: 'mysql://127.0.0.1/test' });
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/DATABASE_URL: a postgres:\/\/ address/);
  });
});
