import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from './config.js';
import { createApp } from './http/app.js';
import type { Logger } from './log.js';
import { openDatabase } from './storage/database.js';
import { DocumentStore } from './storage/document-store.js';
import { seedDocuments } from './storage/seed-documents.js';
import { Rooms } from './sync/rooms.js';
import { attachWebsocketServer } from './sync/websocket-server.js';

export type RunningServer = {
  url: string;
  /** Stops accepting, disconnects everyone, stores every loaded document, closes the database. */
  close(): Promise<void>;
};

/** Assembles storage, rooms, the HTTP API and the sync endpoint on one port. */
export async function startServer(config: Config, log: Logger): Promise<RunningServer> {
  const db = openDatabase(config.dataDir);
  const store = new DocumentStore(db);
  seedDocuments(store, config.seedsDir, log);

  const rooms = new Rooms(store, log, {
    unloadGraceMs: config.unloadGraceMs,
    fanoutWindowMs: config.fanoutWindowMs,
    awarenessIntervalMs: config.awarenessIntervalMs,
    compactAfterUpdates: config.compactAfterUpdates,
  });
  const app = createApp({ store, rooms, log, clientDir: config.clientDir, maxBodyBytes: config.maxBodyBytes });
  const server = http.createServer(app);
  const sync = attachWebsocketServer(server, rooms, log, { maxMessageBytes: config.maxMessageBytes });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;

  return {
    url,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      sync.close();
      server.closeAllConnections();
      rooms.unloadAll();
      await closed;
      db.close();
    },
  };
}
