import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The server's metrics, in the Prometheus text format at GET /metrics. One
 * registry per process (a process is one server): the counters are module
 * state, incremented where things happen, so no object has to be threaded
 * through the pipeline for them. Names follow Prometheus conventions: a unit
 * suffix, `_total` for counters.
 */
export const registry = new Registry();

// Process memory, CPU, heap, GC and event-loop lag (nodejs_eventloop_lag_p99_seconds), from prom-client.
collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 10 });

/**
 * Why an update was not taken: a small fixed set, never the free-text reason
 * (it would explode the label set). `rule`: the roles or the negotiation rules
 * forbid it; `malformed`: a frame that is not our protocol (the connection is
 * closed); `flood`: too many messages (closed); `storage`: the database could
 * not write it; `reloaded`: the document was reloaded while it was checked.
 */
const REFUSAL_KINDS = ['rule', 'malformed', 'flood', 'storage', 'reloaded'] as const;
export type RefusalKind = (typeof REFUSAL_KINDS)[number];

/**
 * Why a loaded document merged what is stored (several server processes
 * only): `bus` (this process, or another, missed traffic while Redis was
 * away), `pending` (an update from another process built on one this process
 * never received), `refused` (a client's update failed the check, and what is
 * stored might make it pass: at most once a second per document).
 */
const RESYNC_KINDS = ['bus', 'pending', 'refused'] as const;
export type ResyncKind = (typeof RESYNC_KINDS)[number];

export const metrics = {
  updatesAccepted: new Counter({
    name: 'drafts_updates_accepted_total',
    help: 'Document updates accepted, stored and relayed (from clients and the server itself).',
    registers: [registry],
  }),
  updatesRefused: new Counter({
    name: 'drafts_updates_refused_total',
    help: 'Document updates refused, by reason.',
    labelNames: ['reason'] as const,
    registers: [registry],
  }),
  fanoutBytes: new Counter({
    name: 'drafts_fanout_bytes_total',
    help: 'Bytes of document updates sent to connections.',
    registers: [registry],
  }),
  fanoutFrames: new Counter({
    name: 'drafts_fanout_frames_total',
    help: 'Websocket frames of document updates sent to connections.',
    registers: [registry],
  }),
  appendSeconds: new Histogram({
    name: 'drafts_append_seconds',
    help: 'Time to append one update durably to the log.',
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5],
    registers: [registry],
  }),
  checkSeconds: new Histogram({
    name: 'drafts_check_seconds',
    help: 'Time to check one update against the roles and the negotiation rules.',
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 2],
    registers: [registry],
  }),
  resyncs: new Counter({
    name: 'drafts_resyncs_total',
    help: 'Loaded documents merged with what is stored, by why (several server processes only).',
    labelNames: ['why'] as const,
    registers: [registry],
  }),
  storageWritable: new Gauge({
    name: 'drafts_storage_writable',
    help: '1 while the database accepts writes, 0 while it cannot (disk full): updates are refused meanwhile.',
    registers: [registry],
  }),
};
metrics.storageWritable.set(1);
// Every reason is there from the start at 0: a rate over a series that appears with its first refusal misses that one.
for (const reason of REFUSAL_KINDS) metrics.updatesRefused.inc({ reason }, 0);
for (const why of RESYNC_KINDS) metrics.resyncs.inc({ why }, 0);
