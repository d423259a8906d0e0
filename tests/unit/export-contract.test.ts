import type { Request, Response } from 'express';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, exportText, exportUrl, UnresolvedBracketsApiError, type ExportRequest } from '../../client/api.js';
import { buildExport } from '../../server/convert/export-model.js';
import { NotFoundError, UnresolvedBracketsError } from '../../server/errors.js';
import { errorHandler } from '../../server/http/error-handler.js';
import type { Logger } from '../../server/log.js';
import { addAlternative, createBracket } from '../../shared/model/bracket-proposals.js';
import { ExportQuery, UnresolvedBracketsBody } from '../../shared/schema/api.js';
import { EGYPT, USA, docWithParagraphs } from '../support/model-doc.js';

/**
 * The export's query and its 409 are declared once (shared/schema/api.ts):
 * the route and the CLI parse the query with it, the error class carries the
 * list it types, the error handler writes it, and the client reads it back.
 */

/** What the error handler answers for an error, as status and JSON body. */
function answer(err: unknown): { status: number; body: unknown } {
  const out = { status: 0, body: undefined as unknown };
  const res = {
    status(code: number) {
      out.status = code;
      return res;
    },
    json(body: unknown) {
      out.body = body;
      return res;
    },
  };
  const log = { info: vi.fn(), error: vi.fn() } as unknown as Logger;
  const req = { method: 'GET', originalUrl: '/api/documents/d/export' } as Request;
  errorHandler(log)(err, req, res as unknown as Response, () => {});
  return out;
}

function openBracketError(): UnresolvedBracketsError {
  const doc = docWithParagraphs([{ num: '1.1', text: 'The Group shall review the ITRs every year.' }]);
  const from = 'The Group shall review the ITRs '.length;
  const { groupId } = createBracket(doc, { paragraphId: 'p0', from, to: from + 'every year'.length, actor: EGYPT });
  addAlternative(doc, { groupId, text: '', actor: USA });
  try {
    buildExport(doc, { version: 'agreed', comments: false, title: 'Draft' });
  } catch (err) {
    if (err instanceof UnresolvedBracketsError) return err;
    throw err;
  }
  throw new Error('the export did not refuse');
}

afterEach(() => vi.unstubAllGlobals());

describe('the 409 of an agreed export with open brackets', () => {
  it('is written by the error handler from the error details, in the declared shape', () => {
    const err = openBracketError();
    const { status, body } = answer(err);
    expect(status).toBe(409);
    expect(body).toEqual({
      error: 'unresolved_brackets',
      message: expect.stringMatching(/1 open bracket/),
      open: [
        {
          ref: '1.1',
          paragraphId: 'p0',
          bracketedBy: ['Egypt'],
          options: [
            { label: 'A', kind: 'original', text: 'every year', proponents: [], supporters: [] },
            { label: 'B', kind: 'delete', text: '', proponents: ['United States'], supporters: [] },
          ],
        },
      ],
    });
    expect(UnresolvedBracketsBody.parse(body)).toEqual(body);
  });

  it('other errors answer { error, message } and nothing more', () => {
    const { status, body } = answer(new NotFoundError('No document with id "x"'));
    expect(status).toBe(404);
    expect(body).toEqual({ error: 'not_found', message: 'No document with id "x"' });
    expect(UnresolvedBracketsBody.safeParse(body).success).toBe(false);
    expect(answer(new Error('SQLITE_CORRUPT')).body).toEqual({ error: 'internal_error', message: 'The server could not complete this request.' });
  });

  it('reaches the client as an UnresolvedBracketsApiError holding the list', async () => {
    const { status, body } = answer(openBracketError());
    const fetch = vi.fn(async () => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } }));
    vi.stubGlobal('fetch', fetch);
    const request: ExportRequest = { format: 'html', version: 'agreed', unresolved: null, comments: false };
    const refused = await exportText('doc-1', request).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(UnresolvedBracketsApiError);
    expect((refused as UnresolvedBracketsApiError).report).toEqual(body);
    expect(fetch).toHaveBeenCalledWith('/api/documents/doc-1/export?format=html&version=agreed', expect.anything());
  });

  it('an error the client cannot read is still a sentence', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response('<html>proxy error</html>', { status: 502, statusText: 'Bad Gateway' })));
    const request: ExportRequest = { format: 'html', version: 'bracketed', unresolved: null, comments: true };
    const refused = await exportText('doc-1', request).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(ApiError);
    expect(refused).not.toBeInstanceOf(UnresolvedBracketsApiError);
    expect((refused as ApiError).message).toBe('The server answered 502 Bad Gateway.');
  });
});

describe('the export query', () => {
  it('is what the client sends and what the route reads', () => {
    const requests: ExportRequest[] = [
      { format: 'docx', version: 'agreed', unresolved: null, comments: false },
      { format: 'txt', version: 'agreed', unresolved: 'omit', comments: true },
      { format: 'md', version: 'bracketed', unresolved: 'keep', comments: false },
    ];
    for (const request of requests) {
      const url = new URL(exportUrl('doc-1', request), 'http://localhost');
      expect(url.pathname).toBe('/api/documents/doc-1/export');
      const parsed = ExportQuery.parse(Object.fromEntries(url.searchParams));
      // An `unresolved` choice counts for an agreed text only.
      expect(parsed).toEqual({ ...request, unresolved: request.version === 'agreed' ? (request.unresolved ?? undefined) : undefined });
    }
  });

  it('has its defaults and refuses what it does not know', () => {
    expect(ExportQuery.parse({})).toEqual({ format: 'docx', version: 'agreed', comments: false });
    expect(ExportQuery.parse({ comments: 'true', token: 'ignored' })).toMatchObject({ comments: true });
    for (const bad of [{ format: 'pdf' }, { version: 'final' }, { unresolved: 'drop' }, { comments: 'yes' }]) {
      expect(ExportQuery.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });
});
