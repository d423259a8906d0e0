import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.js';
import { NotFoundError, PayloadTooLargeError, closeReason, describeError } from '../../server/errors.js';

describe('configuration', () => {
  it('has safe defaults: loopback, port 8080, ./data', () => {
    const config = loadConfig({});
    expect(config.host).toBe('127.0.0.1');
    expect(config.port).toBe(8080);
    expect(config.dataDir.endsWith('data')).toBe(true);
  });

  it('reads the environment and refuses nonsense with a clear message', () => {
    expect(loadConfig({ PORT: '9000', HOST: '0.0.0.0' })).toMatchObject({ port: 9000, host: '0.0.0.0' });
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
  });
});

describe('error mapping', () => {
  it('maps typed errors to a status, a close code and a stable code', () => {
    expect(describeError(new NotFoundError('gone'))).toEqual({ status: 404, closeCode: 4404, code: 'not_found', message: 'gone' });
    expect(describeError(new PayloadTooLargeError('big')).status).toBe(413);
  });

  it('never reveals an unexpected error to the client', () => {
    const described = describeError(new Error('SQLITE_CORRUPT at /secret/path'));
    expect(described.status).toBe(500);
    expect(described.message).not.toContain('secret');
  });

  it('keeps websocket close reasons within 123 bytes of UTF-8', () => {
    const reason = closeReason('é'.repeat(200));
    expect(Buffer.byteLength(reason)).toBeLessThanOrEqual(123);
    expect(closeReason('short')).toBe('short');
  });
});
