import * as Y from 'yjs';
import type { ResolvedAccess } from '../auth/authenticator.js';
import { RejectedUpdateError } from '../errors.js';
import type { ClientIdOwner, DocumentStore } from '../storage/document-store.js';
import type { WriteGate } from '../storage/write-gate.js';

/**
 * Yjs client ids belong to whoever first wrote under them (document structs
 * or a presence state): an invitation or an account, never just a socket, so
 * a delegate reconnecting or coming back with offline edits keeps its ids.
 * Anyone else's structs or presence under a bound id are refused. Kept in
 * storage with the document: it outlives restarts, and it is the server's
 * own record of which delegation wrote which change.
 */
export class ClientIds {
  private readonly owners = new Map<number, ClientIdOwner>();

  constructor(
    private readonly documentId: string,
    private readonly store: DocumentStore,
    /** Bindings are written through it: on a full disk or an unreachable database a bind fails (WriteRefusedError) and the id stays unbound. */
    private readonly gate: WriteGate,
  ) {
    for (const row of store.clientIds(documentId)) {
      this.owners.set(row.clientId, { principal: row.principal, delegation: row.delegation, role: row.role });
    }
  }

  /** The principal owning a client id, or undefined while nobody has used it. */
  ownerOf(clientId: number): string | undefined {
    return this.owners.get(clientId)?.principal;
  }

  /** Who wrote under a client id (for attribution), or undefined. */
  owner(clientId: number): ClientIdOwner | undefined {
    return this.owners.get(clientId);
  }

  bind(clientId: number, access: ResolvedAccess): void {
    if (this.owners.has(clientId)) return;
    const owner = { principal: access.principal, delegation: access.delegation, role: access.role };
    // Stored first: a write that fails (disk full) must leave the id unbound, or the next bind would skip storing it.
    const stored = this.gate.write(() => this.store.bindClientId(this.documentId, clientId, owner));
    if (stored.principal !== owner.principal) {
      // Bound by a connection of another server process in the meantime: storage keeps the first owner, and so does this one.
      this.owners.set(clientId, { principal: stored.principal, delegation: stored.delegation, role: stored.role });
      throw new RejectedUpdateError('Update rejected: it writes under a client id that belongs to another participant');
    }
    this.owners.set(clientId, owner);
  }

  /**
   * Before applying an update another process accepted: client ids it writes
   * under that this process has not seen are read from storage, where that
   * process bound them before storing the update.
   */
  learnFrom(update: Uint8Array): void {
    const { from } = Y.parseUpdateMeta(update);
    for (const client of from.keys()) {
      if (this.owners.has(client)) continue;
      for (const row of this.store.clientIds(this.documentId)) {
        this.owners.set(row.clientId, { principal: row.principal, delegation: row.delegation, role: row.role });
      }
      return;
    }
  }

  /** Binds the fresh ids of one change; on a failure none of them stays bound. */
  bindAll(clientIds: readonly number[], access: ResolvedAccess): void {
    try {
      for (const clientId of clientIds) this.bind(clientId, access);
    } catch (err) {
      this.unbindAll(clientIds, access);
      throw err;
    }
  }

  /**
   * Forgets the bindings made for a change that was then not kept. On a full
   * disk the stored row may stay: it names the same principal, who may write
   * under that id anyway.
   */
  unbindAll(clientIds: readonly number[], access: ResolvedAccess): void {
    for (const clientId of clientIds) {
      try {
        this.unbind(clientId, access);
      } catch (err) {
        if (!this.gate.refusedWrite(err)) throw err;
      }
    }
  }

  unbind(clientId: number, access: ResolvedAccess): void {
    if (this.owners.get(clientId)?.principal !== access.principal) return;
    this.owners.delete(clientId);
    this.store.unbindClientId(this.documentId, clientId, access.principal);
  }
}
