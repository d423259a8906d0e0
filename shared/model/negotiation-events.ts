import * as Y from 'yjs';
import { BracketOptionKeys as O, Position, type ParagraphStatus, type Resolution } from '../schema/negotiation.js';
import type { NegotiationEvent } from '../schema/readings.js';
import { bracketGroups, optionLabel } from './brackets.js';
import { commentThreads } from './comments.js';
import { paragraphStatuses } from './paragraph-status.js';
import { listBlocks } from './paragraphs.js';
import { readGroup, readThread, type GroupRecord, type OptionRecord, type ThreadRecord } from './record-guards.js';

/**
 * What happened in the negotiation between two states of a document, in the
 * room's words ("bracket opened by Egypt", "resolved by the Chair: B kept"):
 * the bracket, comment and status records of both states compared by id; an
 * entry only the later state has, or whose status moved, is an event.
 */
export function negotiationEvents(before: Y.Doc, after: Y.Doc): NegotiationEvent[] {
  const refs = new Map<string, string | null>();
  for (const doc of [after, before]) for (const b of listBlocks(doc)) if (b.id && !refs.has(b.id)) refs.set(b.id, b.ref);
  const events: NegotiationEvent[] = [];
  const add = (kind: NegotiationEvent['kind'], paragraphId: string, who: string, at: string | null, text: string) =>
    events.push({ kind, ref: refs.get(paragraphId) ?? null, paragraphId: refs.has(paragraphId) ? paragraphId : null, who, at: at || null, text });

  for (const [id, value] of bracketGroups(after).entries()) {
    const group = readGroup(id, value);
    if (!group) continue;
    const earlier = bracketGroups(before).has(id) ? readGroup(id, bracketGroups(before).get(id)) : null;
    bracketEvents(group, earlier, add);
  }
  for (const [id, value] of commentThreads(after).entries()) {
    const thread = readThread(id, value);
    if (!thread) continue;
    const earlier = commentThreads(before).has(id) ? readThread(id, commentThreads(before).get(id)) : null;
    threadEvents(thread, earlier, add);
  }
  const statusesBefore = paragraphStatuses(before);
  for (const [id, meta] of paragraphStatuses(after)) {
    const was = statusesBefore.get(id);
    if (was && was.status === meta.status && was.at === meta.at) continue;
    if (!was && meta.status === 'open') continue;
    const ref = refs.get(id);
    add('status-set', id, meta.by.delegation, meta.at, `${ref ?? 'Paragraph'} ${STATUS_WORDS[meta.status]} by ${named(meta.by.delegation)}`);
  }
  // Oldest first; events without a time keep their place at the end.
  return events
    .map((event, i) => ({ event, i }))
    .sort((a, b) => (a.event.at ?? '\uffff').localeCompare(b.event.at ?? '\uffff') || a.i - b.i)
    .map(({ event }) => event);
}

type Add = (kind: NegotiationEvent['kind'], paragraphId: string, who: string, at: string | null, text: string) => void;

const STATUS_WORDS: Record<ParagraphStatus, string> = {
  open: 'reopened',
  agreed: 'marked agreed',
  'agreed-ad-ref': 'marked agreed ad referendum',
};

/** "the Chair", "the Secretariat", but "Egypt". */
function named(delegation: string): string {
  return /^(chair|secretariat|bureau|presidency)$/i.test(delegation) ? `the ${delegation}` : delegation;
}

/** A position map's entries (`supporters`, `bracketedBy`) with their times. */
function positions(value: unknown): Map<string, string> {
  const out = new Map<string, string>();
  if (!(value instanceof Y.Map)) return out;
  for (const [delegation, entry] of (value as Y.Map<unknown>).entries()) {
    const parsed = Position.safeParse(entry);
    out.set(delegation, parsed.success ? parsed.data.at : '');
  }
  return out;
}

function bracketEvents(group: GroupRecord, earlier: GroupRecord | null, add: Add): void {
  const paragraphId = group.fields.paragraphId;
  const hasOriginal = group.options.some((o) => o.fields.kind === 'original');
  const earlierBracketers = new Set((earlier?.bracketedBy ?? []).map((e) => e.delegation));
  if (!earlier) {
    const opener = group.bracketedBy?.[0]?.delegation ?? group.fields.createdBy.delegation;
    if (hasOriginal) add('bracket-opened', paragraphId, opener, group.fields.createdAt, `bracket opened by ${named(opener)}`);
    earlierBracketers.add(opener);
  }
  for (const entry of group.bracketedBy ?? []) {
    if (earlierBracketers.has(entry.delegation)) continue;
    add('bracket-joined', paragraphId, entry.delegation, entry.at, `${named(entry.delegation)} joined the bracket`);
  }
  const earlierOptions = new Map((earlier?.options ?? []).map((o) => [o.fields.id, o]));
  group.options.forEach((option, index) => {
    const label = optionLabel(index);
    const was = earlierOptions.get(option.fields.id);
    if (!was) optionAdded(option, label, hasOriginal, paragraphId, add);
    const supportedBefore = was ? positions(was.map.get(O.supporters)) : new Map<string, string>();
    for (const [delegation, at] of positions(option.map.get(O.supporters))) {
      if (!supportedBefore.has(delegation)) add('support', paragraphId, delegation, at, `${named(delegation)} supports ${label}`);
    }
  });
  const resolution = group.fields.resolution;
  if (group.fields.status === 'resolved' && resolution && earlier?.fields.status !== 'resolved') {
    add('resolved', paragraphId, resolution.by.delegation, resolution.at, `resolved by ${named(resolution.by.delegation)}: ${outcomeWords(resolution)}`);
  }
}

function optionAdded(option: OptionRecord, label: string, hasOriginal: boolean, paragraphId: string, add: Add): void {
  const who = option.proponents[0] ?? option.fields.createdBy.delegation;
  const at = option.fields.createdAt ?? null;
  if (option.fields.kind === 'delete') add('deletion-proposed', paragraphId, who, at, `deletion (${label}) proposed by ${named(who)}`);
  else if (option.fields.kind === 'text' && !hasOriginal && label === 'A') add('insertion-proposed', paragraphId, who, at, `insertion proposed by ${named(who)}`);
  else if (option.fields.kind === 'text') add('alternative-added', paragraphId, who, at, `alternative ${label} added by ${named(who)}`);
}

/** "B kept; A, C dropped", "the bracketed text deleted", "compromise text kept". */
function outcomeWords(resolution: Resolution): string {
  if (resolution.outcome === 'compromise') return `compromise text kept${resolution.keptText ? `: "${resolution.keptText}"` : ''}`;
  const chosen = resolution.options.find((o) => o.id === resolution.chosenOptionId);
  const dropped = resolution.options.filter((o) => o !== chosen).map((o) => o.label);
  if (resolution.outcome === 'deleted' || !chosen) return dropped.length ? `${dropped.join(', ')} dropped, the text deleted` : 'the text deleted';
  return `${chosen.label} kept${dropped.length ? `, ${dropped.join(', ')} dropped` : ''}`;
}

function threadEvents(thread: ThreadRecord, earlier: ThreadRecord | null, add: Add): void {
  const paragraphId = thread.fields.paragraphId;
  if (!earlier) {
    const first = thread.messages[0]?.fields.author.delegation;
    if (first) add('thread-opened', paragraphId, first, thread.fields.createdAt, `comment thread opened by ${named(first)}`);
  }
  const wasResolved = earlier?.fields.status === 'resolved';
  if (thread.fields.status === 'resolved' && !wasResolved) {
    const who = thread.fields.statusBy?.delegation ?? 'Unknown';
    add('thread-resolved', paragraphId, who, thread.fields.statusAt ?? null, `thread resolved by ${named(who)}`);
  } else if (thread.fields.status === 'open' && wasResolved) {
    const who = thread.fields.statusBy?.delegation ?? 'Unknown';
    add('thread-opened', paragraphId, who, thread.fields.statusAt ?? null, `thread reopened by ${named(who)}`);
  }
}
