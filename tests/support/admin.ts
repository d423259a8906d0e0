import { execFile } from 'node:child_process';
import path from 'node:path';
import { CreatedDocument } from '../../shared/schema/api.js';
import { CreatedInvitation } from '../../shared/schema/auth.js';
import type { Role } from '../../shared/schema/roles.js';
import { storageEnv, type ServerProcess } from './server-process.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

export const SECRETARIAT = { name: 'Test Secretariat', password: 'correct horse battery staple' };

/** The secretariat, signed in through the real API, as the tests' way to set things up. */
export type Admin = {
  cookie: string;
  api(path: string, init?: RequestInit): Promise<Response>;
  createDocument(title: string): Promise<string>;
  invite(documentId: string, role: Role, delegation?: string, extra?: { expiresInHours?: number; label?: string }): Promise<CreatedInvitation>;
  /** A token that opens a document with every right (a secretariat invitation). */
  token(documentId: string): Promise<string>;
};

export function setupUrlOf(server: ServerProcess): string | undefined {
  const entry = server.logs.find((l) => typeof l.setupUrl === 'string');
  return entry?.setupUrl as string | undefined;
}

/** Setup links are single-use: remember which this test process used. */
const usedSetupLinks = new Set<string>();

/** Creates the secretariat account with the first-start link, or signs in to the existing one. */
export async function signInSecretariat(server: ServerProcess): Promise<Admin> {
  const setupUrl = setupUrlOf(server);
  let res: Response;
  if (setupUrl && !usedSetupLinks.has(setupUrl)) {
    usedSetupLinks.add(setupUrl);
    res = await post(server.url, '/api/session/setup', { token: setupUrl.split('/').pop(), ...SECRETARIAT });
  } else {
    res = await post(server.url, '/api/session/password', SECRETARIAT);
  }
  if (!res.ok) throw new Error(`secretariat sign-in failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${server.url}${path}`, { ...init, headers: { cookie, ...(init.headers as Record<string, string>) } });
  const admin: Admin = {
    cookie,
    api,
    async createDocument(title) {
      const created = await api('/api/documents', jsonBody('POST', { title }));
      if (created.status !== 201) throw new Error(`create failed: ${created.status} ${await created.text()}`);
      return CreatedDocument.parse(await created.json()).id;
    },
    async invite(documentId, role, delegation, extra = {}) {
      const made = await api(`/api/documents/${documentId}/invitations`, jsonBody('POST', { role, delegation, ...extra }));
      if (made.status !== 201) throw new Error(`invite failed: ${made.status} ${await made.text()}`);
      return CreatedInvitation.parse(await made.json());
    },
    async token(documentId) {
      return (await admin.invite(documentId, 'secretariat')).token;
    },
  };
  return admin;
}

export function jsonBody(method: string, body: unknown): RequestInit {
  return { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

function post(base: string, path: string, body: unknown): Promise<Response> {
  return fetch(`${base}${path}`, jsonBody('POST', body));
}

export type AdminRun = { code: number; stdout: string; stderr: string };

/**
 * Where an admin command works: a data directory; 'sqlite' for the file
 * tools (backup, restore, check) when the suite runs on PostgreSQL; `env`
 * on top (a DATABASE_URL of the test's own, say).
 */
export type AdminTarget = string | { dataDir: string; storage?: 'sqlite'; env?: Record<string, string> };

/**
 * Runs `npm run admin -- <args>` (server/cli/admin.ts) on a data directory
 * and resolves with its exit code and output, failing or not. It sees the
 * storage a server started on that directory sees (server-process.ts).
 */
export function runAdmin(target: AdminTarget, ...args: string[]): Promise<AdminRun> {
  const { dataDir, storage, env } = typeof target === 'string' ? { dataDir: target } : target;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'server/cli/admin.ts', ...args],
      { cwd: ROOT, env: { ...storageEnv(dataDir, storage), DATA_DIR: dataDir, ...env } },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}
