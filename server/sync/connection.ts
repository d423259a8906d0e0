import * as Y from 'yjs';
import WebSocket from 'ws';
import type { ResolvedAccess } from '../auth/authenticator.js';
import { CloseCode } from '../../shared/protocol/constants.js';
import { closeReason, describeError } from '../errors.js';
import type { Logger } from '../log.js';
import { metrics } from '../metrics/metrics.js';
import { countRefusal } from '../metrics/refusals.js';
import { encodePermissionDenied, encodeSyncUpdate } from './messages.js';

/** Bytes queued in a socket beyond which we stop writing to it and keep its updates aside. */
const HIGH_WATER_BYTES = 1 * 1024 * 1024;
/** Updates kept aside for a slow socket beyond which it is disconnected (it resyncs on reconnect). */
const MAX_BACKLOG_BYTES = 16 * 1024 * 1024;
/** How often a socket that fell behind is checked for room to write again. */
const DRAIN_POLL_MS = 20;
/** Refused updates after which a client is disconnected: it is not one that follows the rules. */
const MAX_REFUSALS = 20;
/** Messages per second a client may send (typing and caret moves are far below); a flood closes it. */
const MESSAGES_PER_SECOND = 300;
const MESSAGE_BURST = 1000;

let lastConnectionId = 0;

/** Taken when the socket opens, before it is known who is on it: the lines about a refused socket carry it too. */
export function newConnectionId(): number {
  return ++lastConnectionId;
}

/**
 * One client's websocket in one room. Owns the socket's write side, so that one
 * slow laptop cannot stall the room: when its socket is full, the document
 * updates meant for it are merged aside and sent as one when it drains.
 */
export class Connection {
  /** Awareness client ids this connection announced, removed when it leaves. */
  readonly awarenessClients = new Set<number>();
  private refusals = 0;
  private allowance = MESSAGE_BURST;
  private allowanceAt = Date.now();
  private backlog: Uint8Array[] = [];
  private backlogBytes = 0;
  private drainTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly socket: WebSocket,
    /** Who is on the other end and what they may do here; every update they send is checked against it. */
    readonly access: ResolvedAccess,
    /** Bound to this socket's documentId and connection id (newConnectionId), so its lines can be grepped together. */
    readonly log: Logger,
    readonly id: number,
  ) {}

  get documentId(): string {
    return this.access.documentId;
  }

  get isOpen(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  send(message: Uint8Array): void {
    if (this.isOpen) this.socket.send(message, { binary: true });
  }

  /**
   * An update of this client was refused: it is told why (our client then
   * reloads the document from the server), and the refusal is logged.
   */
  refused(reason: string): void {
    this.refusals++;
    this.log.warn({ reason, refusals: this.refusals }, 'update refused');
    this.send(encodePermissionDenied(reason));
    if (this.refusals >= MAX_REFUSALS) this.close(CloseCode.Forbidden, `Too many refused updates: ${reason}`);
  }

  /** Counts one incoming message against the flood limit; false once the client floods. */
  admit(): boolean {
    const now = Date.now();
    this.allowance = Math.min(MESSAGE_BURST, this.allowance + ((now - this.allowanceAt) * MESSAGES_PER_SECOND) / 1000);
    this.allowanceAt = now;
    if (this.allowance < 1) return false;
    this.allowance -= 1;
    return true;
  }

  /**
   * Sends a document update (already encoded as `message`), or keeps it aside
   * while the socket is full. True when it left now: the fan-out counts those
   * once per window for all its sockets (a counter per socket send would cost
   * the plenary a quarter of a million increments a second).
   */
  sendUpdate(message: Uint8Array, update: Uint8Array): boolean {
    if (!this.isOpen) return false;
    if (this.backlog.length === 0 && this.socket.bufferedAmount < HIGH_WATER_BYTES) {
      this.socket.send(message, { binary: true });
      return true;
    }
    this.backlog.push(update);
    this.backlogBytes += update.byteLength;
    if (this.backlogBytes > MAX_BACKLOG_BYTES) {
      this.log.warn({ backlogBytes: this.backlogBytes }, 'connection too slow, disconnecting');
      this.close(CloseCode.TooSlow, 'Too slow to keep up with the document; reconnect to resync');
      return false;
    }
    this.drainTimer ??= setInterval(() => this.drain(), DRAIN_POLL_MS);
    return false;
  }

  private drain(): void {
    if (!this.isOpen) return this.stopDraining();
    if (this.socket.bufferedAmount >= HIGH_WATER_BYTES) return;
    const merged = Y.mergeUpdates(this.backlog);
    this.stopDraining();
    const message = encodeSyncUpdate(merged);
    this.socket.send(message, { binary: true });
    // What was kept aside is counted when it leaves, merged.
    metrics.fanoutFrames.inc();
    metrics.fanoutBytes.inc(message.byteLength);
  }

  private stopDraining(): void {
    clearInterval(this.drainTimer);
    this.drainTimer = undefined;
    this.backlog = [];
    this.backlogBytes = 0;
  }

  /** Closes this connection because of a frame it sent: the error says with which code and why. */
  fail(err: unknown): void {
    const { closeCode, message } = describeError(err);
    countRefusal(err);
    this.log.warn(
      { closeCode, reason: message, err: closeCode === CloseCode.InternalError ? err : undefined },
      'closing connection after bad frame',
    );
    this.close(closeCode, message);
  }

  close(code: number, reason: string): void {
    this.stopDraining();
    if (this.socket.readyState === WebSocket.OPEN || this.socket.readyState === WebSocket.CONNECTING) {
      this.socket.close(code, closeReason(reason));
    }
  }
}
