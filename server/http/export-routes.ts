import { Router, type RequestHandler } from 'express';
import * as Y from 'yjs';
import { migrateDocument } from '../../shared/model/migrate-document.js';
import { DocumentId, ExportQuery } from '../../shared/schema/api.js';
import { DamagedRecordsLog } from '../convert/damaged-log.js';
import { exportDocument } from '../convert/export-document.js';
import { ForbiddenError, NotFoundError } from '../errors.js';
import { accessOf } from './access.js';
import type { Logger } from '../log.js';
import type { DocumentStore } from '../storage/document-store.js';
import type { Rooms } from '../sync/rooms.js';
import { parseInput } from './validate.js';

export type ExportRoutesDeps = {
  store: DocumentStore;
  rooms: Rooms;
  /** Who may export this document, checked before anything is read. */
  guard: RequestHandler;
  /** Where damaged records the export skips are reported (once per document and entry). */
  log: Logger;
};

/**
 * The document's current state: the live one when people are editing it (it
 * may hold updates not yet folded into a snapshot, and is what they see),
 * otherwise what is stored. Read-only either way: loading a room for an export
 * would keep it in memory for nothing. A stored document written by an older
 * version is brought to the current format in memory (a room does so when it
 * loads one), so the export reads it as the editor would; nothing is stored.
 */
export function currentState(store: DocumentStore, rooms: Rooms, id: string): Y.Doc {
  const room = rooms.get(id);
  if (room) return room.doc;
  return storedState(store.load(id).update);
}

/** A stored state (the document's, or a reading's) read into a document of the current format, in memory only. */
function storedState(update: Uint8Array): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  migrateDocument(doc);
  return doc;
}

/** A reading of the document, read-only; 404 when the document has none of that id. */
export function readingState(store: DocumentStore, documentId: string, readingId: string): Y.Doc {
  const state = store.readings.state(documentId, readingId);
  if (!state) throw new NotFoundError(`No reading "${readingId}" in this document`);
  return storedState(state);
}

/** `GET /api/documents/:id/export?format=&version=&unresolved=&comments=&reading=` → the file (the live text, or a reading), as an attachment. */
export function exportRoutes({ store, rooms, guard, log }: ExportRoutesDeps): Router {
  const router = Router();
  const damaged = new DamagedRecordsLog(log);

  router.get('/:id/export', guard, async (req, res) => {
    const parsed = DocumentId.safeParse(req.params.id);
    const summary = parsed.success ? store.get(parsed.data) : undefined;
    if (!summary) throw new NotFoundError(`No document with id "${String(req.params.id)}"`);
    const query = parseInput(ExportQuery, req.query);
    // A reading is an issued text, for everyone with access to circulate; the live text is the secretariat's to export.
    if (query.reading === undefined && accessOf(res).role !== 'secretariat') throw new ForbiddenError('Only the secretariat exports the live text: export a reading instead');
    const reading = query.reading === undefined ? undefined : store.readings.get(summary.id, query.reading);
    if (query.reading !== undefined && !reading) throw new NotFoundError(`No reading "${query.reading}" in this document`);
    const doc = reading ? readingState(store, summary.id, reading.id) : currentState(store, rooms, summary.id);
    // The export skips what cannot be read; the log says what, for whoever repairs it.
    damaged.check(summary.id, doc);
    // Open brackets in an agreed text throw UnresolvedBracketsError: the error handler answers 409 with the list.
    const file = await exportDocument(doc, query.format, {
      version: query.version,
      unresolved: query.unresolved,
      comments: query.comments,
      title: reading ? `${summary.title} (${reading.name})` : summary.title,
    });
    res.setHeader('Cache-Control', 'no-store');
    res.attachment(file.fileName).type(file.contentType).send(file.body);
  });

  return router;
}
