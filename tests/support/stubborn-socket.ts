import crypto from 'node:crypto';
import net from 'node:net';
import { encodeSyncUpdate } from '../../shared/protocol/messages.js';

/**
 * A hostile websocket client, written on a bare TCP socket: it never answers
 * the server's close frame and goes on sending, as a client that wants its
 * edits in after it was told to leave would. (A `ws` client answers the close
 * frame by itself, so it cannot play this part.)
 */
export type StubbornSocket = {
  /** Resolves with the close code and reason once the server sends its close frame. */
  closeFrame: Promise<{ code: number; reason: string }>;
  /** Sends a y-protocols sync update frame (message type 0, sub-type 2). */
  sendUpdate(update: Uint8Array): void;
  destroy(): void;
};

export async function openStubborn(port: number, pathAndQuery: string, headers: Record<string, string> = {}): Promise<StubbornSocket> {
  const socket = net.connect(port, '127.0.0.1');
  socket.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('error', reject);
  });
  const key = crypto.randomBytes(16).toString('base64');
  const extra = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
  socket.write(
    `GET ${pathAndQuery} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n${extra}\r\n`,
  );

  let buffered = Buffer.alloc(0);
  let upgraded = false;
  let onClose: (close: { code: number; reason: string }) => void = () => {};
  const closeFrame = new Promise<{ code: number; reason: string }>((resolve) => (onClose = resolve));
  const opened = new Promise<void>((resolve, reject) => {
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (!upgraded) {
        const end = buffered.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buffered.subarray(0, end).toString('latin1');
        if (!head.startsWith('HTTP/1.1 101')) return reject(new Error(`no upgrade: ${head.split('\r\n')[0]}`));
        upgraded = true;
        buffered = buffered.subarray(end + 4);
        resolve();
      }
      // Server frames are unmasked: only the close frame matters here, the rest is skipped.
      for (;;) {
        if (buffered.length < 2) return;
        const opcode = buffered[0]! & 0x0f;
        let length = buffered[1]! & 0x7f;
        let at = 2;
        if (length === 126) {
          if (buffered.length < 4) return;
          length = buffered.readUInt16BE(2);
          at = 4;
        } else if (length === 127) {
          if (buffered.length < 10) return;
          length = Number(buffered.readBigUInt64BE(2));
          at = 10;
        }
        if (buffered.length < at + length) return;
        const payload = buffered.subarray(at, at + length);
        buffered = buffered.subarray(at + length);
        if (opcode === 0x8) onClose({ code: payload.length >= 2 ? payload.readUInt16BE(0) : 1005, reason: payload.subarray(2).toString('utf8') });
      }
    });
    socket.once('close', () => reject(new Error('closed before the upgrade')));
  });
  await opened;

  const sendFrame = (payload: Uint8Array) => {
    const mask = crypto.randomBytes(4);
    const head =
      payload.length < 126
        ? Buffer.from([0x82, 0x80 | payload.length])
        : payload.length < 65536
          ? Buffer.from([0x82, 0x80 | 126, payload.length >> 8, payload.length & 0xff])
          : (() => {
              const h = Buffer.alloc(10);
              h[0] = 0x82;
              h[1] = 0x80 | 127;
              h.writeBigUInt64BE(BigInt(payload.length), 2);
              return h;
            })();
    const masked = Buffer.from(payload);
    for (let i = 0; i < masked.length; i++) masked[i] = masked[i]! ^ mask[i % 4]!;
    socket.write(Buffer.concat([head, mask, masked]));
  };

  return {
    closeFrame,
    sendUpdate(update) {
      sendFrame(encodeSyncUpdate(update));
    },
    destroy: () => socket.destroy(),
  };
}
