import express from 'express';
import helmet from 'helmet';
import type { Health } from '../../shared/schema/api.js';
import type { AuthStore } from '../auth/auth-store.js';
import type { Authenticator } from '../auth/authenticator.js';
import type { Logger } from '../log.js';
import { watchRooms } from '../metrics/room-gauges.js';
import type { DocumentStore } from '../storage/document-store.js';
import type { Rooms } from '../sync/rooms.js';
import { anyRole, requireDocumentRole, requireSecretariatAccount } from './access.js';
import { authRoutes } from './auth-routes.js';
import { clientRoutes } from './client-routes.js';
import { documentsRoutes } from './documents-routes.js';
import { errorHandler, unknownApiRoute } from './error-handler.js';
import { exportRoutes } from './export-routes.js';
import { importRoutes } from './import-routes.js';
import { invitationRoutes } from './invitation-routes.js';
import { metricsRoutes } from './metrics-routes.js';
import { originCheck } from './origin-check.js';
import { readingRoutes } from './reading-routes.js';
import { requestContext } from './request-context.js';
import type { BusStatus, LiveBus } from '../cluster/live-bus.js';
import type { SqlDatabase } from '../storage/sql-database.js';

function busHealth(status: BusStatus): Health['redis'] {
  if (status.kind === 'none') return 'none';
  return status.connected ? 'connected' : 'disconnected';
}

export type AppDeps = {
  /** Which storage engine holds the documents (for /api/health). */
  storage: SqlDatabase['kind'];
  /** The traffic between server processes (for /api/health). */
  bus: LiveBus;
  store: DocumentStore;
  rooms: Rooms;
  auth: AuthStore;
  authenticator: Authenticator;
  log: Logger;
  clientDir: string;
  maxBodyBytes: number;
  /** Largest file `POST /api/documents/import` accepts (default 20 MB). */
  maxImportBytes?: number;
  publicUrl: string | null;
  /** Other web origins trusted like the server's own (ALLOWED_ORIGINS), for writes as for the websocket. */
  allowedOrigins: readonly string[];
  /** METRICS_TOKEN: lets a scraper read GET /metrics without a session; null: only the secretariat may. */
  metricsToken?: string | null;
};

export function createApp(deps: AppDeps): express.Express {
  const { store, rooms, auth, authenticator, log, clientDir, maxBodyBytes, publicUrl } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // First: every answer, even a refused one, carries its id, and every line logged about it says which request.
  app.use(requestContext(log));
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          // The export preview shows server-made HTML in a sandboxed frame.
          'frame-src': ["'self'", 'data:', 'blob:'],
          'upgrade-insecure-requests': null,
        },
      },
      // Meeting rooms often run over plain http on a LAN: do not pin https.
      strictTransportSecurity: false,
    }),
  );
  // Before any route reads a body: a write a page of another origin sends with someone's cookie is refused.
  app.use(originCheck(deps.allowedOrigins));
  const startedAt = Date.now();
  watchRooms(rooms);

  app.get('/api/health', (_req, res) => {
    const body: Health = {
      status: 'ok',
      uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
      loadedDocuments: rooms.loadedCount,
      connections: rooms.connectionCount,
      quarantinedDocuments: rooms.quarantined.length,
      storage: deps.storage,
      redis: busHealth(deps.bus.status()),
      pid: process.pid,
    };
    res.json(body);
  });
  // Not under /api: where Prometheus looks by default.
  app.use(metricsRoutes({ authenticator, token: deps.metricsToken ?? null }));
  app.use('/api/session', authRoutes(auth, store, authenticator));
  app.use('/api/documents/:id/invitations', invitationRoutes(auth, store, authenticator, rooms, publicUrl));
  app.use(
    '/api/documents',
    importRoutes({
      store,
      maxImportBytes: deps.maxImportBytes ?? 20 * 1024 * 1024,
      guard: requireSecretariatAccount(authenticator, 'import documents'),
    }),
  );
  app.use(
    '/api/documents',
    exportRoutes({ store, rooms, log, guard: requireDocumentRole(authenticator, store, anyRole, 'export this document') }),
  );
  app.use('/api/documents', readingRoutes({ store, rooms, authenticator, maxBodyBytes }));
  app.use('/api/documents', documentsRoutes(store, rooms, authenticator, maxBodyBytes));
  app.use('/api', unknownApiRoute);
  app.use(clientRoutes(clientDir));
  app.use(errorHandler(log));
  return app;
}
