import * as Y from 'yjs';
import { openDatabase } from '../../server/storage/database.js';
import { DocumentStore } from '../../server/storage/document-store.js';
import { signInSecretariat } from './admin.js';
import { poisonedDraft } from './poisoned-doc.js';
import { startServerProcess, tempDataDir, type ServerProcess } from './server-process.js';

/**
 * The real server holding one document whose stored state has damaged
 * records (see poisoned-doc.ts). They are written straight into the update
 * log while the server is down, as an old version, an import or a bug could
 * have left them: over the websocket the server's check would refuse them.
 */
export async function startWithPoisonedDocument(): Promise<{ server: ServerProcess; documentId: string; token: string }> {
  const dataDir = tempDataDir();
  // SQLite even when the suite runs on PostgreSQL: the damaged records are written into the SQLite file.
  const first = await startServerProcess({ dataDir, storage: 'sqlite' });
  const admin = await signInSecretariat(first);
  const documentId = await admin.createDocument('Poisoned draft');
  const token = await admin.token(documentId);
  const code = await first.stop('SIGTERM');
  if (code !== 0) throw new Error(`the first server exited with ${code}`);

  const db = openDatabase(dataDir);
  try {
    new DocumentStore(db).append(documentId, Y.encodeStateAsUpdate(poisonedDraft().doc));
  } finally {
    db.close();
  }
  return { server: await startServerProcess({ dataDir, storage: 'sqlite' }), documentId, token };
}
