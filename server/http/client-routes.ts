import fs from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';

/**
 * The built client: static files, and index.html for every other page path
 * (`/d/<id>` is a client-side route, so a shared link must load the app).
 */
export function clientRoutes(clientDir: string): Router {
  const router = Router();
  const indexHtml = path.join(clientDir, 'index.html');
  router.use(express.static(clientDir, { index: false, maxAge: '1h' }));
  router.get(/^\/(?!api\/|collab\/).*/, (_req, res) => {
    if (!fs.existsSync(indexHtml)) {
      res.status(503).type('text/plain').send('The client is not built yet: run "npm run build" (npm start does it for you).');
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(indexHtml);
  });
  return router;
}
