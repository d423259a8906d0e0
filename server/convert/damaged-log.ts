import type * as Y from 'yjs';
import { damagedKey, damagedRecords } from '../../shared/model/damaged-records.js';
import type { DamagedRecord } from '../../shared/model/record-guards.js';
import type { Logger } from '../log.js';

/**
 * The server's log of damaged records: every reader skips them at every read
 * (see shared/model/record-guards.ts), but the log says so once per document
 * and entry, so a document read on every export does not flood it.
 */
export class DamagedRecordsLog {
  private readonly logged = new Set<string>();

  constructor(private readonly log: Logger) {}

  /** Finds what the readers of this document skip and logs what was not logged before; returns every record. */
  check(documentId: string, doc: Y.Doc): DamagedRecord[] {
    const records = damagedRecords(doc);
    for (const record of records) {
      const key = `${documentId}\u0000${damagedKey(record)}`;
      if (this.logged.has(key)) continue;
      this.logged.add(key);
      this.log.warn({ documentId, ...record }, 'damaged record skipped');
    }
    return records;
  }
}
