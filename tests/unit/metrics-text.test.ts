import { describe, expect, it } from 'vitest';
import { MalformedMessageError, RejectedUpdateError, TooManyRequestsError, UnauthenticatedError } from '../../server/errors.js';
import { registry } from '../../server/metrics/metrics.js';
import { refusalOf } from '../../server/metrics/refusals.js';
import '../../server/metrics/room-gauges.js';
import { parseExposition, sampleValue } from '../support/prometheus-text.js';

describe('the metrics registry', () => {
  it('writes text the strict reader accepts, every server metric typed', async () => {
    const exposition = parseExposition(await registry.metrics());
    const expected: Record<string, string> = {
      drafts_updates_accepted_total: 'counter',
      drafts_updates_refused_total: 'counter',
      drafts_fanout_bytes_total: 'counter',
      drafts_fanout_frames_total: 'counter',
      drafts_append_seconds: 'histogram',
      drafts_check_seconds: 'histogram',
      drafts_storage_writable: 'gauge',
      drafts_connections: 'gauge',
      drafts_documents_loaded: 'gauge',
      drafts_documents_quarantined: 'gauge',
    };
    for (const [name, type] of Object.entries(expected)) expect(exposition.types.get(name), name).toBe(type);
    // No rooms watched in this process: the gauges say 0, not nothing.
    expect(sampleValue(exposition, 'drafts_connections')).toBe(0);
  });
});

describe('the strict exposition reader', () => {
  it('reads labels with escapes, NaN and Inf as Prometheus does', () => {
    const text = [
      '# HELP x_total A counter.',
      '# TYPE x_total counter',
      'x_total{reason="a \\"quoted\\", b\\\\c",kind="y"} 3',
      'lag Nan',
      'bucket{le="+Inf"} +Inf 1700000000000',
      '',
    ].join('\n');
    const exposition = parseExposition(text);
    expect(sampleValue(exposition, 'x_total', { reason: 'a "quoted", b\\c' })).toBe(3);
    expect(sampleValue(exposition, 'lag')).toBeNaN();
    expect(sampleValue(exposition, 'bucket', { le: '+Inf' })).toBe(Infinity);
  });

  it('throws on a line that is not the format', () => {
    expect(() => parseExposition('x_total{reason="open} 1')).toThrow(/unterminated/);
    expect(() => parseExposition('x_total one')).toThrow(/not a number/);
    expect(() => parseExposition('# TYPE x_total kind')).toThrow(/TYPE/);
  });
});

describe('which refusal a closing frame counts as', () => {
  it('counts protocol and flood closes, not an expired access', () => {
    expect(refusalOf(new MalformedMessageError('text frame'))).toBe('malformed');
    expect(refusalOf(new RejectedUpdateError('Yjs cannot read it'))).toBe('malformed');
    expect(refusalOf(new TooManyRequestsError('slow down'))).toBe('flood');
    expect(refusalOf(new UnauthenticatedError('expired'))).toBeNull();
    expect(refusalOf(new Error('a bug'))).toBeNull();
  });
});
