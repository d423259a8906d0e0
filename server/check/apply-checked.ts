import * as Y from 'yjs';
import { verifyApplied, type AcceptedUpdate } from './check-update.js';

export type ApplyHooks = {
  /** More checks of the result, inside the transaction (records well formed...): a reason, or null. */
  verify?: (doc: Y.Doc, transaction: Y.Transaction) => string | null;
  /** Called inside the transaction when the result is refused, before Yjs emits its update. */
  onProblem?: () => void;
};

type Transaction = Y.Transaction & { deleteSet: { clients: Map<number, Array<{ clock: number; len: number }>> } };

/**
 * Applies an accepted update and verifies, before the transaction ends, that
 * Yjs did what the check judged and nothing else: integrated every struct (no
 * part left waiting on a dependency), deleted only what the update deletes
 * explicitly or overwrites, and left every record it touched well formed.
 * Returns null, or what went wrong; then the caller must discard the
 * document (reload it from storage) before anything is stored or relayed.
 */
export function applyChecked(
  doc: Y.Doc,
  accepted: AcceptedUpdate,
  origin: unknown,
  hooks: ApplyHooks = {},
): string | null {
  let problem: string | null = null;
  // A remote transaction (local = false), as Y.applyUpdate makes: Yjs then also
  // tidies formatting and detects client-id collisions as it does for peers.
  Y.transact(
    doc,
    (transaction) => {
      try {
        Y.applyUpdate(doc, accepted.decoded.update, origin);
        problem =
          unfinished(doc) ?? unforeseenDeletion(doc, transaction as Transaction, accepted) ?? verifyApplied(doc, accepted, transaction) ?? hooks.verify?.(doc, transaction) ?? null;
      } catch (err) {
        problem = `This change could not be integrated: ${(err as Error).message}`;
      }
      // Before the transaction ends, so the caller can hold back what Yjs is about to announce.
      if (problem) hooks.onProblem?.();
    },
    origin,
    false,
  );
  return problem;
}

function unfinished(doc: Y.Doc): string | null {
  const store = doc.store as unknown as { pendingStructs: unknown; pendingDs: unknown };
  return store.pendingStructs || store.pendingDs ? 'This change depends on parts that never arrived' : null;
}

/** An item that existed before this update and that Yjs deleted although the check did not foresee it. */
function unforeseenDeletion(doc: Y.Doc, transaction: Transaction, accepted: AcceptedUpdate): string | null {
  const { decoded, implicit } = accepted;
  const foreseen = (item: Y.Item) => implicit.has(item) || decoded.deletes(item.id.client, item.id.clock, item.length);
  for (const [client, ranges] of transaction.deleteSet.clients) {
    const before = transaction.beforeState.get(client) ?? 0;
    const structs = doc.store.clients.get(client);
    if (!structs) continue;
    for (const { clock, len } of ranges) {
      if (clock >= before) continue; // new items Yjs dropped at once (a losing map value, content of a deleted parent)
      for (let i = Y.findIndexSS(structs, clock); i < structs.length && structs[i]!.id.clock < Math.min(clock + len, before); i++) {
        const item = structs[i];
        if (!(item instanceof Y.Item) || foreseen(item) || ancestorForeseen(item, foreseen)) continue;
        return 'This change would delete more than it says';
      }
    }
  }
  return null;
}

function ancestorForeseen(item: Y.Item, foreseen: (item: Y.Item) => boolean): boolean {
  for (let owner = (item.parent as Y.AbstractType<unknown>)._item; owner; owner = (owner.parent as Y.AbstractType<unknown>)._item) {
    if (foreseen(owner)) return true;
  }
  return false;
}
