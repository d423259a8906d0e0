import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BusMessage } from '../../server/cluster/bus-message.js';
import type { LiveBus } from '../../server/cluster/live-bus.js';
import { OnlineCounts } from '../../server/cluster/online-counts.js';
import type { Connection } from '../../server/sync/connection.js';

/** A bus shared with other processes that keeps what this one publishes. */
function sharedBus() {
  const published: BusMessage[] = [];
  const bus: LiveBus = {
    processId: 'here',
    shared: true,
    publish: (message) => void published.push(message),
    onMessage: () => {},
    status: () => ({ kind: 'redis', connected: true, lastError: null }),
    close: async () => {},
  };
  return { bus, published };
}

const connectionOf = (invitationId: string | null) => ({ access: { invitationId } }) as unknown as Connection;

describe("the invitation list's online counts over several server processes", () => {
  afterEach(() => vi.useRealTimers());

  it('adds the fresh reports of the other processes to its own connections, and forgets a process whose reports stopped', () => {
    vi.useFakeTimers();
    const { bus } = sharedBus();
    let now = 0;
    const local = [connectionOf('kenya'), connectionOf(null)];
    const counts = new OnlineCounts(bus, () => local, () => now);
    counts.fromBus({ kind: 'online', documentId: 'd', counts: [['kenya', 1], ['egypt', 2]] }, 'b');
    counts.fromBus({ kind: 'online', documentId: 'd', counts: [['egypt', 1]] }, 'c');
    expect(Object.fromEntries(counts.of('d'))).toEqual({ kenya: 2, egypt: 3 });
    // B reports again (a heartbeat), C says nothing more: after 30 s C no longer counts.
    now = 25_000;
    counts.fromBus({ kind: 'online', documentId: 'd', counts: [['kenya', 1], ['egypt', 2]] }, 'b');
    now = 31_000;
    expect(Object.fromEntries(counts.of('d'))).toEqual({ kenya: 2, egypt: 2 });
    // B shuts down: its empty report takes its counts back at once.
    counts.fromBus({ kind: 'online', documentId: 'd', counts: [] }, 'b');
    expect(Object.fromEntries(counts.of('d'))).toEqual({ kenya: 1 });
    counts.close();
  });

  it('reports its own counts shortly after they change, only when they changed, again on the heartbeat, and takes them back on close', () => {
    vi.useFakeTimers();
    const { bus, published } = sharedBus();
    const local: Connection[] = [];
    const counts = new OnlineCounts(bus, () => local);
    local.push(connectionOf('kenya'), connectionOf('kenya'));
    counts.changed('d');
    counts.changed('d');
    vi.advanceTimersByTime(200);
    expect(published).toEqual([{ kind: 'online', documentId: 'd', counts: [['kenya', 2]] }]);
    counts.changed('d'); // a reader acquired the room: nothing changed, nothing sent
    vi.advanceTimersByTime(200);
    expect(published).toHaveLength(1);
    vi.advanceTimersByTime(10_000);
    expect(published).toHaveLength(2);
    counts.close();
    expect(published.at(-1)).toEqual({ kind: 'online', documentId: 'd', counts: [] });
  });

  it('alone, with no other process, reports nothing', () => {
    vi.useFakeTimers();
    const { bus, published } = sharedBus();
    const alone = { ...bus, shared: false };
    const counts = new OnlineCounts(alone, () => [connectionOf('kenya')]);
    counts.changed('d');
    vi.advanceTimersByTime(20_000);
    expect(published).toHaveLength(0);
    expect(Object.fromEntries(counts.of('d'))).toEqual({ kenya: 1 });
    counts.close();
  });
});
