import crypto from 'node:crypto';
import { createClient, RESP_TYPES } from 'redis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type BusMessage, decodeBusMessage, encodeBusMessage } from '../../server/cluster/bus-message.js';
import { RedisBus } from '../../server/cluster/redis-bus.js';
import { createLogger } from '../../server/log.js';
import { closeRedisConnections } from '../support/cluster.js';
import { REDIS_URL, needServices } from '../support/services.js';
import { waitFor } from '../support/wait.js';

const missing = await needServices('redis');

/**
 * One process's bus on the real Redis, the other processes played by the
 * test: it appends entries as they would and reads what this one appends.
 * What a cut costs: nothing lost and no resync when the stream still holds
 * what came after the last entry read; a resync here when the stream lost
 * entries (Redis restarted empty); a resync asked of the others when a
 * publish of this process failed.
 */
describe.skipIf(missing !== null)('the Redis bus of one process, cut off and back', () => {
  const admin = createClient({ url: REDIS_URL });
  let prefix: string;
  let bus: RedisBus;
  let received: BusMessage[];
  const key = () => `${prefix}:live`;
  const update = (n: number): BusMessage => ({ kind: 'update', documentId: 'doc', update: Uint8Array.of(n) });
  const fromOthers = (message: BusMessage) => admin.sendCommand(['XADD', key(), '*', 'm', Buffer.from(encodeBusMessage('another-process', message))]);
  const updatesReceived = () => received.filter((m) => m.kind === 'update').map((m) => (m.kind === 'update' ? m.update[0] : -1));
  const resyncs = () => received.filter((m) => m.kind === 'resync').length;
  /** Closes the bus's connections on the Redis side, as a network cut or a restart does, and waits until the bus knows. */
  const cut = async () => {
    expect(await closeRedisConnections(admin, prefix)).toBe(2);
    await waitFor(() => bus.status().kind === 'redis' && !(bus.status() as { connected: boolean }).connected, 'the bus to notice the cut', 2_000);
  };
  const whole = () => waitFor(() => (bus.status() as { connected: boolean }).connected, 'the bus to be back');

  beforeAll(async () => {
    admin.on('error', () => {});
    await admin.connect();
  });
  afterAll(async () => {
    await admin.close();
  });

  beforeEach(async () => {
    prefix = `drafts_test_bus_${crypto.randomBytes(4).toString('hex')}`;
    received = [];
    bus = await RedisBus.connect(`${REDIS_URL}?prefix=${prefix}`, createLogger('silent'));
    bus.onMessage((message) => received.push(message));
    await fromOthers(update(1));
    await waitFor(() => updatesReceived().includes(1), 'the first entry to be read');
  });
  afterEach(async () => {
    await bus.close();
    await admin.del(key());
  });

  it('reads on from the last entry after a dropped connection: what was appended meanwhile arrives, and no resync is needed', async () => {
    await cut();
    await fromOthers(update(2));
    await fromOthers(update(3));
    await whole();
    await waitFor(() => updatesReceived().includes(3), 'the entries appended during the cut');
    // One more blocking read: a resync would have been handed over by now.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(updatesReceived()).toEqual([1, 2, 3]);
    expect(resyncs()).toBe(0);
  });

  it('resyncs from storage when the stream lost entries while it was cut off (Redis restarted with nothing kept)', async () => {
    await cut();
    await fromOthers(update(2)); // never read: gone with the stream
    await admin.del(key());
    await fromOthers(update(3)); // the new stream's first entry, newer than anything read before
    await whole();
    await waitFor(() => resyncs() === 1, 'the bus to resync itself');
    expect(updatesReceived()).not.toContain(2);
  });

  it('after its publishes failed during the cut: asks the others to resync those documents only, and sends a revocation again', async () => {
    await cut();
    bus.publish(update(9));
    bus.publish({ kind: 'update', documentId: 'other-doc', update: Uint8Array.of(10) });
    bus.publish({ kind: 'disconnect', documentId: 'doc', invitationId: 'kenya', closeCode: 4403, reason: 'Your invitation was revoked' });
    await whole();
    const published = (await waitFor(async () => {
      const binary = admin.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
      const entries = (await binary.sendCommand(['XRANGE', key(), '-', '+'])) as Array<[Buffer, [Buffer, Buffer]]>;
      const messages = entries.map(([, fields]) => decodeBusMessage(fields[1]).message);
      return messages.some((m) => m.kind === 'resync') ? messages : undefined;
    }, 'a resync request on the stream'))!;
    const resync = published.find((m) => m.kind === 'resync');
    expect(resync?.kind === 'resync' && [...(resync.documentIds ?? [])].sort()).toEqual(['doc', 'other-doc']);
    // The revocation could not be made good from storage: it is on the stream now, for the process its holder is on.
    expect(published).toContainEqual({ kind: 'disconnect', documentId: 'doc', invitationId: 'kenya', closeCode: 4403, reason: 'Your invitation was revoked' });
    // The updates themselves were refused (no offline queue): the others get them from storage.
    expect(published.filter((m) => m.kind === 'update' && m.update[0] !== 1)).toHaveLength(0);
    expect(resyncs()).toBe(0);
  });
});
