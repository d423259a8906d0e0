import * as Y from 'yjs';
import type { Unresolved } from '../schema/api.js';
import { BLOCK_INDENT_ATTR, BRACKET_MARK, type BracketMarkAttrs, type ParagraphStatus, type Resolution } from '../schema/negotiation.js';
import {
  BULLET_LIST_NODE,
  FOOTNOTE_NODE,
  FOOTNOTE_TEXT_ATTR,
  HARD_BREAK_NODE,
  HEADING_LEVEL_ATTR,
  ORDERED_LIST_NODE,
  ORDERED_LIST_START_ATTR,
  TEXT_BLOCKS,
} from '../schema/ydoc.js';
import { compactNames } from './bracket-positions.js';
import { listBracketGroups, type GroupView, type OptionView } from './brackets.js';
import { countedParagraphs, type Consensus } from './consensus.js';
import { effectiveStatus, paragraphStatuses } from './paragraph-status.js';
import { body, listBlocks } from './paragraphs.js';
import { readBracketMark, type OnDamaged } from './record-guards.js';

/**
 * The agreed form of a document: what stands once brackets are cleaned.
 * Resolved groups contribute the text they kept; open groups are reported, in
 * place and in a list, so an export can keep them bracketed or leave them out,
 * and say so. Nothing is dropped silently. Every export is laid out from this
 * (server/convert/export-model.ts), so the rules live here once.
 */

export type OpenGroupReport = {
  groupId: string;
  paragraphId: string | null;
  /** The paragraph's reference ("3.5 b)"), when it has a number. */
  ref: string | null;
  /** The delegations that bracketed the original text, in the order they did (none for a proposed insertion). */
  bracketedBy: string[];
  options: Array<Pick<OptionView, 'label' | 'kind' | 'text' | 'proponents' | 'supporters' | 'note'>>;
};

/** A block's content in order: text (marks as the body stores them, less the bracket), footnotes, line breaks, open groups. */
export type AgreedSegment =
  | { kind: 'text'; text: string; marks: Record<string, unknown> }
  | { kind: 'footnote'; text: string }
  | { kind: 'break' }
  /** An open group, once, where its text starts (its options' text is in the report). */
  | { kind: 'open'; group: OpenGroupReport };

/**
 * Where a block inside a list sits: nesting depth (0 = top list), the item's
 * number in an ordered list, which list it is (numbering restarts per list),
 * and whether the block starts its item (later blocks of an item carry no
 * bullet of their own).
 */
export type ListPosition = { ordered: boolean; depth: number; index: number; listId: number; first: boolean };

export type AgreedBlock = {
  id: string | null;
  num: string | null;
  ref: string | null;
  nodeName: string;
  level: number | null;
  /** Sub-item level (0 when not indented). */
  indent: number;
  list: ListPosition | null;
  /** The status as it reads now (effectiveStatus): an agreement whose text no longer matches is open. */
  status: ParagraphStatus;
  /** Whether the room counts it as a paragraph (countedBlocks: not a heading, title line or empty line). */
  counted: boolean;
  /** An agreement was recorded, but the text changed since: it is open again. */
  changedSinceAgreed: boolean;
  segments: AgreedSegment[];
};

/** The consensus figure's paragraph counts, by the same rule (consensus.ts). */
export type AgreedFigures = Pick<Consensus, 'paragraphs' | 'agreed' | 'agreedAdRef'>;

export type AgreedDocument = {
  blocks: AgreedBlock[];
  open: OpenGroupReport[];
  figures: AgreedFigures;
  /** Every counted paragraph agreed (ad referendum included), at least one of them, and no bracket open: only then is it an agreed text. */
  fullyAgreed: boolean;
};

const textBlocks = new Set<string>(TEXT_BLOCKS);

/**
 * The group a run's bracket mark stands for, with the mark: null when the run
 * has no mark, a malformed one, or one naming a group or an option that
 * cannot be read. Such text reads as plain text in every reader.
 */
function bracketOf(
  attributes: Record<string, unknown>,
  groups: Map<string, GroupView>,
): { mark: BracketMarkAttrs; group: GroupView } | null {
  const mark = readBracketMark(attributes[BRACKET_MARK]);
  if (!mark || mark === 'malformed') return null;
  const group = groups.get(mark.group);
  return group?.options.some((o) => o.id === mark.option) ? { mark, group } : null;
}

/** The agreed form of the document; damaged records are skipped, and reported to `onDamaged` when given. */
export function agreedDocument(doc: Y.Doc, onDamaged?: OnDamaged): AgreedDocument {
  const groups = new Map(listBracketGroups(doc, onDamaged).map((g) => [g.id, g]));
  const statuses = paragraphStatuses(doc, onDamaged);
  const lists = listPositions(doc);
  const open: OpenGroupReport[] = [];
  const reported = new Set<string>();
  const all = listBlocks(doc);
  const counted = new Map(countedParagraphs(all, (id) => statuses.get(id)).map((p) => [p.block.element, p]));
  const blocks = all.map((block): AgreedBlock => {
    const segments: AgreedSegment[] = [];
    for (const item of inlineItems(block.element)) {
      if (item.kind !== 'run') {
        segments.push(item);
        continue;
      }
      const { [BRACKET_MARK]: _bracket, ...marks } = item.attributes;
      const { mark, group } = bracketOf(item.attributes, groups) ?? {};
      if (!mark || !group) {
        segments.push({ kind: 'text', text: item.insert, marks });
        continue;
      }
      if (group.status === 'resolved') {
        if (keptBy(group.resolution, mark.option)) segments.push({ kind: 'text', text: item.insert, marks });
        continue;
      }
      // A group whose text runs on into another block (a paragraph split inside an option) is shown once, where it starts.
      if (reported.has(group.id)) continue;
      reported.add(group.id);
      const report: OpenGroupReport = {
        groupId: group.id,
        paragraphId: block.id,
        ref: block.ref,
        bracketedBy: group.bracketedBy.map((entry) => entry.delegation),
        options: group.options.map(({ label, kind, text, proponents, supporters, note }) => ({
          label,
          kind,
          text,
          proponents,
          supporters,
          note,
        })),
      };
      open.push(report);
      segments.push({ kind: 'open', group: report });
    }
    const level = block.element.getAttribute(HEADING_LEVEL_ATTR) as unknown;
    const paragraph = counted.get(block.element);
    const meta = block.id ? statuses.get(block.id) : undefined;
    return {
      id: block.id,
      num: block.num,
      ref: block.ref,
      nodeName: block.element.nodeName,
      level: typeof level === 'number' ? level : typeof level === 'string' ? Number(level) || null : null,
      indent: Math.max(0, Number(block.element.getAttribute(BLOCK_INDENT_ATTR) ?? 0) || 0),
      list: lists.get(block.element) ?? null,
      status: paragraph?.status ?? effectiveStatus(meta, block.element),
      counted: paragraph !== undefined,
      changedSinceAgreed: paragraph?.changed ?? false,
      segments: mergeText(segments),
    };
  });
  const paragraphs = blocks.filter((b) => b.counted);
  const figures: AgreedFigures = {
    paragraphs: paragraphs.length,
    agreed: paragraphs.filter((b) => b.status === 'agreed').length,
    agreedAdRef: paragraphs.filter((b) => b.status === 'agreed-ad-ref').length,
  };
  const fullyAgreed = figures.paragraphs > 0 && figures.agreed + figures.agreedAdRef === figures.paragraphs && open.length === 0;
  return { blocks, open, figures, fullyAgreed };
}

/**
 * Whether text still marked with an option of a resolved group stands: text
 * typed into an option while it was being resolved follows the resolution.
 * A resolved group with no resolution record cannot say what was kept, so its
 * claim on the text is not followed: the text reads as plain text, as under a
 * mark naming a group that cannot be read (record-guards.ts), and as the
 * editor shows it (no brackets). Dropping it would take words out of an
 * agreed text with no record of why.
 */
function keptBy(resolution: Resolution | null, option: string): boolean {
  if (!resolution) return true;
  return resolution.outcome === 'compromise' || (resolution.outcome === 'chosen' && resolution.chosenOptionId === option);
}

type InlineItem = { kind: 'run'; insert: string; attributes: Record<string, unknown> } | { kind: 'footnote'; text: string } | { kind: 'break' };

/** A block's children in order: text runs with their formatting, and the inline atoms between them (other elements are not content). */
function inlineItems(element: Y.XmlElement): InlineItem[] {
  const items: InlineItem[] = [];
  for (const child of element.toArray()) {
    if (child instanceof Y.XmlText) {
      for (const op of child.toDelta() as Array<{ insert: unknown; attributes?: Record<string, unknown> }>) {
        if (typeof op.insert === 'string') items.push({ kind: 'run', insert: op.insert, attributes: op.attributes ?? {} });
      }
    } else if (child instanceof Y.XmlElement) {
      if (child.nodeName === FOOTNOTE_NODE) items.push({ kind: 'footnote', text: String(child.getAttribute(FOOTNOTE_TEXT_ATTR) ?? '') });
      else if (child.nodeName === HARD_BREAK_NODE) items.push({ kind: 'break' });
    }
  }
  return items;
}

/** The list position of every text block inside a list, by element. */
function listPositions(doc: Y.Doc): Map<Y.XmlElement, ListPosition> {
  const positions = new Map<Y.XmlElement, ListPosition>();
  let lists = 0;
  const visit = (parent: Y.XmlFragment | Y.XmlElement, list: ListPosition | null) => {
    let blocks = 0;
    for (const child of parent.toArray()) {
      if (!(child instanceof Y.XmlElement)) continue;
      const name = child.nodeName;
      if (name === BULLET_LIST_NODE || name === ORDERED_LIST_NODE) {
        const start = Number(child.getAttribute(ORDERED_LIST_START_ATTR) ?? 1) || 1;
        const position = { ordered: name === ORDERED_LIST_NODE, depth: list ? list.depth + 1 : 0, index: start, listId: ++lists, first: true };
        let n = start;
        for (const item of child.toArray()) if (item instanceof Y.XmlElement) visit(item, { ...position, index: n++ });
      } else if (textBlocks.has(name)) {
        if (list) positions.set(child, { ...list, first: blocks === 0 });
        blocks++;
      } else {
        visit(child, list);
      }
    }
  };
  visit(body(doc), null);
  return positions;
}

function mergeText(segments: AgreedSegment[]): AgreedSegment[] {
  const out: AgreedSegment[] = [];
  for (const s of segments) {
    const prev = out[out.length - 1];
    if (s.kind === 'text' && prev?.kind === 'text' && sameMarks(prev.marks, s.marks)) prev.text += s.text;
    else out.push(s.kind === 'text' ? { ...s } : s);
  }
  return out;
}

function sameMarks(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** An option as the notation and the notes read it: an open group's, or one of a resolution record. */
type NotedOption = Pick<OptionView, 'label' | 'kind' | 'text' | 'proponents' | 'supporters'> & { note?: string };

/** What stands where the text of an open bracket was left out of an agreed text, so no sentence reads whole when it is not. */
export const OMITTED_TEXT = '[...]';

/** "proposed by Egypt; supported by Brazil, China": who stands behind an option, every delegation named. */
function backers(option: Pick<NotedOption, 'proponents' | 'supporters'>): string {
  return [
    option.proponents.length ? `proposed by ${option.proponents.join(', ')}` : '',
    option.supporters.length ? `supported by ${option.supporters.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join('; ');
}

/** An option's words in running text: its text, or "delete" for the proposal to delete the text. */
function optionWords(option: Pick<NotedOption, 'kind' | 'text'>): string {
  return option.kind === 'delete' ? 'delete' : option.text;
}

/**
 * How an open bracket reads in running text, as in a compilation text:
 * `[original text / alternative text (Egypt, Brazil) / delete (United States)]`.
 * The original text is proposed by nobody, so nobody is named after it; an
 * alternative and the deletion name their proponents, shortened to "Egypt,
 * Kenya (+3)" when many: the bracket's note (attributionNote) names everyone.
 */
export function bracketNotation(group: { options: readonly NotedOption[] }): string {
  const { lead, words, trail } = bracketWords(group);
  const parts = group.options.map((o, i) => {
    const who = o.kind === 'original' ? '' : compactNames(o.proponents);
    return who ? `${words[i]} (${who})` : words[i];
  });
  return `${lead}[${parts.join(' / ')}]${trail}`;
}

/**
 * Each option's words, trimmed, and the spaces that stand between the group
 * and its neighbours in the body (before the first option's text, after the
 * last one's), which go outside the brackets: a proposed insertion
 * " in Geneva" reads "met [in Geneva (Egypt)]", not "met[ in Geneva (Egypt)]".
 */
export function bracketWords(group: { options: readonly NotedOption[] }): { lead: string; words: string[]; trail: string } {
  const texts = group.options.filter((o) => o.kind !== 'delete').map((o) => o.text);
  const lead = /^\s*/.exec(texts[0] ?? '')![0];
  const trail = texts.length && texts[texts.length - 1]!.trim() ? /\s*$/.exec(texts[texts.length - 1]!)![0] : '';
  return { lead, words: group.options.map((o) => optionWords(o).trim()), trail };
}

/** What stands where an open group was left out: "[...]", keeping the spaces around the group's text. */
export function omission(group: { options: readonly NotedOption[] }): string {
  const { lead, trail } = bracketWords(group);
  return `${lead}${OMITTED_TEXT}${trail}`;
}

/** An option's text inside a note: quoted, and cut when long (the text itself stands in the paragraph). */
function quoted(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return `“${flat.length > 60 ? `${flat.slice(0, 57).trimEnd()}…` : flat}”`;
}

/**
 * The record of a bracket for its note (a footnote in Word, a note in the
 * other formats): who bracketed the text, then each option with who proposes
 * and who supports it, every delegation named. "Bracketed by Brazil, Kenya.
 * A (original text) “every year”. B “every two years”: proposed by Egypt;
 * supported by Brazil. C (delete): proposed by United States." A resolution
 * record (its `options` and `bracketedBy`) reads the same way.
 */
export function attributionNote(group: { bracketedBy: readonly string[]; options: readonly NotedOption[] }): string {
  const sentences: string[] = [];
  if (group.bracketedBy.length) sentences.push(`Bracketed by ${group.bracketedBy.join(', ')}.`);
  else if (!group.options.some((o) => o.kind === 'original')) sentences.push('Proposed insertion.');
  for (const o of group.options) {
    const what = o.kind === 'original' ? `${o.label} (original text) ${quoted(o.text)}` : o.kind === 'delete' ? `${o.label} (delete)` : `${o.label} ${quoted(o.text)}`;
    const who = backers(o);
    sentences.push(who ? `${what}: ${who}.` : `${what}.`);
    const note = o.note?.replace(/\s+/g, ' ').trim();
    if (note) sentences.push(`Note on ${o.label}: ${note}`);
  }
  return sentences.join(' ');
}

/** One option in a list of what is open (the export dialog, `npm run export`): `B “every two years” (United States)`. */
export function optionSummary(option: NotedOption): string {
  const words = option.kind === 'delete' ? 'delete' : quoted(option.text);
  const who = option.kind === 'original' ? 'original text' : option.proponents.join(', ');
  return `${option.label} ${words}${who ? ` (${who})` : ''}`;
}

/**
 * The agreed text as plain lines, "num<TAB>text"; open groups kept bracketed
 * as in the compilation text, or left out with "[...]" in their place. A line
 * break reads as a space (one paragraph a line); footnotes and the brackets'
 * notes are notes, not running text, and are left to the exports.
 */
export function agreedPlainText(agreed: AgreedDocument, unresolved: Unresolved): string {
  return agreed.blocks
    .map((block) => {
      const text = block.segments
        .map((s) => {
          if (s.kind === 'text') return s.text;
          if (s.kind === 'break') return ' ';
          if (s.kind === 'open') return unresolved === 'keep' ? bracketNotation(s.group) : omission(s.group);
          return '';
        })
        .join('');
      return block.num ? `${block.num}\t${text}` : text;
    })
    .join('\n');
}
