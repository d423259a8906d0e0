import type { Connection } from './connection.js';

/**
 * Who caused a Yjs transaction on a server-side document. Every transaction the
 * server runs carries one, so storage and fan-out decide by origin instead of
 * guessing: what came from storage is neither stored again nor broadcast.
 */
export type TransactionOrigin =
  | { readonly source: 'connection'; readonly connection: Connection }
  | { readonly source: 'storage' }
  /** Checked and stored by another server process, received over the bus: applied and sent on, never stored or published again. */
  | { readonly source: 'remote' }
  | { readonly source: 'server'; readonly reason: string };

export const STORAGE_ORIGIN: TransactionOrigin = Object.freeze({ source: 'storage' });

export const REMOTE_ORIGIN: TransactionOrigin = Object.freeze({ source: 'remote' });

export function connectionOrigin(connection: Connection): TransactionOrigin {
  return { source: 'connection', connection };
}

export function isTransactionOrigin(value: unknown): value is TransactionOrigin {
  return typeof value === 'object' && value !== null && 'source' in value;
}
