import * as Y from 'yjs';
import type { ParagraphMeta, ParagraphStatus } from '../schema/negotiation.js';
import type { ComparedParagraph, ComparedPiece, Comparison, ComparisonSide } from '../schema/readings.js';
import type { z } from 'zod';
import { negotiationEvents } from './negotiation-events.js';
import { paragraphChanges } from './paragraph-changes.js';
import { effectiveStatus, paragraphStatuses } from './paragraph-status.js';
import { agreementText, listBlocks, type Block } from './paragraphs.js';
import { authoredRuns } from './text-authorship.js';
import { diffTokens, tokenize } from './word-diff.js';

type Side = z.infer<typeof ComparisonSide>;

type CompareOptions = {
  /** The delegation that owns a Yjs client id (the server's record of who connected with it), or null when unknown. */
  authorOf: (clientId: number) => string | null;
  from: Side;
  to: Side;
};

/** A block with the key it is matched by: its stable id, or (no id, a repeated id) a key that only matches the same text. */
type Keyed = { key: string; block: Block; index: number };

function keyed(blocks: Block[]): Keyed[] {
  const seen = new Map<string, number>();
  return blocks.map((block, index) => {
    const base = block.id ?? `text-${hash(agreementText(block.element))}`;
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    return { key: count === 0 ? base : `${base}#${count + 1}`, block, index };
  });
}

/** FNV-1a of a text, as a short key: a paragraph without an id matches only a paragraph with the same text. */
function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(36);
}

/**
 * Compares two states of one document (a reading and a later one, or the
 * live text): paragraphs matched by stable id in the later text's order, the
 * deleted ones where they stood, and the words inside each matched paragraph.
 */
export function compareDocuments(before: Y.Doc, after: Y.Doc, options: CompareOptions): Comparison {
  const earlier = keyed(listBlocks(before));
  const later = keyed(listBlocks(after));
  const earlierByKey = new Map(earlier.map((k) => [k.key, k]));
  const laterKeys = new Set(later.map((k) => k.key));
  const statusesBefore = paragraphStatuses(before);
  const statusesAfter = paragraphStatuses(after);
  const since = Y.decodeStateVector(Y.encodeStateVector(before));
  const stayed = inOrder(later.map((k) => earlierByKey.get(k.key)?.index ?? -1).filter((i) => i >= 0));
  const context: Context = { after, options, since, authors: new Map() };

  const compared: ComparedParagraph[] = [];
  const deletedAfter = deletedPlaces(earlier, laterKeys);
  const pushDeleted = (anchor: number) => {
    for (const gone of deletedAfter.get(anchor) ?? []) {
      compared.push(deletedParagraph(gone, statusOf(statusesBefore, gone.block), context));
    }
  };
  pushDeleted(-1);
  for (const now of later) {
    const was = earlierByKey.get(now.key);
    const statusAfter = statusOf(statusesAfter, now.block);
    if (!was) {
      compared.push(insertedParagraph(now, statusAfter, context));
      continue;
    }
    const statusBefore = statusOf(statusesBefore, was.block);
    const pieces = wordPieces(was.block, now.block, context, changeRecord(context, now.key));
    const textChanged = pieces.some((p) => p.kind !== 'same');
    const change: ComparedParagraph['change'] = !stayed.has(was.index)
      ? 'moved'
      : textChanged || was.block.ref !== now.block.ref || statusBefore !== statusAfter
        ? 'changed'
        : 'same';
    compared.push({
      id: now.key,
      change,
      refBefore: was.block.ref,
      refAfter: now.block.ref,
      statusBefore,
      statusAfter,
      pieces,
      changedBy: textChanged ? changedBy(changeRecord(context, now.key), pieces) : [],
    });
    pushDeleted(was.index);
  }
  return { from: options.from, to: options.to, paragraphs: compared, events: negotiationEvents(before, after) };
}

type Context = {
  after: Y.Doc;
  options: CompareOptions;
  since: Map<number, number>;
  /** authorOf, asked once per client id. */
  authors: Map<number, string | null>;
};

function statusOf(metas: Map<string, ParagraphMeta>, block: Block): ParagraphStatus {
  return effectiveStatus(block.id ? metas.get(block.id) : undefined, block.element);
}

/**
 * The earlier indices that kept their relative order (a longest increasing
 * subsequence of them, in the later order): the others moved.
 */
function inOrder(indices: number[]): Set<number> {
  const tails: number[] = [];
  const tailAt: number[] = [];
  const previous: number[] = new Array(indices.length).fill(-1);
  indices.forEach((value, i) => {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (tails[mid]! < value) lo = mid + 1;
      else hi = mid;
    }
    tails[lo] = value;
    tailAt[lo] = i;
    previous[i] = lo > 0 ? tailAt[lo - 1]! : -1;
  });
  const kept = new Set<number>();
  for (let i = tails.length ? tailAt[tails.length - 1]! : -1; i >= 0; i = previous[i]!) kept.add(indices[i]!);
  return kept;
}

/** Deleted paragraphs by the earlier index of the surviving paragraph they followed (-1: before all). */
function deletedPlaces(earlier: Keyed[], laterKeys: Set<string>): Map<number, Keyed[]> {
  const places = new Map<number, Keyed[]>();
  let anchor = -1;
  for (const k of earlier) {
    if (laterKeys.has(k.key)) {
      anchor = k.index;
      continue;
    }
    const list = places.get(anchor) ?? [];
    list.push(k);
    places.set(anchor, list);
  }
  return places;
}

/** The delegations the server recorded as changing the paragraph after the earlier end, newest first. */
function changeRecord(context: Context, key: string): string[] {
  const fromAt = context.options.from.at;
  const since = fromAt ? Date.parse(fromAt) : Number.NEGATIVE_INFINITY;
  const names: string[] = [];
  for (const entry of paragraphChanges(context.after, key)) {
    if (!(Date.parse(entry.at) > since) || names.includes(entry.delegation)) continue;
    names.push(entry.delegation);
  }
  return names;
}

function changedBy(record: string[], pieces: ComparedPiece[]): string[] {
  const names = [...record];
  for (const piece of pieces) for (const name of piece.by) if (piece.kind === 'inserted' && !names.includes(name)) names.push(name);
  return names;
}

function authorOf(context: Context, client: number): string | null {
  if (!context.authors.has(client)) context.authors.set(client, context.options.authorOf(client));
  return context.authors.get(client)!;
}

/** For each character of the later text, the delegation that typed it since the earlier end ('' unknown, null: older). */
function ownersOf(block: Block, context: Context): { text: string; owners: Array<string | null> } {
  let text = '';
  const owners: Array<string | null> = [];
  for (const run of authoredRuns(block.element, context.since)) {
    text += run.text;
    const owner = run.client === null ? null : (authorOf(context, run.client) ?? '');
    for (let i = 0; i < run.text.length; i++) owners.push(owner);
  }
  return { text, owners };
}

function namesIn(owners: Array<string | null>, start: number, end: number): string[] {
  const names = new Set<string>();
  for (let i = start; i < end; i++) if (owners[i]) names.add(owners[i]!);
  return [...names].sort();
}

function wordPieces(was: Block, now: Block, context: Context, deletedBy: string[]): ComparedPiece[] {
  const { text, owners } = ownersOf(now, context);
  const earlierText = agreementText(was.element);
  // Most paragraphs of a reading are untouched: no need to segment them.
  if (earlierText === text) return text ? [{ kind: 'same', text, by: [] }] : [];
  const ops = diffTokens(tokenize(earlierText), tokenize(text));
  const pieces: ComparedPiece[] = [];
  const push = (kind: ComparedPiece['kind'], piece: string, by: string[]) => {
    const last = pieces[pieces.length - 1];
    // An inserted word nobody new typed (an old space the diff reused) joins the insertion beside it.
    if (last && last.kind === kind && (kind !== 'inserted' || by.length === 0 || sameNames(last.by, by))) last.text += piece;
    else pieces.push({ kind, text: piece, by });
  };
  for (const op of ops) {
    if (op.kind === 'inserted') {
      // A word made of old characters only (what is left of a word cut short) is the work of whoever changed the paragraph.
      for (const token of op.tokens) {
        const names = namesIn(owners, token.start, token.start + token.text.length);
        push('inserted', token.text, names.length || !token.text.trim() ? names : deletedBy);
      }
    } else {
      push(op.kind, op.tokens.map((t) => t.text).join(''), op.kind === 'deleted' ? deletedBy : []);
    }
  }
  return pieces;
}

function sameNames(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((name, i) => name === b[i]);
}

function insertedParagraph(now: Keyed, statusAfter: ParagraphStatus, context: Context): ComparedParagraph {
  const { text, owners } = ownersOf(now.block, context);
  const pieces: ComparedPiece[] = text ? [{ kind: 'inserted', text, by: namesIn(owners, 0, text.length) }] : [];
  return {
    id: now.key,
    change: 'inserted',
    refBefore: null,
    refAfter: now.block.ref,
    statusBefore: null,
    statusAfter,
    pieces,
    changedBy: changedBy(changeRecord(context, now.key), pieces),
  };
}

function deletedParagraph(gone: Keyed, statusBefore: ParagraphStatus, context: Context): ComparedParagraph {
  const text = agreementText(gone.block.element);
  const by = changeRecord(context, gone.key);
  return {
    id: gone.key,
    change: 'deleted',
    refBefore: gone.block.ref,
    refAfter: null,
    statusBefore,
    statusAfter: null,
    pieces: text ? [{ kind: 'deleted', text, by }] : [],
    changedBy: by,
  };
}
