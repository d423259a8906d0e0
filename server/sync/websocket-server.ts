import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { DocumentId } from '../../shared/schema/api.js';
import { COLLAB_PATH, CloseCode } from '../../shared/protocol/constants.js';
import type { AccessEnd, Authenticator } from '../auth/authenticator.js';
import { ForbiddenError, MalformedMessageError, NotFoundError, TooManyRequestsError, closeReason, describeError } from '../errors.js';
import { credentialsOf } from '../http/credentials.js';
import { foreignOrigin } from '../http/origin-check.js';
import type { Logger } from '../log.js';
import { metrics } from '../metrics/metrics.js';
import { AccessExpiry } from './access-expiry.js';
import { Connection, newConnectionId } from './connection.js';
import type { Room } from './room.js';
import type { Rooms } from './rooms.js';

/** Dead peers (laptop lid closed, network gone) are found by ping and dropped. */
const PING_INTERVAL_MS = 30_000;

export type WebsocketOptions = { maxMessageBytes: number; allowedOrigins: string[] };

/**
 * The y-websocket endpoint, `/collab/<documentId>` on the HTTP server's port.
 * Per connection: authenticate (4401) → check the role in that document (4403)
 * → load it (4404) → join the room → pass every frame to the room; any error
 * closes that one connection with a code and a reason, and nothing else.
 */
export function attachWebsocketServer(
  server: Server,
  rooms: Rooms,
  authenticator: Authenticator,
  log: Logger,
  options: WebsocketOptions,
): { close(): void } {
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes, perMessageDeflate: false });
  const alive = new WeakSet<WebSocket>();
  const expiry = new AccessExpiry();

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!url.pathname.startsWith(`${COLLAB_PATH}/`)) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const documentId = decodeURIComponent(url.pathname.slice(COLLAB_PATH.length + 1));
      accept(ws, req, documentId);
    });
  });

  /** A page from another site must not open a delegate's document with the delegate's cookie. */
  function checkOrigin(req: IncomingMessage): void {
    // The same rule as HTTP writes (http/origin-check.ts); no browser header: a script with its own credentials.
    const foreign = foreignOrigin(req, options.allowedOrigins);
    if (foreign) throw new ForbiddenError(`This connection came from ${foreign}, which may not open this document`);
  }

  function accept(ws: WebSocket, req: IncomingMessage, documentId: string): void {
    // Every line about this socket, from its refusal to its close, carries both: grep one connection.
    const id = newConnectionId();
    const connLog = log.child({ documentId, connection: id });
    alive.add(ws);
    ws.on('pong', () => alive.add(ws));
    ws.on('error', (err) => {
      // ws reports only what the client sent against the protocol (a frame too big, bad framing), then closes: a refusal.
      metrics.updatesRefused.inc({ reason: 'malformed' });
      connLog.warn({ err: err.message }, 'websocket error');
    });

    let connection: Connection;
    let room: Room;
    let ends: AccessEnd | null;
    try {
      checkOrigin(req);
      const credentials = credentialsOf(req);
      const access = authenticator.authorize(credentials, documentId);
      ends = authenticator.accessEnd(credentials, access);
      if (!DocumentId.safeParse(documentId).success) throw new NotFoundError(`No document with id "${documentId}"`);
      room = rooms.acquire(documentId);
      connection = new Connection(ws, access, connLog.child({ role: access.role, delegation: access.delegation, name: access.name }), id);
    } catch (err) {
      const { closeCode, message } = describeError(err);
      connLog.info({ closeCode, reason: message }, 'websocket refused');
      ws.close(closeCode, closeReason(message));
      return;
    }

    const joined = room;
    ws.on('message', (data: RawData, isBinary: boolean) => {
      // Closing (revoked, expired, refused...): a client that ignores our close frame gets nothing more in.
      if (!connection.isOpen) return;
      try {
        expiry.check(connection);
        if (!isBinary) throw new MalformedMessageError('Text frames are not part of the protocol');
        if (!connection.admit()) throw new TooManyRequestsError('Too many messages; slow down and reconnect');
        joined.receive(connection, toUint8Array(data));
      } catch (err) {
        connection.fail(err);
      }
    });
    ws.on('close', (code: number) => {
      expiry.forget(connection);
      joined.leave(connection);
      rooms.release(joined);
      connection.log.debug({ code }, 'websocket closed');
    });
    joined.join(connection);
    expiry.watch(connection, ends);
    connection.log.debug('websocket joined');
  }

  const pinger = setInterval(() => {
    for (const ws of wss.clients) {
      if (!alive.has(ws)) {
        ws.terminate();
        continue;
      }
      alive.delete(ws);
      ws.ping();
    }
  }, PING_INTERVAL_MS);
  pinger.unref();

  return {
    close() {
      clearInterval(pinger);
      for (const ws of wss.clients) ws.close(CloseCode.GoingAway, 'Server shutting down');
      wss.close();
    },
  };
}

function toUint8Array(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
