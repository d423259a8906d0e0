type MetricsReading = {
  heapUsedBytes: number;
  loopLagP99Seconds: number;
  /** Counters since the server started (NaN if this server does not export them). */
  fanoutFrames: number;
  fanoutBytes: number;
};

/** What GET /metrics gave: the two figures, or why not (404 while the route is not there). */
export type MetricsAnswer = { ok: true; reading: MetricsReading } | { ok: false; why: string };

/** One sample's value in the Prometheus text format (unlabelled, or the first labelled series). */
function sampleOf(text: string, name: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  if (!line) return NaN;
  return Number(line.slice(line.lastIndexOf(' ') + 1));
}

/**
 * Reads the server's own heap and event-loop figures from /metrics (prom-client
 * defaults). prom-client resets its loop-delay histogram at every scrape, so
 * each lag p99 covers the time since the previous scrape.
 */
export async function scrapeMetrics(httpBase: string, token: string): Promise<MetricsAnswer> {
  try {
    const res = await fetch(`${httpBase}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    const text = await res.text();
    if (res.status !== 200) return { ok: false, why: `GET /metrics answered ${res.status}` };
    const reading = {
      heapUsedBytes: sampleOf(text, 'nodejs_heap_size_used_bytes'),
      loopLagP99Seconds: sampleOf(text, 'nodejs_eventloop_lag_p99_seconds'),
      fanoutFrames: sampleOf(text, 'drafts_fanout_frames_total'),
      fanoutBytes: sampleOf(text, 'drafts_fanout_bytes_total'),
    };
    if (!Number.isFinite(reading.heapUsedBytes) || !Number.isFinite(reading.loopLagP99Seconds)) return { ok: false, why: 'GET /metrics lacks nodejs_heap_size_used_bytes or nodejs_eventloop_lag_p99_seconds' };
    return { ok: true, reading };
  } catch (err) {
    return { ok: false, why: `GET /metrics failed: ${(err as Error).message}` };
  }
}
