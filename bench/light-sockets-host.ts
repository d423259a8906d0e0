import WebSocket from 'ws';
import type { LightCommand, LightReply, StormResult } from './light-sockets-protocol.js';
import { EMPTY_SYNC_STEP1 } from './wire.js';

/**
 * The light sockets themselves: what a room full of passive screens costs the
 * server. Each socket says sync step 1 with an empty state vector, answers
 * nothing, and only counts what it receives (no Yjs decoding). Run in a child
 * process of its own (light-sockets-child.ts), so that their frame handling
 * does not compete with the measuring clients' event loop, or in the bench's
 * own process for the load where they share it (LightSockets.inProcess).
 * Returns the handler of the bench's commands; answers go to `reply`.
 */
export function lightSocketsHost(reply: (message: LightReply) => void, onClosed: () => void): (command: LightCommand) => void {
  type Light = { ws: WebSocket; synced: boolean };

  const sockets: Light[] = [];
  let messages = 0;
  let bytes = 0;
  // Presence (carets) versus document traffic, told apart by the frame's first byte (1 = awareness).
  let awarenessMessages = 0;
  let awarenessBytes = 0;
  let unexpectedCloses = 0;
  const closeCodes: Record<string, number> = {};
  let closing = false;


  /** Sync step 2 (the server's answer with the whole document) from its first two bytes: sync (0), step 2 (1). */
  const isSyncStep2 = (data: Buffer) => data.length >= 2 && data[0] === 0 && data[1] === 1;

  async function storm(url: string, headers: Record<string, string>, count: number, timeoutMs: number): Promise<StormResult> {
    const started = performance.now();
    let opened = 0;
    let synced = 0;
    let failed = 0;
    let openMs = NaN;
    let syncedMs = NaN;

    return new Promise<StormResult>((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        resolve({ requested: count, opened, synced, failed, openMs, syncedMs });
      };
      const settled = () => {
        if (synced + failed === count) finish();
      };
      const timer = setTimeout(finish, timeoutMs);

      // All at once, as after a server restart or a venue Wi-Fi hiccup.
      for (let i = 0; i < count; i++) {
        const ws = new WebSocket(url, { perMessageDeflate: false, headers });
        const light: Light = { ws, synced: false };
        sockets.push(light);
        ws.on('open', () => {
          opened++;
          if (opened === count) openMs = performance.now() - started;
          ws.send(EMPTY_SYNC_STEP1);
        });
        ws.on('message', (data: Buffer) => {
          messages++;
          bytes += data.length;
          if (data[0] === 1) {
            awarenessMessages++;
            awarenessBytes += data.length;
          }
          if (!light.synced && isSyncStep2(data)) {
            light.synced = true;
            synced++;
            if (synced === count) syncedMs = performance.now() - started;
            settled();
          }
        });
        ws.on('error', () => {});
        ws.on('close', (code: number) => {
          closeCodes[code] = (closeCodes[code] ?? 0) + 1;
          if (closing) return;
          unexpectedCloses++;
          if (!light.synced) {
            failed++;
            settled();
          }
        });
      }
    });
  }

  return (command: LightCommand) => {
  switch (command.cmd) {
    case 'storm':
      void storm(command.url, command.headers, command.count, command.timeoutMs).then((result) => reply({ type: 'storm', result }));
      return;
    case 'reset':
      messages = 0;
      bytes = 0;
      awarenessMessages = 0;
      awarenessBytes = 0;
      reply({ type: 'reset' });
      return;
    case 'stats':
      reply({
        type: 'stats',
        stats: {
          open: sockets.filter((s) => s.ws.readyState === WebSocket.OPEN).length,
          messages,
          bytes,
          awarenessMessages,
          awarenessBytes,
          unexpectedCloses,
          closeCodes: { ...closeCodes },
        },
      });
      return;
    case 'close':
      closing = true;
      for (const { ws } of sockets) ws.terminate();
      reply({ type: 'closed' });
      onClosed();
      return;
  }
};
}
