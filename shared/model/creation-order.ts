import type * as Y from 'yjs';

/**
 * Orders two shared types the same way on every replica (map iteration order
 * differs between replicas): by the id of the item that created them. Types
 * made by one client keep the order in which it made them.
 */
export function compareCreation(a: Y.AbstractType<unknown>, b: Y.AbstractType<unknown>): number {
  const x = a._item?.id;
  const y = b._item?.id;
  if (!x || !y) return 0;
  return x.client - y.client || x.clock - y.clock;
}
