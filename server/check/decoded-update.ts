import * as Y from 'yjs';

export type ID = { client: number; clock: number };
export type Struct = Y.Item | Y.GC | Y.Skip;
type DeleteRange = { clock: number; len: number };

/** A refusal found while reading an update: the sender is told this reason. */
export class Refusal extends Error {}

/**
 * An incoming update decoded once (Yjs's own decoder) and shared by every step
 * of the check: its structs in the order Yjs wrote them, and its delete set
 * sorted for lookups.
 */
export class DecodedUpdate {
  readonly structs: Struct[];
  readonly ds: { clients: Map<number, DeleteRange[]> };

  constructor(readonly update: Uint8Array) {
    const decoded = Y.decodeUpdate(update) as unknown as { structs: Struct[]; ds: { clients: Map<number, DeleteRange[]> } };
    this.structs = decoded.structs;
    this.ds = decoded.ds;
    for (const ranges of this.ds.clients.values()) ranges.sort((a, b) => a.clock - b.clock);
  }

  /** Does the delete set cover all of [clock, clock + len) of `client`? */
  deletes(client: number, clock: number, len: number): boolean {
    const ranges = this.ds.clients.get(client);
    if (!ranges) return false;
    let low = 0;
    let high = ranges.length - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const range = ranges[mid]!;
      if (clock < range.clock) high = mid - 1;
      else if (clock >= range.clock + range.len) low = mid + 1;
      else return clock + len <= range.clock + range.len;
    }
    return false;
  }

  /** Does the update hold a struct covering `id`? */
  holds(id: ID): boolean {
    return this.ranges().get(id.client)?.some(([from, to]) => id.clock >= from && id.clock < to) ?? false;
  }

  private byClient: Map<number, Array<[number, number]>> | undefined;

  /** Per client, the clock ranges the update's structs cover (usually one). */
  ranges(): Map<number, Array<[number, number]>> {
    if (!this.byClient) {
      this.byClient = new Map();
      for (const struct of this.structs) {
        const list = this.byClient.get(struct.id.client) ?? [];
        const last = list[list.length - 1];
        const end = struct.id.clock + struct.length;
        if (last && last[1] === struct.id.clock) last[1] = end;
        else list.push([struct.id.clock, end]);
        this.byClient.set(struct.id.client, list);
      }
    }
    return this.byClient;
  }
}

/**
 * Steps a check may take before it gives up: a fixed allowance plus a few per
 * struct, so a legitimate paste of any size is read in time linear in its
 * size, and a crafted update that would make a walk long is refused instead
 * of holding the event loop.
 */
export class CheckBudget {
  static readonly BASE = 200_000;
  static readonly PER_STRUCT = 64;

  static forUpdate(decoded: DecodedUpdate): CheckBudget {
    return new CheckBudget(CheckBudget.BASE + CheckBudget.PER_STRUCT * decoded.structs.length);
  }

  constructor(private remaining: number) {}

  spend(steps = 1): void {
    this.remaining -= steps;
    if (this.remaining < 0) throw new Refusal('This change is too complex to check; send it in smaller parts');
  }
}
