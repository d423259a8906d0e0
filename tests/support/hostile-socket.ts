import WebSocket from 'ws';
import { decodeMessage, type Message } from '../../shared/protocol/messages.js';
import { syncUpdateFrame } from './crafted-updates.js';
import { openRaw, type Closed } from './raw-socket.js';
import { waitFor } from './wait.js';

/** How an attack was turned away: a "permission denied" auth message, or the socket closed with a 4xxx code. */
export type Refusal = { kind: 'denied'; reason: string } | { kind: 'closed'; code: number; reason: string };

/**
 * A modified client: a bare websocket with a real invitation token that sends
 * hand-made frames and records what the server answers. It never answers the
 * server's sync step 1 (nothing obliges a client to).
 */
export type HostileSocket = {
  ws: WebSocket;
  /** Reasons of the permission-denied messages received so far. */
  denials: string[];
  /** Set once the socket closed. */
  closedWith: Closed | null;
  closed: Promise<Closed>;
  /** Messages received per kind (sync-step1, sync-update, awareness, auth...). */
  received: Map<Message['kind'], number>;
  send(frame: Uint8Array): void;
  sendUpdate(update: Uint8Array): void;
  /** Waits for the server to turn the attack away; fails if it does neither within the time. */
  refusal(timeoutMs?: number): Promise<Refusal>;
  isOpen(): boolean;
  close(): void;
};

export async function openHostile(wsUrl: string, documentId: string, token: string): Promise<HostileSocket> {
  const { ws, closed } = await openRaw(wsUrl, documentId, token);
  const socket: HostileSocket = {
    ws,
    denials: [],
    closedWith: null,
    closed,
    received: new Map(),
    send: (frame) => ws.send(frame),
    sendUpdate: (update) => ws.send(syncUpdateFrame(update)),
    async refusal(timeoutMs = 10_000) {
      await waitFor(() => socket.denials.length > 0 || socket.closedWith !== null, 'the server to refuse the attack', timeoutMs);
      if (socket.denials.length > 0) return { kind: 'denied', reason: socket.denials[0]! };
      return { kind: 'closed', ...socket.closedWith! };
    },
    isOpen: () => ws.readyState === WebSocket.OPEN,
    close: () => ws.close(),
  };
  void closed.then((c) => (socket.closedWith = c));
  ws.on('message', (data: Buffer) => {
    const message = decodeMessage(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    socket.received.set(message.kind, (socket.received.get(message.kind) ?? 0) + 1);
    if (message.kind === 'auth' && message.permissionDenied !== null) socket.denials.push(message.permissionDenied);
  });
  return socket;
}

/** A refusal as the protocol allows it: permission denied, or a 4xxx close code. */
export function isRefusal(refusal: Refusal): boolean {
  return refusal.kind === 'denied' || (refusal.code >= 4000 && refusal.code < 5000);
}
