import express from 'express';
import type { Health } from '../../shared/schema/api.js';
import type { Logger } from '../log.js';
import type { DocumentStore } from '../storage/document-store.js';
import type { Rooms } from '../sync/rooms.js';
import { clientRoutes } from './client-routes.js';
import { documentsRoutes } from './documents-routes.js';
import { errorHandler, unknownApiRoute } from './error-handler.js';

export type AppDeps = {
  store: DocumentStore;
  rooms: Rooms;
  log: Logger;
  clientDir: string;
  maxBodyBytes: number;
};

export function createApp({ store, rooms, log, clientDir, maxBodyBytes }: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  const startedAt = Date.now();

  app.get('/api/health', (_req, res) => {
    const body: Health = {
      status: 'ok',
      uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
      loadedDocuments: rooms.loadedCount,
      connections: rooms.connectionCount,
    };
    res.json(body);
  });
  app.use('/api/documents', documentsRoutes(store, rooms, maxBodyBytes));
  app.use('/api', unknownApiRoute);
  app.use(clientRoutes(clientDir));
  app.use(errorHandler(log));
  return app;
}
