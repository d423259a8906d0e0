import * as Y from 'yjs';
import { agreementText, listBlocks, type Block } from '../../shared/model/paragraphs.js';
import { BLOCK_ID_ATTR, PARAGRAPHS_MAP } from '../../shared/schema/negotiation.js';
import { TEXT_BLOCKS } from '../../shared/schema/ydoc.js';
import { reasonParagraph, refusalMessage } from './refusal-message.js';

/**
 * A refused update can never land, nor any later one of the same client
 * (README, "Live editing protocol"), so the copy that made it is dropped for
 * the server's. Before it goes, what the person had is kept: their text of
 * the paragraphs they changed, and which paragraph the refusal was about.
 * Once the server's copy is in, the text the server did not keep is offered
 * back, and the message names the paragraph as the room does.
 */

/** A paragraph's text as this person had it in the dropped copy. */
export type OwnText = { paragraphId: string; ref: string | null; text: string };

/** What this person did in a copy: the paragraphs they changed (or set the status of), and whether the last change was made offline. */
export type LocalEdits = { paragraphs: ReadonlySet<string>; offline: boolean };

/** What survives of a refused change while its copy is replaced by the server's. */
export type RefusedChange = {
  /** The server's sentence. */
  reason: string;
  /** The paragraph the reason names, as the room names it ("3.5 b)"), when it names one. */
  named: string | null;
  offline: boolean;
  /** This person's text of every paragraph the change may have touched, compared with the server's after the reload. */
  ownText: OwnText[];
};

const textBlocks = new Set<string>(TEXT_BLOCKS);

/** Follows the paragraphs this person changes in `ydoc`, and whether they were online (`isOnline`) when they did. */
export function trackLocalEdits(ydoc: Y.Doc, isOnline: () => boolean): { edits: () => LocalEdits; stop: () => void } {
  const paragraphs = new Set<string>();
  let offline = false;
  const statuses: unknown = ydoc.getMap(PARAGRAPHS_MAP);
  // Remote and stored updates are applied as non-local transactions: only this person's own changes count.
  const onTransaction = (transaction: Y.Transaction) => {
    if (!transaction.local || transaction.changed.size === 0) return;
    offline = !isOnline();
    for (const [type, keys] of transaction.changed) {
      if (type === statuses) {
        for (const key of keys) if (key) paragraphs.add(key);
        continue;
      }
      const id = paragraphOf(type);
      if (id) paragraphs.add(id);
    }
  };
  ydoc.on('afterTransaction', onTransaction);
  return {
    edits: () => ({ paragraphs: new Set(paragraphs), offline }),
    stop: () => ydoc.off('afterTransaction', onTransaction),
  };
}

/** The id of the paragraph a changed type (its text, a footnote, the paragraph itself) belongs to. */
function paragraphOf(type: unknown): string | null {
  let current = type;
  while (current instanceof Y.AbstractType) {
    if (current instanceof Y.XmlElement && textBlocks.has(current.nodeName)) return idOf(current);
    current = current.parent;
  }
  return null;
}

function idOf(element: Y.XmlElement): string | null {
  const id = element.getAttribute(BLOCK_ID_ATTR) as unknown;
  return typeof id === 'string' && id.length > 0 ? id : null;
}

/**
 * Reads, from the copy about to be dropped, what the refusal was about and
 * this person's text: of the paragraph the reason names, of those they
 * changed, and of those they created (a new paragraph is not yet "changed":
 * Yjs reports only the types that existed before a transaction). With none of
 * these to go by (changes made before the page was reloaded), every paragraph.
 */
export function keepRefusedChange(ydoc: Y.Doc, reason: string, edits: LocalEdits): RefusedChange {
  const blocks = listBlocks(ydoc).filter((b): b is Block & { id: string } => b.id !== null);
  const token = reasonParagraph(reason);
  const named = token ? namedBlock(blocks, token, edits.paragraphs) : undefined;
  const candidates = new Set(edits.paragraphs);
  if (named) candidates.add(named.id);
  const everything = candidates.size === 0;
  const ownText = blocks
    .filter((b) => everything || candidates.has(b.id) || b.element._item?.id.client === ydoc.clientID)
    .map((b) => ({ paragraphId: b.id, ref: b.ref, text: agreementText(b.element) }));
  // A paragraph gone from this copy can still be named by its number.
  const name = named ? named.ref : token && /^\d+(\.\d+)*$/.test(token) ? token : null;
  return { reason, named: name, offline: edits.offline, ownText };
}

/**
 * The block a reason's "Paragraph X" means: X is its id, or its number as
 * typed ("b)", shared by many lettered items: the one this person changed).
 */
function namedBlock<B extends Block & { id: string }>(blocks: B[], token: string, changed: ReadonlySet<string>): B | undefined {
  const matches = blocks.filter((b) => b.id === token || b.num === token || b.ref === token);
  return matches.find((b) => changed.has(b.id)) ?? (matches.length === 1 ? matches[0] : undefined);
}

/** The text this person had that the server's copy does not hold: paragraphs whose text differs, or that it does not have. */
export function textNotKept(ownText: readonly OwnText[], serverDoc: Y.Doc): OwnText[] {
  const server = new Map<string, string>();
  for (const block of listBlocks(serverDoc)) if (block.id) server.set(block.id, agreementText(block.element));
  return ownText.filter((own) => own.text.trim().length > 0 && server.get(own.paragraphId) !== own.text);
}

/**
 * What the person reads once the server's copy is in. A reason that names no
 * paragraph is about the one paragraph whose text was not kept, if just one.
 */
export function refusalNotice(change: RefusedChange, notKept: readonly OwnText[]): string {
  const paragraph = change.named ?? (notKept.length === 1 ? notKept[0]!.ref : null);
  return refusalMessage(change.reason, { paragraph, offline: change.offline });
}
