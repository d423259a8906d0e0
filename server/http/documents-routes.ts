import express, { Router } from 'express';
import {
  CreateDocumentRequest,
  RenameDocumentRequest,
  type CreatedDocument,
  type DocumentList,
} from '../../shared/schema/api.js';
import type { Authenticator } from '../auth/authenticator.js';
import { DocumentDeletedError } from '../errors.js';
import type { DocumentStore } from '../storage/document-store.js';
import type { Rooms } from '../sync/rooms.js';
import { accessOf, anyRole, principalOf, requireDocumentRole, requireSecretariatAccount, secretariatOnly } from './access.js';
import { requireJson } from './error-handler.js';
import { parseInput } from './validate.js';
import { newDocumentId } from '../storage/document-ids.js';

export function documentsRoutes(store: DocumentStore, rooms: Rooms, authenticator: Authenticator, maxBodyBytes: number): Router {
  const router = Router();
  const json = [requireJson, express.json({ limit: maxBodyBytes, strict: true })];
  const member = requireDocumentRole(authenticator, store, anyRole, 'open this document');
  const manager = requireDocumentRole(authenticator, store, secretariatOnly, 'manage this document');

  router.get('/', (req, res) => {
    const principal = principalOf(req, res, authenticator);
    const visible = principal.account ? null : new Set(principal.invitations.map((i) => i.documentId));
    const body: DocumentList = { documents: store.list().filter((d) => !visible || visible.has(d.id)) };
    res.json(body);
  });

  router.post('/', requireSecretariatAccount(authenticator, 'create documents'), ...json, (req, res) => {
    const { title } = parseInput(CreateDocumentRequest, req.body);
    const id = newDocumentId();
    store.create({ id, title });
    const body: CreatedDocument = { id };
    res.status(201).location(`/api/documents/${id}`).json(body);
  });

  router.get('/:id', member, (_req, res) => {
    res.json(store.get(accessOf(res).documentId));
  });

  /** The caller's own role, name and delegation in this document. */
  router.get('/:id/access', member, (_req, res) => {
    res.json(accessOf(res));
  });

  router.patch('/:id', manager, ...json, (req, res) => {
    const { title } = parseInput(RenameDocumentRequest, req.body);
    res.json(store.rename(accessOf(res).documentId, title));
  });

  router.delete('/:id', manager, (_req, res) => {
    const id = accessOf(res).documentId;
    // Disconnect first so no late update is appended to a document being removed.
    rooms.evict(id, new DocumentDeletedError('This document was deleted'));
    store.delete(id);
    res.status(204).end();
  });

  return router;
}
