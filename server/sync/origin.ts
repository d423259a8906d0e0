import type { Connection } from './connection.js';

/**
 * Who caused a Yjs transaction on a server-side document. Every transaction the
 * server runs carries one, so storage and fan-out decide by origin instead of
 * guessing: what came from storage is neither stored again nor broadcast.
 */
export type TransactionOrigin =
  | { readonly source: 'connection'; readonly connection: Connection }
  | { readonly source: 'storage' }
  | { readonly source: 'server'; readonly reason: string };

export const STORAGE_ORIGIN: TransactionOrigin = Object.freeze({ source: 'storage' });

export function connectionOrigin(connection: Connection): TransactionOrigin {
  return { source: 'connection', connection };
}

export function isTransactionOrigin(value: unknown): value is TransactionOrigin {
  return typeof value === 'object' && value !== null && 'source' in value;
}
