import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { encodeAwareness, encodeAwarenessStates, type AwarenessState } from '../../shared/protocol/messages.js';

/**
 * Hand-made Yjs updates, for the hostile-client tests: what a modified client
 * could send that no Yjs API produces. Changes are made with real Yjs on a
 * scratch copy of the document, then the encoded update is read back into its
 * structs, edited, and written again in update format v1, the way Yjs's own
 * `writeStructs` and `Item.write` do (yjs: src/utils/encoding.js,
 * src/structs/Item.js).
 */

export type Struct = Y.Item | Y.GC | Y.Skip;
export type DeleteRange = { client: number; clock: number; len: number };
/** An update taken apart: structs in the order they are written (per client, by clock), and the delete set. */
export type Parts = { structs: Struct[]; deletes: DeleteRange[] };

/** A client id no real client uses (Yjs picks random uint32s; these stay in 31 bits). */
export function freshClientId(): number {
  return 1 + Math.floor(Math.random() * 0x7ffffff0);
}

/**
 * A scratch copy of `source` (a client that holds the server's state) whose
 * own changes carry `clientID`. `change` runs on it; the result is the update
 * those changes make, relative to the server's state, exactly as a client
 * would send it (its delete set holds every deletion the copy knows, as Yjs
 * always sends).
 */
export function changeOf(source: Y.Doc, clientID: number, change: (doc: Y.Doc) => void): Uint8Array {
  const scratch = scratchCopy(source, clientID);
  const before = Y.encodeStateVector(scratch);
  change(scratch);
  const update = Y.encodeStateAsUpdate(scratch, before);
  scratch.destroy();
  return update;
}

export function scratchCopy(source: Y.Doc, clientID: number): Y.Doc {
  const scratch = new Y.Doc();
  Y.applyUpdate(scratch, Y.encodeStateAsUpdate(source));
  // Set after the copy: Yjs gives a document a new client id when a remote
  // update carries structs of its own id (which it would, claiming another's).
  scratch.clientID = clientID;
  return scratch;
}

/** The structs and delete set of a v1 update, as Yjs reads them (origins as ids, parents as ids or root names). */
export function readParts(update: Uint8Array): Parts {
  const { structs, ds } = Y.decodeUpdate(update) as unknown as {
    structs: Struct[];
    ds: { clients: Map<number, Array<{ clock: number; len: number }>> };
  };
  const deletes: DeleteRange[] = [];
  for (const [client, ranges] of ds.clients) for (const { clock, len } of ranges) deletes.push({ client, clock, len });
  return { structs, deletes };
}

/**
 * Writes structs and a delete set as a v1 update. Structs are grouped by
 * client (higher ids first, as Yjs writes them) and written in the order
 * given; each client's run starts at the clock of its first struct and the
 * following ones are taken to follow it without a gap (Yjs reads them so).
 */
export function writeParts({ structs, deletes }: Parts): Uint8Array {
  const encoder = new Y.UpdateEncoderV1();
  const byClient = new Map<number, Struct[]>();
  for (const struct of structs) {
    const list = byClient.get(struct.id.client) ?? [];
    list.push(struct);
    byClient.set(struct.id.client, list);
  }
  encoding.writeVarUint(encoder.restEncoder, byClient.size);
  for (const [client, list] of [...byClient].sort((a, b) => b[0] - a[0])) {
    encoding.writeVarUint(encoder.restEncoder, list.length);
    encoder.writeClient(client);
    encoding.writeVarUint(encoder.restEncoder, list[0]!.id.clock);
    for (const struct of list) struct.write(encoder, 0);
  }
  const dsByClient = new Map<number, DeleteRange[]>();
  for (const range of deletes) {
    const list = dsByClient.get(range.client) ?? [];
    list.push(range);
    dsByClient.set(range.client, list);
  }
  encoding.writeVarUint(encoder.restEncoder, dsByClient.size);
  for (const [client, ranges] of [...dsByClient].sort((a, b) => b[0] - a[0])) {
    encoder.resetDsCurVal();
    encoding.writeVarUint(encoder.restEncoder, client);
    encoding.writeVarUint(encoder.restEncoder, ranges.length);
    for (const { clock, len } of ranges.sort((a, b) => a.clock - b.clock)) {
      encoder.writeDsClock(clock);
      encoder.writeDsLen(len);
    }
  }
  return encoder.toUint8Array();
}

/** An item as it travels: placed by its origins, or (with neither) by its parent (a root name or the id of a type's item) and map key. */
export function item(fields: {
  id: Y.ID;
  origin?: Y.ID | null;
  rightOrigin?: Y.ID | null;
  parent?: string | Y.ID | null;
  parentSub?: string | null;
  content: Y.Item['content'];
}): Y.Item {
  const parent = (fields.parent ?? null) as unknown as Y.AbstractType<unknown> | Y.ID | null;
  return new Y.Item(fields.id, null, fields.origin ?? null, null, fields.rightOrigin ?? null, parent, fields.parentSub ?? null, fields.content);
}

export function gc(client: number, clock: number, length: number): Y.GC {
  return new Y.GC(Y.createID(client, clock), length);
}

/** The items of an update that set map key `key` (parentSub is only written for items placed by their parent). */
export function itemsSetting(parts: Parts, key: string): Y.Item[] {
  return parts.structs.filter((s): s is Y.Item => s instanceof Y.Item && s.parentSub === key);
}

/**
 * Replaces an item's content with content of another length, moving the
 * clocks of the same client's later structs, the ids that point at them and
 * the delete ranges along, so the update stays consistent.
 */
export function replaceContent(parts: Parts, target: Y.Item, content: Y.Item['content']): void {
  const { client, clock } = target.id;
  const oldEnd = clock + target.length; // first clock after the target
  const delta = content.getLength() - target.length;
  const moved = (id: Y.ID | null): Y.ID | null => {
    if (!id || id.client !== client) return id;
    if (id.clock >= oldEnd) return Y.createID(client, id.clock + delta);
    if (id.clock === oldEnd - 1) return Y.createID(client, id.clock + delta); // the target's last id
    return id;
  };
  for (const struct of parts.structs) {
    if (struct.id.client === client && struct.id.clock >= oldEnd) struct.id = Y.createID(client, struct.id.clock + delta);
    if (!(struct instanceof Y.Item)) continue;
    struct.origin = moved(struct.origin);
    struct.rightOrigin = moved(struct.rightOrigin);
    if (struct.parent instanceof Y.ID) struct.parent = moved(struct.parent) as unknown as Y.AbstractType<unknown>;
  }
  for (const range of parts.deletes) if (range.client === client && range.clock >= oldEnd) range.clock += delta;
  target.content = content;
  target.length = content.getLength();
}

/** Frames as the shared protocol module writes them (one encoder for the wire): sync update, sync step 2. */
export { encodeSyncUpdate as syncUpdateFrame, encodeSyncStep2 as syncStep2Frame } from '../../shared/protocol/messages.js';

/** An awareness frame holding states written by hand: any client id, any clock, any state (null removes). */
export function awarenessFrame(states: AwarenessState[]): Uint8Array {
  return encodeAwareness(encodeAwarenessStates(states));
}

/**
 * What a plain Yjs document makes of an update: a copy of `source` with it
 * applied, and the error if Yjs threw part-way (keeping what it integrated
 * before). Shows in each test that the forgery does what it claims, so a
 * refusal is a refusal of a working attack.
 */
export function applyToCopy(source: Y.Doc, update: Uint8Array): { doc: Y.Doc; error: Error | null } {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(source));
  try {
    Y.applyUpdate(doc, update);
    return { doc, error: null };
  } catch (err) {
    return { doc, error: err as Error };
  }
}
