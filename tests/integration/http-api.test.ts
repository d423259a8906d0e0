import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloseCode } from '../../shared/protocol/constants.js';
import { DocumentList, DocumentSummary, ErrorBody, Health } from '../../shared/schema/api.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { signInSecretariat, type Admin } from '../support/admin.js';
import { waitFor } from '../support/wait.js';
import { connectSynced } from '../support/yjs-client.js';

describe('HTTP API', () => {
  let server: ServerProcess;
  let admin: Admin;
  const api = (path: string, init?: RequestInit) => admin.api(`/api${path}`, init);
  const jsonInit = (method: string, body: unknown): RequestInit => ({
    method,
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  async function expectError(res: Response, status: number, code: string) {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain('application/json');
    const body = ErrorBody.parse(await res.json());
    expect(body.error).toBe(code);
    expect(body.message).not.toMatch(/at .*\(.*:\d+:\d+\)/); // never a stack trace
    return body;
  }

  beforeAll(async () => {
    server = await startServerProcess({ env: { MAX_BODY_BYTES: '4096' } });
    admin = await signInSecretariat(server);
  });
  afterAll(async () => {
    await server.stop();
  });

  it('reports health', async () => {
    const health = Health.parse(await (await fetch(`${server.url}/api/health`)).json());
    expect(health.status).toBe('ok');
  });

  it('lists the seed drafts on first start, the EG-ITRs report first', async () => {
    const { documents } = DocumentList.parse(await (await api('/documents')).json());
    expect(documents.map((d) => d.id)).toEqual([
      'eg-itrs-final-report',
      'itrs-articles-1-4-proposal',
      'itrs-dilemma-new-trends',
      'atu-draft-resolution-otts',
      'wcit-2012-clippings',
    ]);
    expect(documents[0]!.title).toContain('EG-ITRs');
    expect(documents[0]!.paragraphCount).toBeGreaterThan(150);
  });

  it('creates, reads, renames and deletes a document', async () => {
    const created = await api('/documents', jsonInit('POST', { title: '  Draft resolution  ' }));
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    expect(created.headers.get('location')).toBe(`/api/documents/${id}`);

    const got = DocumentSummary.parse(await (await api(`/documents/${id}`)).json());
    expect(got).toMatchObject({ id, title: 'Draft resolution', paragraphCount: 0 });

    const renamed = await api(`/documents/${id}`, jsonInit('PATCH', { title: 'Draft resolution (rev. 1)' }));
    expect(renamed.status).toBe(200);
    expect(DocumentSummary.parse(await renamed.json()).title).toBe('Draft resolution (rev. 1)');

    expect((await api(`/documents/${id}`, { method: 'DELETE' })).status).toBe(204);
    await expectError(await api(`/documents/${id}`), 404, 'not_found');
  });

  it('disconnects editors of a deleted document with 4410', async () => {
    const id = await admin.createDocument('To be deleted');
    const client = await connectSynced(server.wsUrl, id, await admin.token(id));
    let closeCode = 0;
    client.provider.on('connection-close', (event) => {
      closeCode ||= event?.code ?? 0;
    });
    expect((await api(`/documents/${id}`, { method: 'DELETE' })).status).toBe(204);
    await waitFor(() => closeCode === CloseCode.DocumentDeleted, 'the 4410 close');
    client.destroy();
  });

  it('answers bad input with a clear JSON error', async () => {
    await expectError(await api('/documents', jsonInit('POST', '{"title": ')), 400, 'bad_request');
    await expectError(await api('/documents', jsonInit('POST', { title: '' })), 400, 'bad_request');
    await expectError(await api('/documents', jsonInit('POST', { title: 'x', extra: 1 })), 400, 'bad_request');
    await expectError(await api('/documents', jsonInit('POST', { title: 42 })), 400, 'bad_request');
    await expectError(await api('/documents', jsonInit('POST', { title: 'x'.repeat(201) })), 400, 'bad_request');
    await expectError(
      await api('/documents', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'title' }),
      415,
      'unsupported_media_type',
    );
    await expectError(await api('/documents', jsonInit('POST', { title: 'x'.repeat(5000) })), 413, 'payload_too_large');
    await expectError(await api('/documents/does-not-exist'), 404, 'not_found');
    await expectError(await api('/documents/does-not-exist', jsonInit('PATCH', { title: 'x' })), 404, 'not_found');
    await expectError(await api('/documents/does-not-exist', { method: 'DELETE' }), 404, 'not_found');
    await expectError(await api('/documents/bad%20id'), 404, 'not_found');
    await expectError(await api('/no-such-route'), 404, 'not_found');
    // The server is still fine.
    expect((await api('/health')).status).toBe(200);
  });
});
