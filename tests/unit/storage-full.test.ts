import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { DOCUMENT_UNREADABLE_NOTICE, STORAGE_FULL_NOTICE, STORAGE_UNAVAILABLE_NOTICE, serverPause } from '../../client/collab/close-messages.js';
import { isFinalClose } from '../../client/collab/session.js';
import { CloseCode } from '../../shared/protocol/constants.js';
import { STORAGE_FULL_REASON, STORAGE_UNAVAILABLE_REASON, StorageFullError, closeReason, describeError } from '../../server/errors.js';
import { registry } from '../../server/metrics/metrics.js';
import { WriteGate } from '../../server/storage/write-gate.js';
import { waitFor } from '../support/wait.js';

describe('what a full disk looks like to a client', () => {
  it('is not a final close: the client keeps its edits and reconnects', () => {
    expect(isFinalClose(CloseCode.StorageFull)).toBe(false);
    expect(serverPause(CloseCode.StorageFull)?.notice).toBe(STORAGE_FULL_NOTICE);
    expect(serverPause(CloseCode.RejectedUpdate)).toBeNull();
    // y-websocket's own rule gives up on 4400-4499 only: a stock client reconnects after 4507 too.
    expect(CloseCode.StorageFull >= 4500 && CloseCode.StorageFull < 4600).toBe(true);
  });

  it('treats a quarantined document (4503) the same way: not final, the edits wait, the page says why', () => {
    expect(isFinalClose(CloseCode.DocumentUnreadable)).toBe(false);
    expect(serverPause(CloseCode.DocumentUnreadable)).toEqual({
      code: CloseCode.DocumentUnreadable,
      label: 'Document unavailable — edits kept on this computer',
      notice: DOCUMENT_UNREADABLE_NOTICE,
    });
    expect(CloseCode.DocumentUnreadable >= 4500 && CloseCode.DocumentUnreadable < 4600).toBe(true);
  });

  it('treats an unreachable database (4504) the same way: not final, the edits wait, the page says why', () => {
    expect(isFinalClose(CloseCode.StorageUnavailable)).toBe(false);
    expect(serverPause(CloseCode.StorageUnavailable)?.notice).toBe(STORAGE_UNAVAILABLE_NOTICE);
    expect(CloseCode.StorageUnavailable >= 4500 && CloseCode.StorageUnavailable < 4600).toBe(true);
    expect(new TextEncoder().encode(STORAGE_UNAVAILABLE_REASON).byteLength).toBeLessThanOrEqual(123);
  });

  it('says so in the page and in the close reason, which fits a close frame whole', () => {
    expect(STORAGE_FULL_NOTICE).toMatch(/^The server cannot save changes: disk full\./);
    expect(closeReason(STORAGE_FULL_REASON)).toBe(STORAGE_FULL_REASON);
    expect(STORAGE_FULL_REASON).toMatch(/^The server cannot save changes: disk full\./);
  });
});

describe('the write gate', () => {
  const dirs: string[] = [];
  const gates: WriteGate[] = [];
  afterEach(() => {
    for (const gate of gates.splice(0)) gate.dispose();
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A real SQLite database limited to a few pages: it answers SQLITE_FULL as a full disk does. */
  const smallDatabase = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drafts-gate-'));
    dirs.push(dir);
    const db = new Database(path.join(dir, 'small.sqlite3'));
    db.exec('CREATE TABLE t (data BLOB NOT NULL)');
    db.pragma(`max_page_count = ${(db.pragma('page_count', { simple: true }) as number) + 2}`);
    return { dir, db, insert: () => db.prepare('INSERT INTO t (data) VALUES (?)').run(Buffer.alloc(3000)) };
  };
  const logged: Array<{ msg: string; level: number }> = [];
  const log = pino({ level: 'info' }, { write: (line: string) => void logged.push(JSON.parse(line) as { msg: string; level: number }) });
  const writable = async () => (await registry.getSingleMetric('drafts_storage_writable')!.get()).values[0]!.value;

  it('closes on SQLITE_FULL, refuses without trying while closed, and opens again by itself when the filesystem has room', async () => {
    const { dir, db, insert } = smallDatabase();
    const gate = new WriteGate(dir, log, { pollMs: 20, marginBytes: 1024 });
    gates.push(gate);
    logged.length = 0;

    let failure: unknown;
    for (let i = 0; i < 10 && !failure; i++) {
      try {
        gate.write(insert);
      } catch (err) {
        failure = err;
      }
    }
    expect(failure).toBeInstanceOf(StorageFullError);
    expect(describeError(failure)).toMatchObject({ status: 507, closeCode: CloseCode.StorageFull, code: 'storage_full' });
    expect(gate.isOpen).toBe(false);
    expect(await writable()).toBe(0);
    const rows = () => (db.prepare('SELECT COUNT(*) AS n FROM t').get() as { n: number }).n;
    const before = rows();

    // The database has room again; the gate does not know it, and nothing is tried meanwhile.
    db.pragma('max_page_count = 1000000');
    // The temp directory's filesystem has far more than a kilobyte free: the gate opens at its next look.
    await waitFor(() => gate.isOpen, 'the gate to open again');
    expect(rows()).toBe(before);
    gate.write(insert);
    expect(rows()).toBe(before + 1);
    expect(await writable()).toBe(1);
    expect(logged.filter((l) => l.msg.startsWith('storage full')).length).toBe(1);
    expect(logged.filter((l) => l.msg.startsWith('storage writable again')).length).toBe(1);
    db.close();
  });

  it('lets every other failure through as it is, open', () => {
    const { dir, db } = smallDatabase();
    const gate = new WriteGate(dir, log);
    gates.push(gate);
    expect(() => gate.write(() => db.exec('INSERT INTO nowhere VALUES (1)'))).toThrow(/no such table/);
    expect(gate.isOpen).toBe(true);
    db.close();
  });

  it('maps SQLite saying the disk is full to 507 for HTTP, wherever it comes from', () => {
    const { db, insert } = smallDatabase();
    let err: unknown;
    try {
      for (let i = 0; i < 10; i++) insert();
    } catch (caught) {
      err = caught;
    }
    expect((err as { code?: string }).code).toBe('SQLITE_FULL');
    const described = describeError(err);
    expect(described.status).toBe(507);
    expect(described.code).toBe('storage_full');
    expect(described.message).toMatch(/disk full/);
    db.close();
  });
});
