import express, { Router, type RequestHandler } from 'express';
import * as Y from 'yjs';
import { compareDocuments } from '../../shared/model/compare-readings.js';
import { presides } from '../../shared/model/permissions.js';
import {
  CompareExportQuery,
  CompareQuery,
  CreateReadingRequest,
  ReadingId,
  type Comparison,
  type ComparisonEnd,
  type Reading,
  type ReadingList,
} from '../../shared/schema/readings.js';
import type { Authenticator } from '../auth/authenticator.js';
import { exportComparison } from '../convert/export-comparison.js';
import { BadRequestError, ConflictError, NotFoundError } from '../errors.js';
import type { DocumentStore } from '../storage/document-store.js';
import { ReadingNameTakenError } from '../storage/reading-store.js';
import { restoreChange } from '../sync/restore-reading.js';
import type { Rooms } from '../sync/rooms.js';
import { accessOf, anyRole, requireDocumentRole, secretariatOnly } from './access.js';
import { requireJson } from './error-handler.js';
import { currentState, readingState } from './export-routes.js';
import { requestLog } from './request-context.js';
import { parseInput } from './validate.js';

/** The request conflicts with what is stored: a reading name already used, a restore that has to wait. */
export type ReadingRoutesDeps = { store: DocumentStore; rooms: Rooms; authenticator: Authenticator; maxBodyBytes: number };


type Side = Comparison['from'];

/**
 * Readings of a document (`/api/documents/:id/readings`) and comparisons of
 * any two of them or of one with the live text (`/api/documents/:id/compare`).
 * Everyone with access reads and compares; the chair and the secretariat
 * issue readings; only the secretariat restores one as the live text.
 */
export function readingRoutes({ store, rooms, authenticator, maxBodyBytes }: ReadingRoutesDeps): Router {
  const router = Router();
  const member = requireDocumentRole(authenticator, store, anyRole, 'open this document');
  const issuer = requireDocumentRole(authenticator, store, presides, 'issue a reading');
  const restorer = requireDocumentRole(authenticator, store, secretariatOnly, 'restore a reading');
  // A POST without a body is fine (the name is then proposed); one with a body must be JSON.
  const json: RequestHandler[] = [
    (req, res, next) => (req.headers['content-length'] === '0' || !req.headers['content-type'] ? next() : requireJson(req, res, next)),
    express.json({ limit: maxBodyBytes, strict: true }),
  ];

  const readingOf = (documentId: string, raw: unknown): Reading => {
    const id = ReadingId.safeParse(raw);
    const reading = id.success ? store.readings.get(documentId, id.data) : undefined;
    if (!reading) throw new NotFoundError(`No reading "${String(raw)}" in this document`);
    return reading;
  };

  router.get('/:id/readings', member, (_req, res) => {
    const documentId = accessOf(res).documentId;
    const body: ReadingList = { readings: store.readings.list(documentId), nextName: store.readings.nextName(documentId) };
    res.json(body);
  });

  router.post('/:id/readings', issuer, ...json, (req, res) => {
    const access = accessOf(res);
    const request = parseInput(CreateReadingRequest, req.body ?? {});
    const started = performance.now();
    // What people see now: the live room when it is loaded (it may hold updates not yet compacted), else what is stored.
    const live = rooms.get(access.documentId)?.doc;
    const state = live ? Y.encodeStateAsUpdate(live) : store.load(access.documentId).update;
    let reading: Reading;
    try {
      reading = store.readings.create({
        documentId: access.documentId,
        name: request.name ?? store.readings.nextName(access.documentId),
        note: request.note ?? '',
        by: { name: access.name || access.delegation, delegation: access.delegation },
        state,
      });
    } catch (err) {
      if (err instanceof ReadingNameTakenError) throw new ConflictError(err.message);
      throw err;
    }
    const ms = Math.round(performance.now() - started);
    // The request's logger says which document (requireDocumentRole bound it).
    requestLog(res).info({ reading: reading.id, name: reading.name, bytes: reading.bytes, ms }, 'reading issued');
    res.status(201).location(`/api/documents/${access.documentId}/readings/${reading.id}`).json(reading);
  });

  router.get('/:id/readings/:rid', member, (req, res) => {
    res.json(readingOf(accessOf(res).documentId, req.params.rid));
  });

  /** The reading's full Yjs update, for the read-only view (applied to an empty Y.Doc). */
  router.get('/:id/readings/:rid/state', member, (req, res) => {
    const documentId = accessOf(res).documentId;
    const reading = readingOf(documentId, req.params.rid);
    const state = store.readings.state(documentId, reading.id)!;
    res.setHeader('Cache-Control', 'no-store');
    res.type('application/octet-stream').send(Buffer.from(state));
  });

  router.post('/:id/readings/:rid/restore', restorer, (req, res) => {
    const access = accessOf(res);
    const reading = readingOf(access.documentId, req.params.rid);
    const state = store.readings.state(access.documentId, reading.id)!;
    // Loaded for the restore if nobody is in it: one path (the room stores, sends and records the change), then unloaded after the grace period.
    const room = rooms.acquire(access.documentId);
    try {
      const change = restoreChange(room.doc, state);
      if (change && !room.applyRestore(change, access)) {
        throw new ConflictError('The document is taking in a large change: restore again in a moment');
      }
      requestLog(res).info({ reading: reading.id, name: reading.name, by: access.principal, changed: change !== null }, 'reading restored');
    } finally {
      rooms.release(room);
    }
    res.json({ restored: reading });
  });

  /** One end of a comparison: a reading of this document, or the live text as it stands. */
  const sideOf = (documentId: string, end: ComparisonEnd): { doc: Y.Doc; side: Side } => {
    if (end === 'live') return { doc: currentState(store, rooms, documentId), side: { id: 'live', name: 'Live text', at: new Date().toISOString() } };
    const reading = store.readings.get(documentId, end);
    if (!reading) {
      if (store.readings.documentOf(end)) {
        throw new BadRequestError(`Reading "${end}" belongs to another document: both ends of a comparison are readings of this document, or "live"`);
      }
      throw new NotFoundError(`No reading "${end}" in this document`);
    }
    return { doc: readingState(store, documentId, reading.id), side: { id: reading.id, name: reading.name, at: reading.at } };
  };

  const compare = (documentId: string, query: CompareQuery): Comparison => {
    const from = sideOf(documentId, query.from);
    const to = sideOf(documentId, query.to);
    // The server's record of who wrote under each client id: a delegation, never what a client says of itself.
    const owners = new Map(store.clientIds(documentId).map((b) => [b.clientId, b.delegation]));
    return compareDocuments(from.doc, to.doc, { authorOf: (client) => owners.get(client) ?? null, from: from.side, to: to.side });
  };

  router.get('/:id/compare', member, (req, res) => {
    const documentId = accessOf(res).documentId;
    res.setHeader('Cache-Control', 'no-store');
    res.json(compare(documentId, parseInput(CompareQuery, req.query)));
  });

  router.get('/:id/compare/export', member, async (req, res) => {
    const documentId = accessOf(res).documentId;
    const query = parseInput(CompareExportQuery, req.query);
    const comparison = compare(documentId, query);
    const title = store.get(documentId)?.title ?? documentId;
    const file = await exportComparison(comparison, query.format, { title });
    res.setHeader('Cache-Control', 'no-store');
    res.attachment(file.fileName).type(file.contentType).send(file.body);
  });

  return router;
}
