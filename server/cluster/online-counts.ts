import type { Connection } from '../sync/connection.js';
import type { BusMessage } from './bus-message.js';
import type { LiveBus } from './live-bus.js';

/** How soon after a connection opens or closes the other processes hear of it (several joining at once make one report). */
const REPORT_AFTER_MS = 200;
/** How often a process repeats what it reported: the others keep a report this long three times over, then drop it. */
const HEARTBEAT_MS = 10_000;
const STALE_AFTER_MS = 3 * HEARTBEAT_MS;

type Counts = Map<string, number>;

/**
 * How many connections each invitation has open on a document, over every
 * server process: the invitation list's "online" column (GET
 * /api/documents/:id/invitations), so that a secretariat officer asking the
 * process behind the load balancer sees a delegate connected to another one.
 * Each process counts its own connections and reports them on the bus when
 * they change (`online`), and again every HEARTBEAT_MS; a process killed
 * without a word stops counting STALE_AFTER_MS after its last report. Alone
 * (no Redis), nothing is reported and the counts are this process's own.
 */
export class OnlineCounts {
  /** documentId → processId → that process's last report. */
  private readonly elsewhere = new Map<string, Map<string, { counts: Counts; at: number }>>();
  /** What this process last reported per document (what it must take back on shutdown, and repeat meanwhile). */
  private readonly reported = new Map<string, string>();
  private readonly due = new Set<string>();
  private reportTimer: NodeJS.Timeout | undefined;
  private readonly heartbeat: NodeJS.Timeout | undefined;

  constructor(
    private readonly bus: LiveBus,
    /** The connections this process has on a document (none when it is not loaded). */
    private readonly connectionsOf: (documentId: string) => Iterable<Connection>,
    private readonly now: () => number = Date.now,
  ) {
    if (!bus.shared) return;
    this.heartbeat = setInterval(() => this.repeat(), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /** A connection opened or closed on a document: the others hear of it shortly. */
  changed(documentId: string): void {
    if (!this.bus.shared) return;
    this.due.add(documentId);
    this.reportTimer ??= setTimeout(() => this.report(), REPORT_AFTER_MS);
  }

  /** Connections per invitation on a document: this process's own, plus every other process's latest fresh report. */
  of(documentId: string): Counts {
    const total = this.local(documentId);
    const reports = this.elsewhere.get(documentId);
    for (const [process, report] of reports ?? []) {
      if (this.now() - report.at > STALE_AFTER_MS) {
        reports!.delete(process);
        continue;
      }
      for (const [invitationId, n] of report.counts) total.set(invitationId, (total.get(invitationId) ?? 0) + n);
    }
    return total;
  }

  /** A report from another process. */
  fromBus(message: Extract<BusMessage, { kind: 'online' }>, from: string): void {
    const reports = this.elsewhere.get(message.documentId) ?? new Map<string, { counts: Counts; at: number }>();
    this.elsewhere.set(message.documentId, reports);
    if (message.counts.length === 0) reports.delete(from);
    else reports.set(from, { counts: new Map(message.counts), at: this.now() });
    if (reports.size === 0) this.elsewhere.delete(message.documentId);
  }

  /** Shutting down: every count this process reported is taken back at once (its clients reconnect elsewhere and are counted there). */
  close(): void {
    clearInterval(this.heartbeat);
    clearTimeout(this.reportTimer);
    this.reportTimer = undefined;
    for (const documentId of this.reported.keys()) this.bus.publish({ kind: 'online', documentId, counts: [] });
    this.reported.clear();
  }

  private local(documentId: string): Counts {
    const counts: Counts = new Map();
    for (const connection of this.connectionsOf(documentId)) {
      const id = connection.access.invitationId;
      if (id) counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    return counts;
  }

  /** Reports the documents whose connections changed, when what they hold differs from the last report. */
  private report(): void {
    this.reportTimer = undefined;
    for (const documentId of this.due) this.send(documentId, false);
    this.due.clear();
  }

  private repeat(): void {
    for (const documentId of [...this.reported.keys()]) this.send(documentId, true);
  }

  private send(documentId: string, again: boolean): void {
    const counts = [...this.local(documentId)].sort(([a], [b]) => a.localeCompare(b));
    const key = JSON.stringify(counts);
    const last = this.reported.get(documentId);
    if (!again && (last ?? '[]') === key) return;
    this.bus.publish({ kind: 'online', documentId, counts });
    if (counts.length === 0) this.reported.delete(documentId);
    else this.reported.set(documentId, key);
  }
}
