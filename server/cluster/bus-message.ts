import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/**
 * What one server process tells the others (server/cluster/live-bus.ts), one
 * Redis stream entry each:
 * - `update`: a document update this process checked and stored; the others
 *   apply it to their copy and send it to their own clients.
 * - `presence`: an awareness update of one of its connections, as stamped here.
 * - `disconnect`: the holders of an invitation leave the document (revoked,
 *   released), with the close code and reason they are told.
 * - `evict`: everyone leaves a document (deleted), same.
 * - `online`: how many connections of this process each invitation has on a
 *   document (the invitation list's "online" counts every process), sent
 *   when it changes and again every so often (a process that died stops
 *   counting once its last report is old).
 * - `resync`: updates of the sender could not be published while it was cut
 *   off from Redis: every other process merges what is stored into those
 *   documents if it has them loaded (`documentIds`; null: every document).
 */
export type BusMessage =
  | { kind: 'update'; documentId: string; update: Uint8Array }
  | { kind: 'presence'; documentId: string; update: Uint8Array }
  | { kind: 'disconnect'; documentId: string; invitationId: string; closeCode: number; reason: string }
  | { kind: 'evict'; documentId: string; closeCode: number; reason: string }
  | { kind: 'online'; documentId: string; counts: Array<[invitationId: string, connections: number]> }
  | { kind: 'resync'; documentIds: string[] | null };

/** Append only: a kind's number is its place here, and processes of two versions may share a stream for a moment. */
const KINDS = ['update', 'presence', 'disconnect', 'evict', 'resync', 'online'] as const;

/** One entry: the sending process's id, then the message (lib0 encoding, as y-protocols' messages are). */
export function writeBusMessage(encoder: encoding.Encoder, from: string, message: BusMessage): void {
  encoding.writeVarString(encoder, from);
  encoding.writeVarUint(encoder, KINDS.indexOf(message.kind));
  switch (message.kind) {
    case 'update':
    case 'presence':
      encoding.writeVarString(encoder, message.documentId);
      encoding.writeVarUint8Array(encoder, message.update);
      return;
    case 'disconnect':
      encoding.writeVarString(encoder, message.documentId);
      encoding.writeVarString(encoder, message.invitationId);
      encoding.writeVarUint(encoder, message.closeCode);
      encoding.writeVarString(encoder, message.reason);
      return;
    case 'evict':
      encoding.writeVarString(encoder, message.documentId);
      encoding.writeVarUint(encoder, message.closeCode);
      encoding.writeVarString(encoder, message.reason);
      return;
    case 'online':
      encoding.writeVarString(encoder, message.documentId);
      encoding.writeVarUint(encoder, message.counts.length);
      for (const [invitationId, connections] of message.counts) {
        encoding.writeVarString(encoder, invitationId);
        encoding.writeVarUint(encoder, connections);
      }
      return;
    case 'resync':
      encoding.writeVarUint(encoder, message.documentIds === null ? 0 : 1);
      if (message.documentIds === null) return;
      encoding.writeVarUint(encoder, message.documentIds.length);
      for (const id of message.documentIds) encoding.writeVarString(encoder, id);
      return;
  }
}

export function readBusMessage(decoder: decoding.Decoder): { from: string; message: BusMessage } {
  const from = decoding.readVarString(decoder);
  const kind = KINDS[decoding.readVarUint(decoder)];
  switch (kind) {
    case 'update':
    case 'presence':
      return { from, message: { kind, documentId: decoding.readVarString(decoder), update: decoding.readVarUint8Array(decoder) } };
    case 'disconnect':
      return {
        from,
        message: {
          kind,
          documentId: decoding.readVarString(decoder),
          invitationId: decoding.readVarString(decoder),
          closeCode: decoding.readVarUint(decoder),
          reason: decoding.readVarString(decoder),
        },
      };
    case 'evict':
      return { from, message: { kind, documentId: decoding.readVarString(decoder), closeCode: decoding.readVarUint(decoder), reason: decoding.readVarString(decoder) } };
    case 'online': {
      const documentId = decoding.readVarString(decoder);
      const counts: Array<[string, number]> = [];
      for (let n = decoding.readVarUint(decoder); n > 0; n--) counts.push([decoding.readVarString(decoder), decoding.readVarUint(decoder)]);
      return { from, message: { kind, documentId, counts } };
    }
    case 'resync': {
      if (decoding.readVarUint(decoder) === 0) return { from, message: { kind, documentIds: null } };
      const documentIds: string[] = [];
      for (let n = decoding.readVarUint(decoder); n > 0; n--) documentIds.push(decoding.readVarString(decoder));
      return { from, message: { kind, documentIds } };
    }
    default:
      throw new Error('unknown bus message kind');
  }
}

export function encodeBusMessage(from: string, message: BusMessage): Uint8Array {
  const encoder = encoding.createEncoder();
  writeBusMessage(encoder, from, message);
  return encoding.toUint8Array(encoder);
}

export function decodeBusMessage(data: Uint8Array): { from: string; message: BusMessage } {
  return readBusMessage(decoding.createDecoder(data));
}
