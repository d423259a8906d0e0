import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { DocumentId } from '../../shared/schema/api.js';
import { COLLAB_PATH, CloseCode } from '../../shared/protocol/constants.js';
import { MalformedMessageError, NotFoundError, closeReason, describeError } from '../errors.js';
import type { Logger } from '../log.js';
import { Connection } from './connection.js';
import type { Rooms } from './rooms.js';

/** Dead peers (laptop lid closed, network gone) are found by ping and dropped. */
const PING_INTERVAL_MS = 30_000;

/**
 * The y-websocket endpoint, `/collab/<documentId>` on the HTTP server's port.
 * Per connection: find the document → load it → join the room → pass every
 * frame to the room; any error closes that one connection with a code and a
 * reason, and nothing else.
 */
export function attachWebsocketServer(
  server: Server,
  rooms: Rooms,
  log: Logger,
  options: { maxMessageBytes: number },
): { close(): void } {
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes, perMessageDeflate: false });
  const alive = new WeakSet<WebSocket>();

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!url.pathname.startsWith(`${COLLAB_PATH}/`)) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const documentId = decodeURIComponent(url.pathname.slice(COLLAB_PATH.length + 1));
      accept(ws, documentId);
    });
  });

  function accept(ws: WebSocket, documentId: string): void {
    const connLog = log.child({ documentId });
    alive.add(ws);
    ws.on('pong', () => alive.add(ws));
    ws.on('error', (err) => connLog.warn({ err: err.message }, 'websocket error'));

    let room;
    try {
      if (!DocumentId.safeParse(documentId).success) throw new NotFoundError(`No document with id "${documentId}"`);
      room = rooms.acquire(documentId);
    } catch (err) {
      const { closeCode, message } = describeError(err);
      connLog.info({ closeCode, reason: message }, 'websocket refused');
      ws.close(closeCode, closeReason(message));
      return;
    }

    const connection = new Connection(ws, documentId, connLog);
    const joined = room;
    ws.on('message', (data: RawData, isBinary: boolean) => {
      try {
        if (!isBinary) throw new MalformedMessageError('Text frames are not part of the protocol');
        joined.receive(connection, toUint8Array(data));
      } catch (err) {
        const { closeCode, message } = describeError(err);
        connLog.warn({ connection: connection.id, closeCode, reason: message, err: closeCode === CloseCode.InternalError ? err : undefined }, 'closing connection after bad frame');
        connection.close(closeCode, message);
      }
    });
    ws.on('close', (code: number) => {
      joined.leave(connection);
      rooms.release(joined);
      connLog.debug({ connection: connection.id, code }, 'websocket closed');
    });
    joined.join(connection);
    connLog.debug({ connection: connection.id }, 'websocket joined');
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
