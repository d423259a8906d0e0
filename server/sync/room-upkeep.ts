import * as Y from 'yjs';
import { countParagraphs } from '../../shared/model/paragraphs.js';
import { BODY_FRAGMENT } from '../../shared/schema/ydoc.js';
import { WriteRefusedError } from '../errors.js';
import type { DocumentStore } from '../storage/document-store.js';
import type { WriteGate } from '../storage/write-gate.js';

/** How long after the last change the document list's "last edited" is written. */
const TOUCH_DELAY_MS = 2_000;
/**
 * Compaction encodes the whole document: a few milliseconds that would land
 * on somebody's keystroke. It waits for a pause in the typing, unless the log
 * grows to this many times the threshold.
 */
const QUIET_BEFORE_COMPACT_MS = 1_000;
const FORCE_COMPACT_FACTOR = 10;

/**
 * The writes a room makes besides its update log, after the typing and from
 * timers: "last edited" in the document list, and the compaction that folds
 * the log into one snapshot. Both go through the write gate; on a full disk
 * they wait and try again, never throw (from a timer, a throw would end the
 * process) and never lose anything (the log stays as it is).
 */
export class RoomUpkeep {
  private touchTimer: NodeJS.Timeout | undefined;
  private compactTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly id: string,
    private readonly store: DocumentStore,
    private readonly gate: WriteGate,
    /** The room's document as it stands now (it is replaced whole after a change that could not be kept). */
    private readonly doc: () => Y.Doc,
    private readonly compactAfterUpdates: number,
    /** Rows in the document's log when it was loaded. */
    private logLength: number,
  ) {}

  /** One more update is in the log. */
  stored(): void {
    this.logLength++;
    this.touchTimer ??= setTimeout(() => this.touch(), TOUCH_DELAY_MS);
    this.scheduleCompaction();
  }

  /** Writes what is waiting (before the room is unloaded). */
  flush(): void {
    if (this.touchTimer) this.touch();
    this.compact();
  }

  dispose(): void {
    clearTimeout(this.touchTimer);
    clearTimeout(this.compactTimer);
  }

  private touch(): void {
    clearTimeout(this.touchTimer);
    this.touchTimer = undefined;
    try {
      this.gate.write(() => this.store.touch(this.id, new Date(), countParagraphs(this.doc().getXmlFragment(BODY_FRAGMENT))));
    } catch (err) {
      if (!(err instanceof WriteRefusedError)) throw err;
      this.touchTimer = setTimeout(() => this.touch(), TOUCH_DELAY_MS);
    }
  }

  private scheduleCompaction(): void {
    const threshold = this.compactAfterUpdates;
    if (this.logLength >= threshold * FORCE_COMPACT_FACTOR) return this.compact();
    if (this.logLength < threshold) return;
    clearTimeout(this.compactTimer);
    this.compactTimer = setTimeout(() => this.compact(), QUIET_BEFORE_COMPACT_MS);
  }

  /**
   * Folds the update log into one snapshot. On a full disk SQLite rolls the
   * snapshot back and the log stays; the next stored update schedules the
   * compaction again.
   */
  private compact(): void {
    clearTimeout(this.compactTimer);
    this.compactTimer = undefined;
    if (this.logLength === 0 || !this.gate.isOpen) return;
    try {
      this.gate.write(() => this.store.compact(this.id, Y.encodeStateAsUpdate(this.doc())));
    } catch (err) {
      // Also when only the checkpoint after the snapshot failed: the log is then compacted again, at no loss.
      if (err instanceof WriteRefusedError) return;
      throw err;
    }
    this.logLength = 0;
  }
}
