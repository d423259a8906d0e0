import { expect } from 'vitest';
import * as Y from 'yjs';
import { applyChecked } from '../../server/check/apply-checked.js';
import { checkUpdate } from '../../server/check/check-update.js';
import { listBracketGroups } from '../../shared/model/brackets.js';
import { addAlternative, createBracket } from '../../shared/model/bracket-proposals.js';
import { addThread, listThreads } from '../../shared/model/comments.js';
import { setParagraphStatus } from '../../shared/model/paragraph-status.js';
import { listBlocks } from '../../shared/model/paragraphs.js';
import type { Sender } from '../../shared/model/update-rules.js';
import type { Actor } from '../../shared/schema/negotiation.js';
import { changeOf } from './crafted-updates.js';
import { CHAIR, EGYPT, USA, docWithParagraphs } from './model-doc.js';

/**
 * The server's check without a server: a document as storage holds it (the
 * accepted updates), who owns which Yjs client id, and `send`, which runs
 * `checkUpdate` then `applyChecked` exactly as a room does, rebuilding the
 * document from the accepted updates when a refusal came after applying.
 */
export type Party = { sender: Sender; actor: Actor; clientId: number };

export const PARTIES = {
  secretariat: { sender: { role: 'secretariat', delegation: 'Secretariat', principal: 'account:1' }, actor: { name: 'Anna', delegation: 'Secretariat' }, clientId: 10 },
  chair: { sender: { role: 'chair', delegation: 'Chair', principal: 'invitation:chair' }, actor: CHAIR, clientId: 20 },
  egypt: { sender: { role: 'delegate', delegation: 'Egypt', principal: 'invitation:egypt' }, actor: EGYPT, clientId: 30 },
  usa: { sender: { role: 'delegate', delegation: 'United States', principal: 'invitation:usa' }, actor: USA, clientId: 40 },
  commenter: { sender: { role: 'commenter', delegation: 'Commenter: Jo', principal: 'invitation:jo' }, actor: { name: 'Jo', delegation: 'Commenter: Jo' }, clientId: 50 },
  observer: { sender: { role: 'observer', delegation: 'Observer', principal: 'invitation:obs' }, actor: { name: 'Obs', delegation: 'Observer' }, clientId: 60 },
} satisfies Record<string, Party>;

export type Verdict = { ok: true } | { ok: false; reason: string; afterApply: boolean };

export class CheckedServer {
  doc: Y.Doc;
  readonly stored: Uint8Array[] = [];
  readonly owners = new Map<number, string>();

  constructor(seed: Y.Doc) {
    this.stored.push(Y.encodeStateAsUpdate(seed));
    this.doc = this.rebuild();
  }

  private rebuild(): Y.Doc {
    const doc = new Y.Doc();
    for (const update of this.stored) Y.applyUpdate(doc, update);
    return doc;
  }

  send(party: Party, update: Uint8Array): Verdict {
    const checked = checkUpdate(this.doc, update, party.sender, (client) => this.owners.get(client));
    if (!checked.ok) return { ok: false, reason: checked.reason, afterApply: false };
    const problem = applyChecked(this.doc, checked, 'client');
    if (problem) {
      this.doc = this.rebuild();
      return { ok: false, reason: problem, afterApply: true };
    }
    for (const client of checked.newClients) this.owners.set(client, party.sender.principal);
    this.stored.push(update);
    return { ok: true };
  }

  /** What `party` would send after making `change` on its own copy. */
  change(party: Party, change: (doc: Y.Doc) => void, clientId = party.clientId): Uint8Array {
    return changeOf(this.doc, clientId, change);
  }

  /** Sends a change and fails loudly if it was refused (for building the starting point). */
  must(party: Party, change: (doc: Y.Doc) => void): void {
    const verdict = this.send(party, this.change(party, change));
    if (!verdict.ok) throw new Error(`setup change refused: ${verdict.reason}`);
  }
}

/**
 * The starting point of the check's tests: four paragraphs (p1 agreed), an
 * Egypt bracket in p0 with a United States alternative, one thread each.
 */
export function negotiationServer(): { server: CheckedServer; ids: { group: string; egyptOption: string; usaOption: string; egyptThread: string; usaThread: string } } {
  const server = new CheckedServer(docWithParagraphs(['Member States shall ensure security of networks.', 'Agreed text of paragraph two.', 'Open paragraph three.', 'Open paragraph four.']));
  // The seed was written by the secretariat's client.
  for (const client of server.doc.store.clients.keys()) server.owners.set(client, PARTIES.secretariat.sender.principal);
  server.must(PARTIES.chair, (doc) => setParagraphStatus(doc, { paragraphId: 'p1', status: 'agreed', actor: CHAIR }));
  let group = '';
  let egyptThread = '';
  let usaThread = '';
  server.must(PARTIES.egypt, (doc) => {
    group = createBracket(doc, { paragraphId: 'p0', from: 20, to: 26, actor: EGYPT }).groupId;
    egyptThread = addThread(doc, { paragraphId: 'p2', text: 'Egypt has concerns', actor: EGYPT }).threadId;
  });
  server.must(PARTIES.usa, (doc) => {
    addAlternative(doc, { groupId: group, text: 'promote', actor: USA });
    usaThread = addThread(doc, { paragraphId: 'p3', text: 'United States comment', actor: USA }).threadId;
  });
  const options = listBracketGroups(server.doc)[0]!.options;
  if (listThreads(server.doc).length !== 2 || options.length !== 2) throw new Error('setup did not settle');
  return { server, ids: { group, egyptOption: options[0]!.id, usaOption: options[1]!.id, egyptThread, usaThread } };
}

export function block(doc: Y.Doc, id: string): Y.XmlElement {
  return listBlocks(doc).find((b) => b.id === id)!.element;
}

export function snapshot(server: CheckedServer): string {
  return Buffer.from(Y.encodeStateAsUpdate(server.doc)).toString('base64');
}

/** Sends and expects a refusal matching `reason`, with the document exactly as it was. */
export function expectRefused(server: CheckedServer, party: Party, update: Uint8Array, reason: RegExp): void {
  const before = snapshot(server);
  const verdict = server.send(party, update);
  expect(verdict.ok).toBe(false);
  if (!verdict.ok) expect(verdict.reason).toMatch(reason);
  expect(snapshot(server)).toBe(before);
}
