import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AuthStore } from './auth/auth-store.js';
import { Authenticator } from './auth/authenticator.js';
import type { Config } from './config.js';
import { createApp } from './http/app.js';
import type { Logger } from './log.js';
import { scheduleBackups } from './storage/backup-schedule.js';
import { openStorage } from './storage/open-storage.js';
import type { PgDatabase } from './storage/postgres/pg-database.js';
import { DocumentStore } from './storage/document-store.js';
import { seedDocuments } from './storage/seed-documents.js';
import { WriteGate } from './storage/write-gate.js';
import { Rooms } from './sync/rooms.js';
import { LocalBus, type LiveBus } from './cluster/live-bus.js';
import { RedisBus } from './cluster/redis-bus.js';
import { attachWebsocketServer } from './sync/websocket-server.js';

export type RunningServer = {
  url: string;
  /** The one-time link to create the first secretariat account, while none exists. */
  setupUrl: string | null;
  /** Stops accepting, disconnects everyone, stores every loaded document, closes the database. */
  close(): Promise<void>;
};

/** Assembles storage, rooms, the HTTP API and the sync endpoint on one port. */
export async function startServer(config: Config, log: Logger): Promise<RunningServer> {
  const db = openStorage(config, log);
  const store = new DocumentStore(db);
  await seedDocuments(store, config.seedsDir, log);
  const auth = new AuthStore(db);
  const authenticator = new Authenticator(auth);

  const bus = await connectBus(config, log);
  const rooms = new Rooms(store, log, {
    bus,
    accessProblem: (access) => authenticator.lapsed(access),
    unloadGraceMs: config.unloadGraceMs,
    fanoutWindowMs: config.fanoutWindowMs,
    awarenessIntervalMs: config.awarenessIntervalMs,
    compactAfterUpdates: config.compactAfterUpdates,
    writeGate: new WriteGate(config.dataDir, log, db.kind === 'postgres' ? { reachable: async () => (db as PgDatabase).reachable } : {}),
  });
  const app = createApp({
    storage: db.kind,
    bus,
    store,
    rooms,
    auth,
    authenticator,
    log,
    clientDir: config.clientDir,
    maxBodyBytes: config.maxBodyBytes,
    maxImportBytes: config.maxImportBytes,
    publicUrl: config.publicUrl,
    allowedOrigins: config.allowedOrigins,
    metricsToken: config.metricsToken,
  });
  const server = http.createServer(app);
  const sync = attachWebsocketServer(server, rooms, authenticator, log, {
    maxMessageBytes: config.maxMessageBytes,
    allowedOrigins: config.allowedOrigins,
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  const setupUrl = announceSetupLink(auth, config.publicUrl ?? url, log);
  const backups = config.backups ? scheduleBackups(config.dataDir, config.backups, log) : null;

  return {
    url,
    setupUrl,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      sync.close();
      server.closeAllConnections();
      rooms.unloadAll();
      await closed;
      await backups?.stop();
      await bus.close();
      db.close();
    },
  };
}

/** Redis when REDIS_URL is set (traffic to and from the other processes), else a bus that keeps everything in this process. */
function connectBus(config: Config, log: Logger): Promise<LiveBus> {
  return config.redisUrl ? RedisBus.connect(config.redisUrl, log) : Promise.resolve(new LocalBus());
}

/**
 * Until a secretariat account exists, every start prints a fresh one-time link
 * to create it, so a newcomer gets in with `npm install` and `npm start` alone.
 */
function announceSetupLink(auth: AuthStore, baseUrl: string, log: Logger): string | null {
  if (auth.hasAccounts()) return null;
  const setupUrl = `${baseUrl.replace(/\/$/, '')}/setup/${auth.createSetupToken()}`;
  log.warn({ setupUrl }, `first start: create the secretariat account at ${setupUrl}`);
  return setupUrl;
}
