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
import { listBracketGroups, type GroupView, type OptionView } from './brackets.js';
import { paragraphStatuses } from './paragraph-status.js';
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
  status: ParagraphStatus;
  segments: AgreedSegment[];
};

export type AgreedDocument = { blocks: AgreedBlock[]; open: OpenGroupReport[] };

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
  const blocks = listBlocks(doc).map((block): AgreedBlock => {
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
    return {
      id: block.id,
      num: block.num,
      ref: block.ref,
      nodeName: block.element.nodeName,
      level: typeof level === 'number' ? level : typeof level === 'string' ? Number(level) || null : null,
      indent: Math.max(0, Number(block.element.getAttribute(BLOCK_INDENT_ATTR) ?? 0) || 0),
      list: lists.get(block.element) ?? null,
      status: (block.id ? statuses.get(block.id)?.status : undefined) ?? 'open',
      segments: mergeText(segments),
    };
  });
  return { blocks, open };
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

type Backed = { proponents: string[]; supporters: string[] };

/** "Egypt; supported by China, Brazil": who stands behind an option. */
export function backers(option: Backed): string {
  return [option.proponents.join(', '), option.supporters.length ? `supported by ${option.supporters.join(', ')}` : '']
    .filter(Boolean)
    .join('; ');
}

/** An option's words in running text: its text, or "(delete)" for the retain-or-delete option. */
export function optionWords(option: Pick<OptionView, 'kind' | 'text'>): string {
  return option.kind === 'delete' ? '(delete)' : option.text;
}

/** Whom the notation names after each option: nobody, its proponents, or its proponents and supporters. */
export type Credit = 'none' | 'proponents' | 'backers';

/**
 * How an open bracket reads in running text: `[A text / B text]`, each option
 * followed by who stands behind it when asked, "(delete)" for retain-or-delete.
 */
export function bracketNotation(group: OpenGroupReport, credit: Credit): string {
  const parts = group.options.map((o) => {
    const who = credit === 'backers' ? backers(o) : credit === 'proponents' ? o.proponents.join(', ') : '';
    return who ? `${optionWords(o)} (${who})` : optionWords(o);
  });
  return `[${parts.join(' / ')}]`;
}

/**
 * The agreed text as plain lines, "num<TAB>text"; open groups kept bracketed
 * with their proponents, or left out. A line break reads as a space (one
 * paragraph a line); footnotes are notes, not running text, and are left to
 * the exports.
 */
export function agreedPlainText(agreed: AgreedDocument, unresolved: Unresolved): string {
  return agreed.blocks
    .map((block) => {
      const text = block.segments
        .map((s) => {
          if (s.kind === 'text') return s.text;
          if (s.kind === 'break') return ' ';
          if (s.kind === 'open') return unresolved === 'keep' ? bracketNotation(s.group, 'proponents') : '';
          return '';
        })
        .join('');
      return block.num ? `${block.num}\t${text}` : text;
    })
    .join('\n');
}
