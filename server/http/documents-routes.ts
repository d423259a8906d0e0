import crypto from 'node:crypto';
import express, { Router } from 'express';
import {
  CreateDocumentRequest,
  DocumentId,
  RenameDocumentRequest,
  type CreatedDocument,
  type DocumentList,
} from '../../shared/schema/api.js';
import { DocumentDeletedError, NotFoundError } from '../errors.js';
import type { DocumentStore } from '../storage/document-store.js';
import type { Rooms } from '../sync/rooms.js';
import { requireJson } from './error-handler.js';
import { parseInput } from './validate.js';

export function documentsRoutes(store: DocumentStore, rooms: Rooms, maxBodyBytes: number): Router {
  const router = Router();
  const json = [requireJson, express.json({ limit: maxBodyBytes, strict: true })];

  function documentId(raw: unknown): string {
    const parsed = DocumentId.safeParse(raw);
    if (!parsed.success || !store.exists(parsed.data)) throw new NotFoundError(`No document with id "${String(raw)}"`);
    return parsed.data;
  }

  router.get('/', (_req, res) => {
    const body: DocumentList = { documents: store.list() };
    res.json(body);
  });

  router.post('/', ...json, (req, res) => {
    const { title } = parseInput(CreateDocumentRequest, req.body);
    const id = crypto.randomBytes(9).toString('base64url');
    store.create({ id, title });
    const body: CreatedDocument = { id };
    res.status(201).location(`/api/documents/${id}`).json(body);
  });

  router.get('/:id', (req, res) => {
    res.json(store.get(documentId(req.params.id)));
  });

  router.patch('/:id', ...json, (req, res) => {
    const id = documentId(req.params.id);
    const { title } = parseInput(RenameDocumentRequest, req.body);
    res.json(store.rename(id, title));
  });

  router.delete('/:id', (req, res) => {
    const id = documentId(req.params.id);
    // Disconnect first so no late update is appended to a document being removed.
    rooms.evict(id, new DocumentDeletedError('This document was deleted'));
    store.delete(id);
    res.status(204).end();
  });

  return router;
}
