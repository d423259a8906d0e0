import type * as Y from 'yjs';
import type { DamagedRecord, OnDamaged } from '../../shared/model/record-guards.js';

/** Reads one entry of a negotiation map with the model's guard (readGroup, readThread, readParagraphMeta). */
export type ReadEntry<R> = (id: string, value: unknown, onDamaged: OnDamaged) => R | null;

/**
 * The readable entries of one negotiation map (brackets, comments or
 * paragraph statuses), kept by key. A transaction re-reads only the keys it
 * touched, through the same guard the model's list functions use, so a
 * damaged entry is skipped and reported exactly as they do it.
 */
export class RecordTable<R> {
  private readonly records = new Map<string, R>();
  private readonly damage = new Map<string, DamagedRecord[]>();

  constructor(
    private readonly map: Y.Map<unknown>,
    private readonly read: ReadEntry<R>,
  ) {}

  readAll(): void {
    this.records.clear();
    this.damage.clear();
    this.reread(this.map.keys());
  }

  /** Reads these keys again (deleted ones are dropped). */
  reread(keys: Iterable<string>): void {
    for (const key of keys) {
      this.records.delete(key);
      this.damage.delete(key);
      const value = this.map.get(key);
      if (value === undefined) continue;
      const found: DamagedRecord[] = [];
      const record = this.read(key, value, (damaged) => found.push(damaged));
      if (record) this.records.set(key, record);
      if (found.length) this.damage.set(key, found);
    }
  }

  get(key: string): R | undefined {
    return this.records.get(key);
  }

  has(key: string): boolean {
    return this.records.has(key);
  }

  /** Keys whose entry could not be read at all (a part of an entry, such as one option, may be damaged in a readable one). */
  unreadable(): Set<string> {
    const keys = new Set<string>();
    for (const key of this.damage.keys()) if (!this.records.has(key)) keys.add(key);
    return keys;
  }

  /** Readable entries in the map's own order, as the model's readers iterate them. */
  entries(): Array<[string, R]> {
    const list: Array<[string, R]> = [];
    for (const key of this.map.keys()) {
      const record = this.records.get(key);
      if (record !== undefined) list.push([key, record]);
    }
    return list;
  }

  /** What the guard reported, in the map's order. */
  damaged(): DamagedRecord[] {
    if (this.damage.size === 0) return [];
    const list: DamagedRecord[] = [];
    for (const key of this.map.keys()) list.push(...(this.damage.get(key) ?? []));
    return list;
  }
}
