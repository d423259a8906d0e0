import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBody, Health } from '../../shared/schema/api.js';
import { jsonBody, signInSecretariat, type Admin } from '../support/admin.js';
import { parseExposition, sampleValue, type Exposition } from '../support/prometheus-text.js';
import { openRaw } from '../support/raw-socket.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { waitFor } from '../support/wait.js';
import { appendParagraph, connectSynced, type TestClient } from '../support/yjs-client.js';

const METRICS_TOKEN = 'scrape-me-with-this-token-0123456789';

describe('GET /metrics', () => {
  let server: ServerProcess;
  let admin: Admin;
  const clients: TestClient[] = [];

  const scrape = (headers: Record<string, string> = {}) => fetch(`${server.url}/metrics`, { headers });
  async function metrics(): Promise<Exposition> {
    const res = await scrape({ authorization: `Bearer ${METRICS_TOKEN}` });
    expect(res.status).toBe(200);
    return parseExposition(await res.text());
  }
  const value = async (name: string, labels?: Record<string, string>) => sampleValue(await metrics(), name, labels);

  async function expectRefused(res: Response, status: number, code: string): Promise<ErrorBody> {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain('application/json');
    const body = ErrorBody.parse(await res.json());
    expect(body.error).toBe(code);
    return body;
  }

  beforeAll(async () => {
    server = await startServerProcess({ env: { METRICS_TOKEN } });
    admin = await signInSecretariat(server);
  });
  afterAll(async () => {
    for (const client of clients) client.destroy();
    await server.stop();
  });

  it('refuses a request without credentials with a 401 that says how to get in', async () => {
    const body = await expectRefused(await scrape(), 401, 'unauthenticated');
    expect(body.message).toContain('METRICS_TOKEN');
  });

  it('refuses a wrong token, and an invitation token, with a 401', async () => {
    await expectRefused(await scrape({ authorization: `Bearer ${METRICS_TOKEN}x` }), 401, 'unauthenticated');
    await expectRefused(await scrape({ authorization: 'Bearer short' }), 401, 'unauthenticated');
    await expectRefused(await scrape({ authorization: METRICS_TOKEN }), 401, 'unauthenticated');
    const invitation = await admin.token('eg-itrs-final-report');
    await expectRefused(await scrape({ authorization: `Bearer ${invitation}` }), 401, 'unauthenticated');
  });

  it('refuses a signed-in delegate with a 403', async () => {
    const { token } = await admin.invite('eg-itrs-final-report', 'delegate', 'France');
    const joined = await fetch(`${server.url}/api/session/invitation`, jsonBody('POST', { token, name: 'A delegate' }));
    expect(joined.status).toBe(200);
    const cookie = joined.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    await expectRefused(await scrape({ cookie }), 403, 'forbidden');
  });

  it('answers the secretariat session in the Prometheus text format', async () => {
    const res = await scrape({ cookie: admin.cookie });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const exposition = parseExposition(await res.text());
    expect(exposition.types.get('drafts_updates_accepted_total')).toBe('counter');
  });

  it('answers the token with process, event-loop and server metrics', async () => {
    const res = await scrape({ authorization: `Bearer ${METRICS_TOKEN}` });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const exposition = parseExposition(await res.text());
    expect(sampleValue(exposition, 'process_resident_memory_bytes')).toBeGreaterThan(10 * 1024 * 1024);
    expect(exposition.types.get('nodejs_eventloop_lag_p99_seconds')).toBe('gauge');
    // NaN until the lag monitor has a sample since the last scrape (it samples every 10 ms).
    const lag = await waitFor(async () => {
      const p99 = await value('nodejs_eventloop_lag_p99_seconds');
      return Number.isFinite(p99) ? { p99 } : null;
    }, 'an event-loop lag sample');
    expect(lag!.p99).toBeGreaterThanOrEqual(0);
    expect(sampleValue(exposition, 'drafts_storage_writable')).toBe(1);
    expect(sampleValue(exposition, 'drafts_documents_quarantined')).toBe(0);
    expect(exposition.types.get('drafts_append_seconds')).toBe('histogram');
    expect(exposition.types.get('drafts_check_seconds')).toBe('histogram');
    // Every refusal reason is there from the start, so a rate() over it sees the first one.
    for (const reason of ['rule', 'malformed', 'flood', 'storage', 'reloaded']) {
      expect(sampleValue(exposition, 'drafts_updates_refused_total', { reason })).toBe(0);
    }
  });

  it('counts connections, accepted updates and the fan-out to the second client', async () => {
    const id = await admin.createDocument('Metrics draft');
    const token = await admin.token(id);
    const writer = await connectSynced(server.wsUrl, id, token);
    const reader = await connectSynced(server.wsUrl, id, token);
    clients.push(writer, reader);
    await waitFor(async () => (await value('drafts_connections')) === 2, 'the gauge to count both connections');
    expect(await value('drafts_documents_loaded')).toBeGreaterThanOrEqual(1);

    const before = await metrics();
    appendParagraph(writer, 'Counted as it was typed');
    await waitFor(() => reader.text().includes('Counted as it was typed'), 'the paragraph to reach the reader');
    const after = await metrics();
    const rise = (name: string) => sampleValue(after, name) - sampleValue(before, name);
    expect(rise('drafts_updates_accepted_total')).toBeGreaterThanOrEqual(1);
    expect(rise('drafts_fanout_frames_total')).toBeGreaterThanOrEqual(1);
    // The reader received at least the paragraph's text in the frames counted.
    expect(rise('drafts_fanout_bytes_total')).toBeGreaterThan('Counted as it was typed'.length);
    expect(rise('drafts_check_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(rise('drafts_append_seconds_count')).toBeGreaterThanOrEqual(1);

    reader.destroy();
    await waitFor(async () => (await value('drafts_connections')) === 1, 'the gauge to drop to one connection');
  });

  it('counts a rule refusal and a malformed frame by reason', async () => {
    const id = await admin.createDocument('Refusals');
    const { token } = await admin.invite(id, 'observer', 'Observer State');
    const observer = await connectSynced(server.wsUrl, id, token);
    clients.push(observer);
    const rules = await value('drafts_updates_refused_total', { reason: 'rule' });
    appendParagraph(observer, 'an observer may not write');
    await waitFor(async () => (await value('drafts_updates_refused_total', { reason: 'rule' })) > rules, 'the rule refusal to be counted');

    const malformed = await value('drafts_updates_refused_total', { reason: 'malformed' });
    const { ws, closed } = await openRaw(server.wsUrl, id, await admin.token(id));
    ws.send('not a binary frame');
    await closed;
    await waitFor(async () => (await value('drafts_updates_refused_total', { reason: 'malformed' })) === malformed + 1, 'the malformed frame to be counted');
  });
});

describe('request ids and log fields', () => {
  let server: ServerProcess;
  let admin: Admin;

  type LogLine = Record<string, unknown>;
  /** The first log line that matches, once the server has printed it. */
  const logLine = async (matches: (line: LogLine) => boolean, what: string): Promise<LogLine> =>
    (await waitFor(() => server.logs.find(matches), what))!;

  beforeAll(async () => {
    server = await startServerProcess();
    admin = await signInSecretariat(server);
  });
  afterAll(async () => {
    await server.stop();
  });

  it('gives every answer an id', async () => {
    const a = (await fetch(`${server.url}/api/health`)).headers.get('x-request-id');
    const b = (await fetch(`${server.url}/api/health`)).headers.get('x-request-id');
    expect(a).toMatch(/^[\w-]{8,}$/);
    expect(b).toMatch(/^[\w-]{8,}$/);
    expect(a).not.toBe(b);
  });

  it('keeps a short safe id the client sent, and replaces anything else', async () => {
    const echoed = await fetch(`${server.url}/api/health`, { headers: { 'x-request-id': 'proxy-7f3a.1:2' } });
    expect(echoed.headers.get('x-request-id')).toBe('proxy-7f3a.1:2');
    for (const unsafe of ['a'.repeat(65), 'two words', '{"level":60}']) {
      const res = await fetch(`${server.url}/api/health`, { headers: { 'x-request-id': unsafe } });
      const id = res.headers.get('x-request-id');
      expect(id).not.toBe(unsafe);
      expect(id).toMatch(/^[\w-]{8,}$/);
    }
  });

  it('logs an error answer with its request id and document id', async () => {
    const res = await admin.api('/api/documents/no-such-document', { headers: { 'x-request-id': 'trace-404-test' } });
    expect(res.status).toBe(404);
    expect(res.headers.get('x-request-id')).toBe('trace-404-test');
    const line = await logLine((l) => l.requestId === 'trace-404-test' && l.status === 404 && l.msg !== 'request', 'the error line with the request id');
    expect(line).toMatchObject({ documentId: 'no-such-document', code: 'not_found', path: '/api/documents/no-such-document' });
  });

  it('writes one debug access line per request, without the query string or a page secret', async () => {
    await fetch(`${server.url}/api/documents?token=do-not-log-me`, { headers: { 'x-request-id': 'access-line-1' } });
    await fetch(`${server.url}/join/${'S'.repeat(43)}`, { headers: { 'x-request-id': 'access-line-2' } });
    const first = await logLine((l) => l.requestId === 'access-line-1' && l.msg === 'request', 'the access line');
    expect(first).toMatchObject({ level: 20, method: 'GET', path: '/api/documents', status: 401 });
    expect(typeof first.ms).toBe('number');
    const second = await logLine((l) => l.requestId === 'access-line-2' && l.msg === 'request', 'the page access line');
    expect(second.path).toBe('/join/:token');
    expect(server.logs.filter((l) => l.requestId === 'access-line-1' && l.msg === 'request')).toHaveLength(1);
    expect(JSON.stringify(server.logs)).not.toContain('do-not-log-me');
    expect(JSON.stringify(server.logs)).not.toContain('S'.repeat(43));
  });

  it('counts no quarantined document in the health answer of a sound database', async () => {
    const health = Health.parse(await (await fetch(`${server.url}/api/health`)).json());
    expect(health.quarantinedDocuments).toBe(0);
  });

  it('tags every line about one websocket with its document and connection id', async () => {
    const id = await admin.createDocument('Log fields');
    const client = await connectSynced(server.wsUrl, id, await admin.token(id));
    const joined = await logLine((l) => l.msg === 'websocket joined' && l.documentId === id, 'the join line');
    expect(typeof joined.connection).toBe('number');
    client.destroy();
    const closed = await logLine((l) => l.msg === 'websocket closed' && l.connection === joined.connection, 'the close line');
    expect(closed.documentId).toBe(id);
  });
});
