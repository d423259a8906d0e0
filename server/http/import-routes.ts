import { Router, type Request, type RequestHandler } from 'express';
import multer from 'multer';
import { Title, type ImportedDocument } from '../../shared/schema/api.js';
import { titleFromFileName } from '../convert/import-file.js';
import { importInWorker } from '../convert/import-in-worker.js';
import { SUPPORTED } from '../convert/detect-format.js';
import { BadRequestError, PayloadTooLargeError, UnsupportedMediaTypeError } from '../errors.js';
import type { DocumentStore } from '../storage/document-store.js';
import { requestLog } from './request-context.js';
import { parseInput } from './validate.js';
import { newDocumentId } from '../storage/document-ids.js';

export type ImportRoutesDeps = {
  store: DocumentStore;
  maxImportBytes: number;
  /** Who may import (the secretariat), checked before a byte of the upload is read. */
  guard: RequestHandler;
};

/**
 * Reads and drops a request body, then answers: a browser that is still
 * uploading when the answer comes reports a network error instead of our
 * message. Past `cap` bytes the connection is cut: nobody waits for that.
 */
function discard(req: Request, cap: number, then: () => void): void {
  let received = 0;
  req.on('data', (chunk: Buffer) => {
    received += chunk.length;
    if (received > cap) req.destroy();
  });
  req.once('end', then);
}

/**
 * `POST /api/documents/import`, multipart with the file in `file` and an
 * optional `title`: the file becomes a new document, or nothing is created.
 */
export function importRoutes({ store, maxImportBytes, guard }: ImportRoutesDeps): Router {
  const router = Router();
  const upload = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: maxImportBytes, files: 1, fields: 4, fieldSize: 1024, parts: 6 },
    // Browsers send the file name as raw UTF-8.
    defParamCharset: 'utf8',
  }).single('file');

  const tooLarge = () =>
    new PayloadTooLargeError(`The file is too large to import: the limit is ${Math.round(maxImportBytes / (1024 * 1024))} MB.`);

  const receive: RequestHandler = (req, res, next) => {
    if (!req.is('multipart/form-data')) {
      next(new UnsupportedMediaTypeError('Send the file as multipart/form-data, in a field named "file".'));
      return;
    }
    // A declared oversize body is refused without parsing it (multer's own limit catches the undeclared ones).
    if (Number(req.headers['content-length'] ?? 0) > maxImportBytes + 64 * 1024) {
      discard(req, maxImportBytes * 10, () => next(tooLarge()));
      return;
    }
    upload(req, res, (err: unknown) => {
      if (!err) return next();
      if (err instanceof multer.MulterError) {
        if (err.code === 'LIMIT_FILE_SIZE') return next(tooLarge());
        if (err.code === 'LIMIT_UNEXPECTED_FILE') return next(new BadRequestError('Send exactly one file, in a field named "file".'));
        return next(new BadRequestError(`The upload was refused: ${err.message}.`));
      }
      next(new BadRequestError('The upload could not be read: the multipart body is malformed or was cut off.'));
    });
  };

  router.post('/import', guard, receive, async (req, res) => {
    const file = req.file;
    if (!file) throw new BadRequestError(`Choose a file to import: ${SUPPORTED}.`);
    const rawTitle = typeof req.body?.title === 'string' && req.body.title.trim() ? req.body.title : titleFromFileName(file.originalname);
    const title = parseInput(Title, rawTitle);
    const started = performance.now();
    const content = await importInWorker(file.originalname, file.buffer);
    const id = newDocumentId();
    store.create({ id, title, content: content.update, paragraphCount: content.paragraphCount });
    requestLog(res).info(
      { documentId: id, format: content.format, bytes: file.size, paragraphs: content.paragraphCount, ms: Math.round(performance.now() - started) },
      'document imported',
    );
    const body: ImportedDocument = { id, title, format: content.format, paragraphCount: content.paragraphCount, warnings: content.warnings };
    res.status(201).location(`/api/documents/${id}`).json(body);
  });

  return router;
}
