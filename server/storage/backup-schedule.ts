import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../log.js';
import { backupInWorker, type RunningBackup } from './backup-in-worker.js';

export type BackupSchedule = { dir: string; everyMinutes: number; keep: number };

/** "drafts-2026-03-12T09-30-00-000Z.sqlite3": sorts by time as text, and tells our backups from anything else in the directory. */
const BACKUP_NAME = /^drafts-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z\.sqlite3$/;

export function backupFileName(at: Date): string {
  return `drafts-${at.toISOString().replace(/[:.]/g, '-')}.sqlite3`;
}

export type ScheduledBackups = {
  /** Stops the timer; a backup under way is cancelled (its partial file removed) before this resolves. */
  stop(): Promise<void>;
};

/**
 * A backup of the running server's database every `everyMinutes` into `dir`,
 * keeping the newest `keep` of ours (other files there are never touched). A
 * failure (a full disk, a missing directory) is logged and the next one tried on
 * time: a backup never stops the server. One at a time: the next is timed from
 * the end of the last. Each runs in a worker thread (backup-in-worker.ts).
 */
export function scheduleBackups(dataDir: string, schedule: BackupSchedule, log: Logger): ScheduledBackups {
  let stopped = false;
  let current: RunningBackup | null = null;
  let running: Promise<void> | null = null;
  let timer: NodeJS.Timeout | undefined;

  const runOnce = async () => {
    const file = path.join(schedule.dir, backupFileName(new Date()));
    try {
      fs.mkdirSync(schedule.dir, { recursive: true });
      current = backupInWorker(dataDir, file);
      const done = await current.done;
      log.info({ file: done.file, bytes: done.bytes, ms: done.ms }, 'backup written');
      for (const old of pruneBackups(schedule.dir, schedule.keep)) log.info({ file: old }, 'old backup deleted');
    } catch (err) {
      if (stopped) return;
      log.error({ file, err: (err as Error).message }, 'scheduled backup failed; the server carries on');
    } finally {
      current = null;
    }
  };
  const next = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = runOnce().finally(() => {
        running = null;
        next();
      });
    }, schedule.everyMinutes * 60_000);
    timer.unref();
  };
  next();
  log.info({ dir: schedule.dir, everyMinutes: schedule.everyMinutes, keep: schedule.keep }, 'scheduled backups on');

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await current?.cancel();
      await running;
    },
  };
}

/** Deletes our backups in `dir` beyond the newest `keep`; returns the files deleted. */
export function pruneBackups(dir: string, keep: number): string[] {
  const ours = fs
    .readdirSync(dir)
    .filter((name) => BACKUP_NAME.test(name))
    .sort();
  const old = ours.slice(0, Math.max(0, ours.length - keep)).map((name) => path.join(dir, name));
  for (const file of old) fs.rmSync(file, { force: true });
  return old;
}
