import crypto from 'node:crypto';
import os from 'node:os';
import { createClient, RESP_TYPES } from 'redis';
import type { Logger } from '../log.js';
import { type BusMessage, decodeBusMessage, encodeBusMessage } from './bus-message.js';
import type { BusStatus, LiveBus } from './live-bus.js';

/** REDIS_URL could not be reached at start: one line, exit 1 (server/main.ts). */
export class RedisUnreachableError extends Error {}

/**
 * Entries kept in the stream (approximately: Redis trims whole nodes). At the
 * L load (50 typists, a caret move with each keystroke) about 500 entries a
 * second: some three minutes of history for a process that falls behind.
 * One that falls further, or loses Redis, catches up from storage instead.
 */
const MAX_ENTRIES = 100_000;
/** How long one read waits for entries before it is issued again (and the loop notices a close). */
const BLOCK_MS = 1_000;
const BATCH = 1_000;
/** Revocations and deletions kept for sending again after a cut (see keepUndelivered). */
const MAX_UNDELIVERED = 10_000;

/** `redis://host:6379?prefix=name`: our own parameter (each test, each installation a key space of its own). */
function parseRedisUrl(url: string): { url: string; prefix: string; shown: string } {
  const parsed = new URL(url);
  const prefix = parsed.searchParams.get('prefix') ?? 'drafts';
  parsed.searchParams.delete('prefix');
  const shown = `${parsed.protocol}//${parsed.host}`;
  return { url: parsed.href, prefix, shown };
}

/**
 * The bus on one Redis stream, `<prefix>:live`. A stream, not pub/sub, for
 * what it guarantees: entries are ordered and kept, so a reader that was
 * slow, or whose connection dropped for a moment, goes on from the last id it
 * read and misses nothing; pub/sub drops whatever a subscriber was not
 * connected for. Every process appends (XADD) what it stored and reads
 * (XREAD) everything the others appended. One stream for all documents: a
 * process reads the traffic of documents it has not loaded too and drops it,
 * the price of never having to change what it reads when a document loads
 * (docs/scaling.md says when per-document streams become worth it).
 *
 * Losing Redis: publishing fails at once (no offline queue, so memory stays
 * bounded) and local clients go on as before. When both connections work
 * again, what was missed is merged from storage into the loaded documents
 * (Yjs merges only what is missing, so nobody's document goes backwards, and
 * whatever was stored meanwhile arrives), by whoever missed it: if a publish
 * failed, the others are asked to merge those documents (`resync`) and a
 * failed revocation or deletion is sent again; if the stream no longer holds
 * the last entry this process read (trimmed past it, or Redis restarted
 * empty), this process does. A connection dropped and restored with nothing
 * lost costs no resync: under load a full one is a document load per
 * process, at the moment the machine can least afford it.
 */
export class RedisBus implements LiveBus {
  readonly processId = `${os.hostname()}-${process.pid}-${crypto.randomBytes(3).toString('hex')}`;
  readonly shared = true;
  private handler: (message: BusMessage, from: string) => void = () => {};
  private stopped = false;
  private cutOff: string | null = null;
  /** The last entry read before the cut began: whatever came after it may be gone from the stream. */
  private cutFrom = '0-0';
  /** Documents whose updates could not be published since the bus was last whole: the others merge them from storage. */
  private readonly unpublished = new Set<string>();
  /**
   * Revocations and deletions that could not be published: sent again once
   * the bus is back (storage cannot make them good: the holder of a revoked
   * invitation connected to another process would stay connected).
   */
  private undelivered: BusMessage[] = [];
  private reading: Promise<void> | undefined;

  private constructor(
    private readonly publisher: Client,
    private readonly reader: Client,
    private readonly key: string,
    private lastId: string,
    private readonly log: Logger,
  ) {}

  /** Connects (refusing with RedisUnreachableError when it cannot) and starts reading from the stream's end. */
  static async connect(url: string, log: Logger): Promise<RedisBus> {
    const target = parseRedisUrl(url);
    let connected = false;
    // Named after the key prefix: `CLIENT LIST` tells an installation's connections (and a test its own).
    const client = makeClient(target.url, `${target.prefix}:${process.pid}`, () => connected);
    const reader = client.duplicate();
    for (const c of [client, reader]) c.on('error', () => {});
    try {
      await client.connect();
      await reader.connect();
    } catch (err) {
      throw new RedisUnreachableError(`Redis at ${target.shown} cannot be reached (${(err as Error).message}); check REDIS_URL`);
    }
    connected = true;
    const key = `${target.prefix}:live`;
    const last = (await client.sendCommand(['XREVRANGE', key, '+', '-', 'COUNT', '1'])) as Array<[string, unknown]> | null;
    const bus = new RedisBus(client, reader, key, last?.[0]?.[0] ?? '0-0', log.child({ component: 'redis' }));
    for (const c of [client, reader]) c.on('error', (err: Error) => bus.lost(err));
    bus.reading = bus.readLoop();
    return bus;
  }

  publish(message: BusMessage): void {
    if (this.stopped) return;
    this.publisher
      .sendCommand(['XADD', this.key, 'MAXLEN', '~', String(MAX_ENTRIES), '*', 'm', Buffer.from(encodeBusMessage(this.processId, message))])
      .catch((err: Error) => {
        this.keepUndelivered(message);
        this.lost(err);
      });
  }

  onMessage(handler: (message: BusMessage, from: string) => void): void {
    this.handler = handler;
  }

  status(): BusStatus {
    return { kind: 'redis', connected: this.cutOff === null && this.publisher.isReady && this.reader.isReady, lastError: this.cutOff };
  }

  async close(): Promise<void> {
    this.stopped = true;
    await this.reading?.catch(() => {});
    await Promise.allSettled([this.publisher.close(), this.reader.close()]);
  }

  /** Something was not delivered or not read: once both connections work again, whoever missed it resyncs (back). Logged once per cut. */
  private lost(err: Error): void {
    if (this.stopped) return;
    if (this.cutOff === null) {
      this.cutFrom = this.lastId;
      // The whole error (its class, code, and the attempts inside an AggregateError): some have no message of their own.
      this.log.error({ err }, 'Redis lost: clients of other processes miss this one until it is back; local editing goes on');
    }
    this.cutOff = errorSummary(err);
  }

  private async readLoop(): Promise<void> {
    const binary = this.reader.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
    while (!this.stopped) {
      let reply: unknown;
      try {
        reply = await binary.sendCommand(['XREAD', 'COUNT', String(BATCH), 'BLOCK', String(BLOCK_MS), 'STREAMS', this.key, this.lastId]);
      } catch (err) {
        if (this.stopped) return;
        this.lost(err as Error);
        await new Promise((resolve) => setTimeout(resolve, 250));
        continue;
      }
      for (const [id, fields] of entriesOf(reply)) {
        this.lastId = id;
        this.deliver(fields);
      }
      if (this.cutOff !== null && this.publisher.isReady) await this.back();
    }
  }

  private deliver(fields: Buffer[]): void {
    for (let i = 0; i + 1 < fields.length; i += 2) {
      if (fields[i]!.toString() !== 'm') continue;
      let decoded: ReturnType<typeof decodeBusMessage>;
      try {
        decoded = decodeBusMessage(fields[i + 1]!);
      } catch (err) {
        this.log.warn({ err: (err as Error).message }, 'unreadable entry on the Redis stream skipped');
        continue;
      }
      if (decoded.from === this.processId) continue;
      this.handle(decoded.message, decoded.from);
    }
  }

  private handle(message: BusMessage, from: string): void {
    try {
      this.handler(message, from);
    } catch (err) {
      this.log.error({ err, kind: message.kind }, 'a message from another process could not be applied');
    }
  }

  /** Both connections work again. */
  private async back(): Promise<void> {
    const was = this.cutOff;
    let missedHere: boolean;
    try {
      missedHere = await this.streamLost(this.cutFrom);
    } catch (err) {
      this.lost(err as Error);
      return;
    }
    const documentIds = [...this.unpublished];
    const resend = this.undelivered;
    this.cutOff = null;
    this.unpublished.clear();
    this.undelivered = [];
    this.log.warn({ was, missedHere, unpublished: documentIds.length, resent: resend.length }, 'Redis back: what was missed is merged from storage');
    for (const message of resend) this.publish(message);
    if (documentIds.length > 0) this.publish({ kind: 'resync', documentIds });
    if (missedHere) this.handle({ kind: 'resync', documentIds: null }, this.processId);
  }

  private keepUndelivered(message: BusMessage): void {
    switch (message.kind) {
      case 'update':
        this.unpublished.add(message.documentId);
        return;
      case 'resync':
        for (const id of message.documentIds ?? []) this.unpublished.add(id);
        return;
      case 'disconnect':
      case 'evict':
        // Bounded, so memory is: beyond 10,000 in one cut the oldest are dropped (their holders stay until they reconnect).
        if (this.undelivered.push(message) > MAX_UNDELIVERED) this.undelivered.shift();
        return;
      default:
        // Presence is renewed by every client every few seconds, online counts every HEARTBEAT: nothing to keep.
        return;
    }
  }

  /**
   * Whether entries after `readFrom` may have gone unread: the stream's oldest
   * entry is newer than it (trimmed past it, or a restarted Redis began a new
   * stream, whose ids come from the clock and so are newer), or there is no
   * stream at all.
   */
  private async streamLost(readFrom: string): Promise<boolean> {
    const first = (await this.publisher.sendCommand(['XRANGE', this.key, '-', '+', 'COUNT', '1'])) as Array<[string, unknown]> | null;
    const firstId = first?.[0]?.[0];
    if (firstId === undefined) return true;
    return compareStreamIds(firstId, readFrom) > 0;
  }
}

/** Orders two stream ids (`<ms>-<seq>`). */
function compareStreamIds(a: string, b: string): number {
  const [am = 0n, as = 0n] = a.split('-').map(BigInt);
  const [bm = 0n, bs = 0n] = b.split('-').map(BigInt);
  if (am !== bm) return am < bm ? -1 : 1;
  return as === bs ? 0 : as < bs ? -1 : 1;
}

/** One line for health and the log: a connect that tried several addresses fails with an AggregateError and no message. */
function errorSummary(err: Error): string {
  if (err.message) return err.message;
  if (err instanceof AggregateError) return err.errors.map((e: unknown) => (e instanceof Error ? e.message : String(e))).join('; ') || err.name;
  return err.name;
}

function makeClient(url: string, name: string, started: () => boolean) {
  return createClient({
    url,
    name,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: 3_000,
      // At start a failure is final (the one-line error); later, retried every so often for as long as it takes.
      reconnectStrategy: (retries: number, cause: Error) => (started() ? Math.min(100 * 2 ** retries, 2_000) : cause),
    },
  });
}
type Client = ReturnType<typeof makeClient>;

/** The entries of an XREAD reply, whichever shape the protocol gave it (RESP2 arrays, RESP3 maps). */
function entriesOf(reply: unknown): Array<[string, Buffer[]]> {
  if (!reply) return [];
  let streams: unknown[];
  if (reply instanceof Map) streams = [...reply.values()];
  else if (Array.isArray(reply)) streams = reply.map((s) => (s as [unknown, unknown])[1]);
  else streams = Object.values(reply as Record<string, unknown>);
  const entries: Array<[string, Buffer[]]> = [];
  for (const stream of streams) {
    for (const entry of (stream as Array<[Buffer | string, Buffer[]]>) ?? []) entries.push([entry[0].toString(), entry[1]]);
  }
  return entries;
}
