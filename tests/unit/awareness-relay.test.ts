import { afterEach, describe, expect, it, vi } from 'vitest';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { decodeMessage, readAwarenessStates } from '../../shared/protocol/messages.js';
import { AwarenessRelay } from '../../server/sync/awareness-relay.js';
import type { Connection } from '../../server/sync/connection.js';

/** A connection as the relay sees it: what it was sent, decoded to the client ids it carried. */
function fakeConnection() {
  const received: number[][] = [];
  const connection = {
    send(frame: Uint8Array) {
      const message = decodeMessage(frame);
      if (message.kind !== 'awareness') throw new Error(`unexpected ${message.kind}`);
      received.push(readAwarenessStates(message.update).map((s) => s.clientId));
    },
  } as unknown as Connection;
  return { connection, received };
}

/** A room's presence with two people in it, each shown by a connection of their own. */
function room(extraConnections = 0) {
  const awareness = new awarenessProtocol.Awareness(new Y.Doc());
  awareness.setLocalState(null);
  const a = fakeConnection();
  const b = fakeConnection();
  const watchers = Array.from({ length: extraConnections }, fakeConnection);
  const owners = new Map<number, Connection>([
    [101, a.connection],
    [202, b.connection],
  ]);
  for (const client of [101, 202]) awarenessProtocol.applyAwarenessUpdate(awareness, joined(client), 'test');
  const relay = new AwarenessRelay(awareness, () => [a.connection, b.connection, ...watchers.map((w) => w.connection)], (client) => owners.get(client), 50);
  return { relay, a, b, watchers, awareness };
}

/** The presence a client with this id sends when it joins. */
function joined(clientId: number): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = clientId;
  const awareness = new awarenessProtocol.Awareness(doc);
  awareness.setLocalState({ user: { name: `client ${clientId}` } });
  const update = awarenessProtocol.encodeAwarenessUpdate(awareness, [clientId]);
  awareness.destroy();
  return update;
}

describe('the presence relay', () => {
  afterEach(() => vi.useRealTimers());

  it('never sends a connection its own presence, and everyone else all of it', () => {
    const { relay, a, b, watchers } = room(1);
    relay.changedClients([101, 202]);
    relay.flush();
    expect(a.received).toEqual([[202]]);
    expect(b.received).toEqual([[101]]);
    expect(watchers[0]!.received).toEqual([[101, 202]]);
    // The snapshot for one who asks leaves out its own too.
    const snapshot = relay.snapshotMessage(a.connection)!;
    const message = decodeMessage(snapshot);
    expect(message.kind === 'awareness' && readAwarenessStates(message.update).map((s) => s.clientId)).toEqual([202]);
    // A connection whose own presence is all that changed gets nothing.
    relay.changedClients([101]);
    relay.flush();
    expect(a.received).toHaveLength(1);
    expect(b.received).toEqual([[101], [101]]);
  });

  it('relays every 50 ms in a small room, and stretches to half a second for a plenary of 1,000 screens', () => {
    vi.useFakeTimers();
    const small = room(8);
    small.relay.changedClients([101]);
    vi.advanceTimersByTime(49);
    expect(small.b.received).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(small.b.received).toHaveLength(1);

    const plenary = room(998);
    plenary.relay.changedClients([101]);
    vi.advanceTimersByTime(499);
    expect(plenary.b.received).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(plenary.b.received).toHaveLength(1);
    expect(plenary.watchers[997]!.received).toEqual([[101]]);
  });

  it('counts the whole room when most of it is connected to other server processes (their presence is here, their sockets are not)', () => {
    vi.useFakeTimers();
    const share = room(0);
    // 998 more participants, shown through other processes: present, owned by no connection here.
    const elsewhere = Array.from({ length: 998 }, (_, i) => 10_000 + i);
    for (const client of elsewhere) awarenessProtocol.applyAwarenessUpdate(share.awareness, joined(client), 'remote');
    share.relay.changedClients([101]);
    vi.advanceTimersByTime(499);
    expect(share.b.received).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(share.b.received).toEqual([[101]]);
  });
});
