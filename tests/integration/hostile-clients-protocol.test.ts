import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { BODY_FRAGMENT } from '../../shared/schema/ydoc.js';
import { applyToCopy, awarenessFrame, changeOf, freshClientId, gc, item, readParts, scratchCopy, writeParts } from '../support/crafted-updates.js';
import { collectDenials } from '../support/denials.js';
import { INDEX, hostileStage, negotiationFixture, records, type Fixture } from '../support/hostile-stage.js';
import { waitFor } from '../support/wait.js';
import { connectSynced, paragraphText, waitSynced } from '../support/yjs-client.js';

/**
 * Hostile clients, part two: the Yjs protocol itself. Structs on client ids
 * and clocks that are not the sender's, updates Yjs would apply in part, and
 * presence claimed for somebody else. Same contract as part one: refused
 * (permission denied, or the socket closed with a 4xxx code), not relayed,
 * not stored (a fresh client and one after a restart see what was there),
 * and the server keeps serving; where the attack aims at a person (their
 * offline edit, their caret), that person's own experience is checked too.
 */

const textOf = (doc: Y.Doc, index: number) => (doc.getXmlFragment(BODY_FRAGMENT).get(index) as Y.XmlElement).get(0) as Y.XmlText;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Milliseconds until GET /api/health answers 200, on a connection of its own (a kept-alive one can be reset by a server that was blocked). */
function healthLatency(baseUrl: string): Promise<number> {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.get(`${baseUrl}/api/health`, { agent: false, timeout: 15_000 }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve(performance.now() - start) : reject(new Error(`health answered ${res.statusCode}`))));
    });
    req.on('timeout', () => req.destroy(new Error('health check timed out')));
    req.on('error', reject);
  });
}

describe('hostile clients cannot take over client ids, clocks or presence', () => {
  const stage = hostileStage();
  let f: Fixture;
  afterEach(() => f?.close());

  it('5a. refuses an observer\'s GC structs on the next clocks of an offline delegate, whose offline edit then reaches everyone', async () => {
    // The United States goes offline and types. Meanwhile an observer sends
    // GC structs (deleted, content-free) on the United States' client id at
    // the very clocks its offline edit uses. A GC describes no insertion, so
    // a check that only looks at what is inserted lets it through; Yjs then
    // believes it already has those clocks and silently drops the real edit
    // when the United States reconnects: its screen shows words nobody else
    // has. Worse, the GC comes back to the United States in the server's
    // sync step 2 as a deleted range and wipes the edit from its own screen
    // too (and Yjs, seeing its own client id written by another, gives it a
    // new one). Observers write nothing, and nobody writes on another's clocks.
    f = await negotiationFixture(stage);
    const victim = f.usa;
    const victimId = victim.doc.clientID;
    victim.provider.disconnect();
    const offline = 'Offline words of the United States. ';
    paragraphText(victim, INDEX.p3).insert(0, offline);
    const nextClock = Y.getState(f.watcher.doc.store, victimId);
    expect(Y.getState(victim.doc.store, victimId)).toBeGreaterThan(nextClock);

    const before = records(f.watcher.doc);
    const observer = await f.hostile('observer');
    observer.sendUpdate(writeParts({ structs: [gc(victimId, nextClock, 1_000)], deletes: [] }));
    await f.expectRefusal(observer, before);
    await f.expectUntouched(before);

    victim.provider.connect();
    await waitSynced(victim);
    await waitFor(() => textOf(f.watcher.doc, INDEX.p3).toString().includes(offline), 'the offline edit to reach the watcher', 5_000);
    // Everyone, the United States included, sees the same document.
    await waitFor(() => JSON.stringify(records(victim.doc)) === JSON.stringify(records(f.watcher.doc)), 'the United States to converge');
    expect(textOf(victim.doc, INDEX.p3).toString()).toContain(offline);
    await f.expectStillServing('egypt');
    const stored = await f.expectSameAfterRestart();
    expect(textOf(stored, INDEX.p3).toString()).toContain(offline);
  });

  it('5b. refuses one large observer message of GC structs on thousands of fresh client ids; the state vector does not grow', async () => {
    // 10,000 client ids nobody uses, one GC struct each: no content, yet the
    // server would keep every id in its state vector forever, and send it to
    // every client at every sync step 1. Nothing an observer sends is stored.
    f = await negotiationFixture(stage);
    const fresh = await f.connect('secretariat');
    const vectorBefore = Y.encodeStateVector(fresh.doc).length;
    const clientsBefore = Y.decodeStateVector(Y.encodeStateVector(fresh.doc)).size;
    const structs = Array.from({ length: 10_000 }, () => gc(freshClientId(), 0, 1));
    const before = records(f.watcher.doc);
    const observer = await f.hostile('observer');
    observer.sendUpdate(writeParts({ structs, deletes: [] }));
    await f.expectRefusal(observer, before);
    await f.expectUntouched(before);
    const later = await f.connect('secretariat');
    expect(Y.encodeStateVector(later.doc).length).toBe(vectorBefore);
    await f.expectStillServing();
    const stored = await f.expectSameAfterRestart();
    // The legitimate edit came from a client the document already knew.
    expect(Y.decodeStateVector(Y.encodeStateVector(stored)).size).toBe(clientsBefore);
  });

  it('5c. answers an observer\'s stock sync step 2 with nothing new normally: it syncs, stays connected and keeps receiving', async () => {
    // Not an attack: what every stock provider sends on connecting is a sync
    // step 2 with no new structs but the document's whole delete set (there
    // are deletions here). Hardening must not refuse it, or observers could
    // not follow a meeting.
    f = await negotiationFixture(stage);
    textOf(f.watcher.doc, INDEX.p2).delete(0, 5);
    let denials: string[] = [];
    const closes: number[] = [];
    let leaving = false;
    const observer = await f.connect('observer', (c) => {
      denials = collectDenials(c);
      c.provider.on('connection-close', (event) => leaving || closes.push(event?.code ?? 0));
    });
    expect(JSON.stringify(records(observer.doc))).toBe(JSON.stringify(records(f.watcher.doc)));
    await sleep(500);
    expect(denials).toEqual([]);
    expect(observer.provider.wsconnected).toBe(true);
    await f.expectStillServing();
    await waitFor(() => JSON.stringify(records(observer.doc)) === JSON.stringify(records(f.watcher.doc)), 'the observer to receive the edit');

    // And again after a reconnect, when its step 2 carries the same delete set.
    leaving = true;
    observer.provider.disconnect();
    leaving = false;
    observer.provider.connect();
    await waitSynced(observer);
    await sleep(500);
    expect(denials).toEqual([]);
    expect(closes).toEqual([]);
    expect(observer.provider.wsconnected).toBe(true);
  });

  it('6. refuses an update whose second struct has a forward origin, and applies, relays and stores none of it', async () => {
    // Struct 1 is ordinary typing in open paragraph p2. Struct 2's left
    // origin is the id of struct 3, a clock that comes later: Yjs integrates
    // struct 1, then throws on struct 2. If the server lets Yjs apply the
    // update to its document, struct 1 stays applied (and is relayed and
    // logged) although the update was rejected. All or nothing.
    f = await negotiationFixture(stage);
    const client = freshClientId();
    const parts = readParts(changeOf(f.watcher.doc, client, (d) => textOf(d, INDEX.p2).insert(0, 'HALF-APPLIED ')));
    expect(parts.structs).toHaveLength(1);
    const end = parts.structs[0]!.length; // struct 1 holds clocks 0..end-1
    parts.structs.push(
      item({ id: Y.createID(client, end), origin: Y.createID(client, end + 1), content: new Y.ContentString('X') }),
      item({ id: Y.createID(client, end + 1), origin: Y.createID(client, end - 1), content: new Y.ContentString('Y') }),
    );
    const forged = writeParts(parts);
    // A plain Yjs document throws on it, and keeps struct 1.
    const probe = applyToCopy(f.watcher.doc, forged);
    expect(probe.error).not.toBeNull();
    expect(textOf(probe.doc, INDEX.p2).toString()).toContain('HALF-APPLIED');
    const before = records(f.watcher.doc);
    const egypt = await f.hostile('egypt');
    egypt.sendUpdate(forged);
    await f.expectRefusal(egypt, before);
    await f.expectUntouched(before);
    await f.expectStillServing();
    const stored = await f.expectSameAfterRestart();
    expect(textOf(stored, INDEX.p2).toString()).not.toContain('HALF-APPLIED');
  });

  it('10. refuses an update that starts beyond the server\'s clock for its client with permission denied, and keeps the connection', async () => {
    // A client whose previous update never arrived (or was refused) goes on
    // typing: its next update starts at a clock the server has not reached
    // for that client. The server cannot apply it; it must say so the way
    // the client can act on (permission denied: our client reloads), not
    // close the socket (4422: the stock client reconnects and sends the same
    // thing again).
    f = await negotiationFixture(stage);
    const scratch = scratchCopy(f.watcher.doc, freshClientId());
    textOf(scratch, INDEX.p2).insert(0, 'never sent ');
    const sent = Y.encodeStateVector(scratch);
    textOf(scratch, INDEX.p2).insert(0, 'builds on what was never sent ');
    const gapped = Y.encodeStateAsUpdate(scratch, sent);
    scratch.destroy();
    expect((readParts(gapped).structs[0]!.id.clock)).toBeGreaterThan(0);

    const before = records(f.watcher.doc);
    const egypt = await f.hostile('egypt');
    egypt.sendUpdate(gapped);
    const refusal = await f.expectRefusal(egypt, before);
    expect(refusal.kind, JSON.stringify(refusal)).toBe('denied');
    await f.expectUntouched(before);
    expect(egypt.isOpen()).toBe(true);
    // The same connection is still served: a correct update from it lands.
    egypt.sendUpdate(changeOf(f.watcher.doc, freshClientId(), (d) => textOf(d, INDEX.p2).insert(0, 'A fresh start. ')));
    await waitFor(() => textOf(f.watcher.doc, INDEX.p2).toString().includes('A fresh start. '), 'the next update of the same connection to land');
    expect(egypt.isOpen()).toBe(true);
    await f.expectStillServing();
    await f.expectSameAfterRestart();
  });

  it('12. refuses structs Egypt sends on the United States\' client id, continuing its clock', async () => {
    // Yjs identifies every struct by (client id, clock). Egypt writes
    // ordinary text, but under the client id of the United States'
    // connection, at its next clock: the text would pass as typed by the
    // United States' client, and the United States' own next keystrokes,
    // which use the same clocks, would be taken for duplicates. A connection
    // writes only on its own client ids.
    f = await negotiationFixture(stage);
    const usId = f.usa.doc.clientID;
    const update = changeOf(f.watcher.doc, usId, (d) => textOf(d, INDEX.p2).insert(0, 'Egypt typing as the United States. '));
    expect(readParts(update).structs[0]!.id.clock).toBe(Y.getState(f.usa.doc.store, usId));
    const before = records(f.watcher.doc);
    const egypt = await f.hostile('egypt');
    egypt.sendUpdate(update);
    await f.expectRefusal(egypt, before);
    await f.expectUntouched(before);
    // The United States types on: its edit, on exactly those clocks, lands.
    await f.expectStillServing('usa');
    const stored = await f.expectSameAfterRestart();
    expect(textOf(stored, INDEX.p2).toString()).not.toContain('Egypt typing as the United States');
  });

  it('8. keeps a reconnecting participant visible under its own name when another claims its presence client id with a huge clock', async () => {
    // The United States' connection drops; while it reconnects, Egypt sends
    // an awareness update for the United States' client id with a clock of
    // 2^31 and no state. Awareness keeps the highest clock it has seen, so
    // every later state the United States sends (clock 3, 4...) would be
    // ignored: its caret and name gone from every screen for the rest of the
    // meeting. Presence of a client id belongs to the connection using it.
    // (A stock provider re-announces itself on reconnecting with the clock it
    // had, which the server has already seen: it shows again at its next
    // awareness change, so the test moves its caret as a person does.)
    f = await negotiationFixture(stage);
    const victimId = f.usa.doc.clientID;
    const seen = () => f.watcher.provider.awareness.getStates().get(victimId)?.user as Record<string, unknown> | undefined;
    f.usa.provider.awareness.setLocalStateField('cursor', { anchor: 1 });
    await waitFor(() => seen()?.delegation === 'United States', 'the United States to be visible');
    const egypt = await f.hostile('egypt');

    f.usa.provider.disconnect();
    await waitFor(() => !f.watcher.provider.awareness.getStates().has(victimId), 'the watcher to see the United States leave');
    egypt.send(awarenessFrame([{ clientId: victimId, clock: 2 ** 31, state: null }]));
    await sleep(100);
    f.usa.provider.connect();
    await waitSynced(f.usa);
    // The person goes on working: the caret moves, as it does at every keystroke.
    f.usa.provider.awareness.setLocalStateField('cursor', { anchor: 2 });
    await waitFor(() => seen()?.delegation === 'United States', 'the United States to be visible again after reconnecting', 5_000);
    expect(seen()).toMatchObject({ name: 'United States', delegation: 'United States', role: 'delegate' });
    // Others joining now see it too.
    const late = await f.connect('secretariat');
    await waitFor(() => (late.provider.awareness.getStates().get(victimId)?.user as { delegation?: string } | undefined)?.delegation === 'United States', 'a late joiner to see the United States');
    expect(f.watcher.provider.awareness.getStates().get(victimId)?.cursor).toEqual({ anchor: 2 });
    await f.expectStillServing('usa');
  });
});

describe('hostile clients cannot freeze the server with one large update', () => {
  const stage = hostileStage();
  let f: Fixture;
  afterEach(() => f?.close());

  it('9a. refuses an observer\'s ~500 KB update of long origin chains promptly, and the server answers others meanwhile', async () => {
    // What a big paste looks like struct by struct, made worst-case: 48,000
    // one-character items, each with the previous one as its left origin
    // (Yjs merges such runs into one item; a modified client need not), in
    // nine chains of 4,000 and one of 12,000 on ten client ids. Placing the
    // end of a chain means walking it: a check that walks each item's chain
    // anew is quadratic, one that recurses runs out of stack. Whatever the
    // check does, it must not hold the server's single thread: while the
    // update is processed, health checks answer.
    f = await negotiationFixture(stage);
    let last = textOf(f.watcher.doc, INDEX.p2)._start!;
    while (last.right) last = last.right;
    const lastChar = Y.createID(last.id.client, last.id.clock + last.length - 1);
    // Higher client ids are written (and read) first: the short chains come first.
    const clients = Array.from({ length: 10 }, () => freshClientId()).sort((a, b) => b - a);
    const structs: Y.Item[] = [];
    clients.forEach((client, i) => {
      let origin = lastChar;
      for (let clock = 0; clock < (i < 9 ? 4_000 : 12_000); clock++) {
        structs.push(item({ id: Y.createID(client, clock), origin, content: new Y.ContentString('x') }));
        origin = Y.createID(client, clock);
      }
    });
    const update = writeParts({ structs, deletes: [] });
    expect(update.byteLength).toBeGreaterThan(400_000);
    expect(update.byteLength).toBeLessThan(600_000);

    const before = records(f.watcher.doc);
    const observer = await f.hostile('observer');
    const sentAt = performance.now();
    observer.sendUpdate(update);
    // A health check every 100 ms (each on a new connection) until the refusal; each timed from its own start.
    const latencies: number[] = [];
    const probes: Array<Promise<void>> = [];
    while (observer.denials.length === 0 && observer.closedWith === null && performance.now() - sentAt < 10_000) {
      probes.push(healthLatency(stage.server.url).then((ms) => void latencies.push(ms)));
      await sleep(100);
    }
    const refusedAfter = performance.now() - sentAt;
    await Promise.all(probes);
    await f.expectRefusal(observer, before, 1);
    expect(Math.max(...latencies), `health check latencies: ${latencies.map((l) => Math.round(l)).join(', ')} ms`).toBeLessThan(5_000);
    expect(refusedAfter).toBeLessThan(5_000);
    await f.expectUntouched(before);
    await f.expectStillServing();
    await f.expectSameAfterRestart();
  });

  it('9b. accepts a delegate\'s legitimate paste of 8,000 paragraphs in one transaction from a stock client', async () => {
    // The honest twin of 9a: a delegation pastes a long annex. One
    // transaction, one update of 8,000 paragraph elements chained by their
    // origins. It must be checked without "Maximum call stack size
    // exceeded" or a close (after which the stock client reconnects and
    // sends it again, forever) and reach everyone.
    f = await negotiationFixture(stage);
    const closes: number[] = [];
    let denials: string[] = [];
    const paster = await f.connect('egypt', (c) => {
      denials = collectDenials(c);
      c.provider.on('connection-close', (event) => closes.push(event?.code ?? 0));
    });
    const paragraphs = Array.from({ length: 8_000 }, (_, i) => {
      const p = new Y.XmlElement('paragraph');
      p.setAttribute('id', `annex-${i}`);
      p.insert(0, [new Y.XmlText(`Annex paragraph ${i}: Member States shall cooperate on capacity building.`)]);
      return p;
    });
    paster.doc.transact(() => paster.body.insert(paster.body.length, paragraphs));
    await waitFor(() => f.watcher.body.length === 4 + 8_000 || closes.length > 0 || denials.length > 0, 'the paste to reach the watcher', 20_000);
    expect(closes, 'the paster was disconnected').toEqual([]);
    expect(denials, 'the paste was refused').toEqual([]);
    expect(f.watcher.body.length).toBe(4 + 8_000);
    expect(stage.server.logs.some((l) => /Maximum call stack/.test(JSON.stringify(l)))).toBe(false);
    const fresh = await connectSynced(stage.server.wsUrl, f.documentId, f.tokens.secretariat);
    expect(fresh.body.length).toBe(4 + 8_000);
    fresh.destroy();
    await f.expectStillServing('usa');
    await f.expectSameAfterRestart();
  });
});
