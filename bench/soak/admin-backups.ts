import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ROOT } from '../config.js';
import { track } from '../children.js';

export type BackupStats = { attempts: number; ok: number; failed: number; lastError: string | null; lastMs: number | null };

/**
 * `npm run admin -- backup --out FILE` against the running server's data
 * directory, as a secretariat's cron job would run it: a separate process
 * while people type. A backup counts as made only if the command exits 0 and
 * the file it wrote opens as SQLite and passes `quick_check`.
 */
export class AdminBackups {
  readonly stats: BackupStats = { attempts: 0, ok: 0, failed: 0, lastError: null, lastMs: null };

  constructor(
    private readonly dataDir: string,
    private readonly outDir: string,
  ) {
    fs.mkdirSync(outDir, { recursive: true });
  }

  async runOnce(): Promise<void> {
    const n = ++this.stats.attempts;
    const out = path.join(this.outDir, `admin-backup-${n}.sqlite3`);
    const started = performance.now();
    const { code, output } = await run(['run', '--silent', 'admin', '--', 'backup', '--out', out], { ...process.env, DATA_DIR: this.dataDir });
    this.stats.lastMs = performance.now() - started;
    const problem = code !== 0 ? `exit ${code}: ${lastLine(output)}` : verify(out);
    if (problem) {
      this.stats.failed++;
      this.stats.lastError = problem;
      console.error(`backup ${n}: FAILED (${problem})`);
    } else {
      this.stats.ok++;
      this.stats.lastError = null;
    }
    // Only the newest is kept: the soak proves they can be made, not a disk's worth of them.
    const previous = path.join(this.outDir, `admin-backup-${n - 1}.sqlite3`);
    fs.rmSync(previous, { force: true });
  }
}

function lastLine(output: string): string {
  return (output.trim().split('\n').at(-1) ?? '').slice(0, 300);
}

/** null when the file is a sound SQLite database, else what is wrong with it. */
function verify(file: string): string | null {
  if (!fs.existsSync(file)) return `exit 0 but ${path.basename(file)} was not written`;
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      const result = db.pragma('quick_check', { simple: true });
      return result === 'ok' ? null : `quick_check: ${String(result)}`;
    } finally {
      db.close();
    }
  } catch (err) {
    return `the backup does not open: ${(err as Error).message}`;
  }
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = track(spawn('npm', args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] }));
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4000);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    child.once('error', (err) => resolve({ code: -1, output: err.message }));
    child.once('close', (code) => resolve({ code: code ?? -1, output }));
  });
}

/** Scheduled backups the server itself wrote into BACKUP_DIR (zero if it does not make them). */
export function scheduledBackups(dir: string): string[] {
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => !f.startsWith('.')) : [];
}
