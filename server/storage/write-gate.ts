import fs from 'node:fs';
import {
  STORAGE_FULL_MESSAGE,
  STORAGE_FULL_REASON,
  STORAGE_UNAVAILABLE_MESSAGE,
  STORAGE_UNAVAILABLE_REASON,
  StorageFullError,
  StorageUnavailableError,
  type WriteRefusedError,
  isSqliteError,
} from '../errors.js';
import type { Logger } from '../log.js';
import { metrics } from '../metrics/metrics.js';

export type WriteGateOptions = {
  /** How often free space is looked at while the gate is closed. */
  pollMs?: number;
  /** Free bytes on the data directory's filesystem after which writes are tried again. */
  marginBytes?: number;
  /**
   * Whether the database answers again (PostgreSQL: a fresh connection and a
   * query, off the event loop). Without it (SQLite, embedded) the database is
   * always reachable and only space can close the gate.
   */
  reachable?: () => Promise<boolean>;
};

/** Why the gate is closed: the disk is full, or the database server cannot be reached. */
type ClosedFor = 'full' | 'unreachable';

/** Often enough that typists resume within a couple of seconds of space being freed; a statfs call costs microseconds. */
const POLL_MS = 1_000;
/**
 * One keystroke costs SQLite a few 4 KB pages of write-ahead log, a compaction
 * the document's size twice over: 1 MiB lets a few hundred keystrokes through
 * before the next failure, so a disk that is still nearly full does not open
 * and close the gate on every update. The next write decides in any case.
 */
const MARGIN_BYTES = 1024 * 1024;

/**
 * Whether the database can be written, for the whole process. A write that
 * fails for lack of space, or because PostgreSQL cannot be reached, closes it; while it is closed, updates are refused
 * before anything is applied (Room), so nothing that is not stored is ever
 * relayed, and reads go on. It opens again by itself once the data
 * directory's filesystem has room again (or PostgreSQL answers a probe); the next write then decides (a
 * failing write closes it again). Logged once when it closes and once when it
 * opens, and followed by the `drafts_storage_writable` gauge.
 */
export class WriteGate {
  private closedAt: number | null = null;
  private closedFor: ClosedFor = 'full';
  private timer: NodeJS.Timeout | undefined;
  private probing = false;
  private readonly pollMs: number;
  private readonly marginBytes: number;
  private readonly reachable: (() => Promise<boolean>) | undefined;

  constructor(
    /** The directory holding the database: its filesystem is the one that fills. */
    private readonly dataDir: string,
    private readonly log: Logger,
    options: WriteGateOptions = {},
  ) {
    this.pollMs = options.pollMs ?? POLL_MS;
    this.marginBytes = options.marginBytes ?? MARGIN_BYTES;
    this.reachable = options.reachable;
  }

  get isOpen(): boolean {
    return this.closedAt === null;
  }

  /**
   * What a write is refused with while the gate is closed: the close reason of
   * a websocket (`for: 'update'`) or the message of an HTTP answer.
   */
  refusal(asked: 'update' | 'request' = 'update'): WriteRefusedError {
    if (this.closedFor === 'unreachable') return new StorageUnavailableError(asked === 'update' ? STORAGE_UNAVAILABLE_REASON : STORAGE_UNAVAILABLE_MESSAGE);
    return new StorageFullError(asked === 'update' ? STORAGE_FULL_REASON : STORAGE_FULL_MESSAGE);
  }

  /**
   * Runs one write. A failure for lack of space, or for the database being
   * out of reach, closes the gate and is thrown as the gate's refusal (the
   * write was rolled back or never arrived: nothing was changed); any other
   * failure is thrown as it is. While the gate is closed nothing is tried:
   * the refusal at once.
   */
  write<T>(run: () => T): T {
    if (!this.isOpen) throw this.refusal();
    try {
      return run();
    } catch (err) {
      if (this.refusedWrite(err)) throw this.refusal();
      throw err;
    }
  }

  /** Whether a write (done without `write`) failed for lack of space or of the database; then the gate closes. */
  refusedWrite(err: unknown): boolean {
    if (err instanceof StorageUnavailableError) {
      this.close(err, 'unreachable');
      return true;
    }
    if (err instanceof StorageFullError) return true;
    if (!this.outOfSpace(err)) return false;
    this.close(err, 'full');
    return true;
  }

  /**
   * SQLITE_FULL is SQLite's own word for it. An I/O error (SQLITE_IOERR_WRITE,
   * _SHMSIZE...) is what some writes report on a full disk instead: it counts
   * as one when the filesystem has less than the margin free, and otherwise
   * is a real I/O problem, not ours to wait out.
   */
  private outOfSpace(err: unknown): boolean {
    if (!isSqliteError(err)) return false;
    if (err.code === 'SQLITE_FULL') return true;
    if (!err.code.startsWith('SQLITE_IOERR')) return false;
    const free = this.freeBytes();
    return free !== null && free < this.marginBytes;
  }

  private close(err: unknown, why: ClosedFor): void {
    if (!this.isOpen) return;
    this.closedAt = Date.now();
    this.closedFor = why;
    metrics.storageWritable.set(0);
    if (why === 'full') {
      const code = isSqliteError(err) ? err.code : undefined;
      this.log.error(
        { dataDir: this.dataDir, code, freeBytes: this.freeBytes() },
        'storage full: the database cannot be written; updates are refused until space is freed',
      );
    } else {
      this.log.error({ err: (err as Error).message }, 'database unreachable: updates are refused until it answers again');
    }
    this.timer = setInterval(() => void this.poll(), this.pollMs);
    this.timer.unref();
  }

  private async poll(): Promise<void> {
    if (this.closedFor === 'unreachable') {
      if (this.probing || !this.reachable) return;
      this.probing = true;
      try {
        if (!(await this.reachable())) return;
      } finally {
        this.probing = false;
      }
      if (this.isOpen) return;
      return this.open({});
    }
    const free = this.freeBytes();
    // Unknown (the directory cannot be read): the next write decides, as it would anyway.
    if (free !== null && free < this.marginBytes) return;
    this.open({ dataDir: this.dataDir, freeBytes: free });
  }

  private open(context: Record<string, unknown>): void {
    const closedForSeconds = this.closedAt === null ? 0 : Math.round((Date.now() - this.closedAt) / 1000);
    this.stopPolling();
    this.closedAt = null;
    metrics.storageWritable.set(1);
    this.log.warn({ ...context, closedForSeconds }, 'storage writable again: updates are accepted');
  }

  /** Bytes this process may still write on the data directory's filesystem, or null if it cannot be told. */
  private freeBytes(): number | null {
    try {
      const stats = fs.statfsSync(this.dataDir);
      // Root may write into the blocks a filesystem reserves (ext4: 5%), anyone else may not.
      return (process.getuid?.() === 0 ? stats.bfree : stats.bavail) * stats.bsize;
    } catch {
      return null;
    }
  }

  private stopPolling(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Stops looking (the server is closing). */
  dispose(): void {
    this.stopPolling();
  }
}
