import * as Y from 'yjs';
import type { Sender } from '../../shared/model/update-rules.js';
import { canComment } from '../../shared/model/permissions.js';
import type { DecodedUpdate, ID } from './decoded-update.js';

/** Who first wrote under a Yjs client id: only they may write under it again (a principal id, see ClientIds). */
export type OwnerOf = (clientId: number) => string | undefined;

export type Screened = { ok: true; newClients: number[] } | { ok: false; reason: string };

export const READ_ONLY = 'Observers cannot change the document';

/** New Yjs client ids one update may introduce: a page session is one; merged offline sessions a few. */
const MAX_NEW_CLIENTS = 8;

/**
 * The cheap checks, run before anything reads the update's meaning: struct by
 * struct, in one pass. Who may add anything at all (an observer adds nothing,
 * whatever message carries it), under whose client ids, with what kinds of
 * content, building on what. Each rule is what a normal client never breaks;
 * whatever passes here can be located in the document and integrated whole.
 */
export function screenUpdate(doc: Y.Doc, decoded: DecodedUpdate, sender: Sender, ownerOf: OwnerOf): Screened {
  const store = doc.store;
  const expected = new Map<number, number>();
  const newClients = new Set<number>();
  const mayWrite = canComment(sender.role);
  for (const struct of decoded.structs) {
    const { client, clock } = struct.id;
    const known = Y.getState(store, client);
    const next = expected.get(client) ?? known;
    if (struct instanceof Y.Skip || clock > next) {
      return refuse('This change builds on changes the server does not have (an earlier change may have been refused): reload the document');
    }
    expected.set(client, Math.max(next, clock + struct.length));
    if (clock + struct.length <= known) continue; // the document has it already: a resend
    if (!mayWrite) return refuse(READ_ONLY);
    const owner = ownerOf(client);
    if (owner === undefined && known === 0) newClients.add(client);
    else if (owner !== sender.principal) return refuse('This change is written under another participant’s client id');
    if (struct instanceof Y.GC) continue;
    const problem = contentProblem(struct.content) ?? referenceProblem(doc, decoded, struct);
    if (problem) return refuse(problem);
  }
  if (newClients.size > MAX_NEW_CLIENTS) return refuse('This change introduces too many client ids at once');
  if (!mayWrite && deletesSomething(doc, decoded)) return refuse(READ_ONLY);
  return { ok: true, newClients: [...newClients] };
}

function refuse(reason: string): Screened {
  return { ok: false, reason };
}

/** Content kinds of the document format (TipTap's XML, the negotiation maps); anything else is refused. */
function contentProblem(content: Y.Item['content']): string | null {
  if (content instanceof Y.ContentString || content instanceof Y.ContentFormat || content instanceof Y.ContentDeleted) return null;
  if (content instanceof Y.ContentAny) return (content as unknown as { arr: unknown[] }).arr.length > 0 ? null : 'Empty value';
  if (content instanceof Y.ContentType) {
    const type = content.type as unknown;
    const known = type instanceof Y.XmlElement || type instanceof Y.XmlText || type instanceof Y.Map || type instanceof Y.Array;
    return known && !(type instanceof Y.XmlHook) ? null : 'This kind of shared type is not part of the document format';
  }
  return 'This kind of content is not part of the document format';
}

/**
 * Every struct an item builds on (its neighbours, its parent) must be in the
 * document or in the update, and one of the sender's own must come before it:
 * otherwise Yjs would integrate part of the update and keep the rest waiting.
 */
function referenceProblem(doc: Y.Doc, decoded: DecodedUpdate, item: Y.Item): string | null {
  const parent = item.parent as unknown;
  const parentId = parent && typeof parent === 'object' && 'client' in parent ? (parent as ID) : null;
  for (const id of [item.origin, item.rightOrigin, parentId]) {
    if (!id) continue;
    if (id.client === item.id.client && id.clock >= item.id.clock) return 'This change refers to a part that comes after it';
    if (id.clock < Y.getState(doc.store, id.client) || decoded.holds(id)) continue;
    return 'This change builds on text the server does not have (an earlier change may have been refused): reload the document';
  }
  return null;
}

/** Does the delete set remove anything still in the document? (A stock client resends deletions the server has.) */
function deletesSomething(doc: Y.Doc, decoded: DecodedUpdate): boolean {
  for (const [client, ranges] of decoded.ds.clients) {
    const structs = doc.store.clients.get(client);
    const state = Y.getState(doc.store, client);
    for (const { clock, len } of ranges) {
      if (!structs || clock >= state) {
        if (len > 0) return true; // deletes what the server does not have: not a resend either
        continue;
      }
      for (let i = Y.findIndexSS(structs, clock); i < structs.length && structs[i]!.id.clock < clock + len; i++) {
        const struct = structs[i]!;
        if (struct instanceof Y.Item && !struct.deleted) return true;
      }
    }
  }
  return false;
}
