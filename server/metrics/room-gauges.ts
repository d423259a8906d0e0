import { Gauge } from 'prom-client';
import { registry } from './metrics.js';

/** What the gauges read of the loaded documents: server/sync/rooms.ts gives all of it. */
export type RoomCounts = {
  readonly connectionCount: number;
  readonly loadedCount: number;
  /** Documents whose stored updates cannot be decoded, set aside so the rest is served. */
  readonly quarantined: readonly string[];
};

/** The server's rooms, once it has them; the gauges read them when scraped, so nothing has to keep them up to date. */
let source: RoomCounts | null = null;

new Gauge({
  name: 'drafts_connections',
  help: 'Open websocket connections, over all documents.',
  registers: [registry],
  collect() {
    this.set(source?.connectionCount ?? 0);
  },
});

new Gauge({
  name: 'drafts_documents_loaded',
  help: 'Documents loaded in memory (someone is in them, or left less than the grace period ago).',
  registers: [registry],
  collect() {
    this.set(source?.loadedCount ?? 0);
  },
});

new Gauge({
  name: 'drafts_documents_quarantined',
  help: 'Documents set aside because their stored updates cannot be decoded (listed in GET /api/health).',
  registers: [registry],
  collect() {
    this.set(source?.quarantined.length ?? 0);
  },
});

/** Points the gauges at the server's rooms (one server per process, like the registry). */
export function watchRooms(rooms: RoomCounts): void {
  source = rooms;
}
