import * as Y from 'yjs';
import { agreedDocument, bracketOf, type OpenGroupReport } from '../../shared/model/agreed-text.js';
import { listBracketGroups, type GroupView } from '../../shared/model/brackets.js';
import { listThreads, type ThreadView } from '../../shared/model/comments.js';
import { paragraphStatuses } from '../../shared/model/paragraph-status.js';
import { body, listBlocks, type Block } from '../../shared/model/paragraphs.js';
import { BLOCK_ID_ATTR, BLOCK_INDENT_ATTR, type ParagraphStatus, type Resolution } from '../../shared/schema/negotiation.js';
import { TEXT_BLOCKS } from '../../shared/schema/ydoc.js';
import { UnresolvedBracketsError } from '../errors.js';
import { FOOTNOTE_NODE, FOOTNOTE_TEXT_ATTR, HARD_BREAK_NODE } from './build-ydoc.js';
import type { Marks } from './import-model.js';

/**
 * The document as every exporter sees it: blocks in order with their number,
 * list position and inline content, where each open bracket group is one
 * inline (rendered by the format) and resolved groups are plain text. The
 * rules of what an agreed or a compilation text holds live here, once, and
 * the exporters only lay it out.
 */

export type ExportVersion = 'agreed' | 'bracketed';
export type Unresolved = 'keep' | 'omit';

export type ExportOptions = {
  version: ExportVersion;
  /** How open brackets go into an agreed text; absent = refuse (UnresolvedBracketsError). */
  unresolved?: Unresolved | undefined;
  comments: boolean;
  title: string;
  date?: Date;
};

export type ExportInline =
  | { kind: 'text'; text: string; marks: Marks }
  | { kind: 'footnote'; text: string }
  | { kind: 'break' }
  | { kind: 'bracket'; group: OpenGroupReport };

export type ExportBlock = {
  id: string | null;
  num: string | null;
  ref: string | null;
  kind: 'paragraph' | 'heading';
  level: number;
  indent: number;
  /**
   * Set for blocks inside a list: nesting depth (0 = top list), the item's
   * number in an ordered list, and whether this block starts the item (later
   * paragraphs of an item carry no bullet of their own).
   */
  list: ListPosition | null;
  status: ParagraphStatus;
  inlines: ExportInline[];
  threads: ThreadView[];
};

export type ListPosition = { ordered: boolean; depth: number; index: number; listId: number; first: boolean };

export type ExportDocument = {
  title: string;
  version: ExportVersion;
  versionLabel: string;
  date: Date;
  /** Lines for the first page: open or omitted brackets, said plainly. */
  notices: string[];
  /** Open groups in document order (also those left out). */
  open: OpenGroupReport[];
  blocks: ExportBlock[];
  /** Threads whose paragraph is gone: printed at the end so no remark is lost. */
  orphanThreads: ThreadView[];
  comments: boolean;
};

export const VERSION_LABELS: Record<ExportVersion, string> = {
  agreed: 'Agreed text',
  bracketed: 'Compilation text with square brackets',
};

const textBlocks = new Set<string>(TEXT_BLOCKS);

/** Where a group is, for a person: "3.5 b)", or "paragraph 12" when unnumbered. */
export function whereIs(group: OpenGroupReport, blocks: ExportBlock[]): string {
  if (group.ref) return group.ref;
  const index = blocks.findIndex((b) => b.id === group.paragraphId);
  return index >= 0 ? `paragraph ${index + 1}` : 'a deleted paragraph';
}

/** The 409 payload: what is still open, where, and who proposed what. */
export function describeOpen(open: OpenGroupReport[]) {
  return open.map((g) => ({
    ref: g.ref,
    paragraphId: g.paragraphId,
    options: g.options.map((o) => ({
      label: o.label,
      text: o.kind === 'delete' ? '' : o.text,
      kind: o.kind,
      proponents: o.proponents,
      supporters: o.supporters,
    })),
  }));
}

export function buildExport(doc: Y.Doc, options: ExportOptions): ExportDocument {
  const agreed = agreedDocument(doc);
  const reports = new Map(agreed.open.map((g) => [g.groupId, g]));
  // Only the records that can be read (see shared/model/record-guards.ts): text under a mark that points nowhere is plain text.
  const groups = new Map(listBracketGroups(doc).map((g) => [g.id, g]));
  const statuses = paragraphStatuses(doc);
  if (options.version === 'agreed' && agreed.open.length > 0 && !options.unresolved) {
    const n = agreed.open.length;
    throw new UnresolvedBracketsError(
      `This text still has ${n} open bracket${n === 1 ? '' : 's'}: resolve ${n === 1 ? 'it' : 'them'} first, or export keeping or omitting ${n === 1 ? 'it' : 'them'}.`,
      describeOpen(agreed.open),
    );
  }
  const omit = options.version === 'agreed' && options.unresolved === 'omit';
  const threads = options.comments ? listThreads(doc).filter((t) => t.messages.some((m) => !m.deleted)) : [];
  const byParagraph = groupBy(threads.filter((t) => !t.orphaned), (t) => t.paragraphId);
  const refs = new Map<Y.XmlElement, Block>(listBlocks(doc).map((b) => [b.element, b]));

  const blocks: ExportBlock[] = [];
  let listCount = 0;
  const visit = (parent: Y.XmlFragment | Y.XmlElement, list: ExportBlock['list']) => {
    let index = 0;
    for (const child of parent.toArray()) {
      if (!(child instanceof Y.XmlElement)) continue;
      const name = child.nodeName;
      if (name === 'bulletList' || name === 'orderedList') {
        const start = Number(child.getAttribute('start') ?? 1) || 1;
        const depth = list ? list.depth + 1 : 0;
        listCount++;
        visitList(child, { ordered: name === 'orderedList', depth, index: start, listId: listCount, first: true });
      } else if (textBlocks.has(name)) {
        const block = refs.get(child);
        const id = (child.getAttribute(BLOCK_ID_ATTR) as string | undefined) ?? null;
        blocks.push({
          id,
          num: block?.num ?? null,
          ref: block?.ref ?? null,
          kind: name === 'heading' ? 'heading' : 'paragraph',
          level: Math.min(3, Math.max(1, Number(child.getAttribute('level') ?? 1) || 1)),
          indent: Math.max(0, Number(child.getAttribute(BLOCK_INDENT_ATTR) ?? 0) || 0),
          list: list ? { ...list, first: index === 0 } : null,
          status: (id ? statuses.get(id)?.status : undefined) ?? 'open',
          inlines: inlinesOf(child, reports, groups, omit),
          threads: id ? (byParagraph.get(id) ?? []) : [],
        });
        index++;
      } else {
        visit(child, list);
      }
    }
  };
  const visitList = (listEl: Y.XmlElement, list: NonNullable<ExportBlock['list']>) => {
    let n = list.index;
    for (const item of listEl.toArray()) {
      if (item instanceof Y.XmlElement) visit(item, { ...list, index: n++ });
    }
  };
  visit(body(doc), null);

  return {
    title: options.title,
    version: options.version,
    versionLabel: VERSION_LABELS[options.version],
    date: options.date ?? new Date(),
    notices: notices(agreed.open, blocks, options),
    open: agreed.open,
    blocks,
    orphanThreads: threads.filter((t) => t.orphaned),
    comments: options.comments,
  };
}

function notices(open: OpenGroupReport[], blocks: ExportBlock[], options: ExportOptions): string[] {
  const n = open.length;
  if (n === 0) return [];
  const brackets = `${n} unresolved bracket${n === 1 ? '' : 's'}`;
  if (options.version === 'bracketed') return [`This compilation contains ${brackets}.`];
  if (options.unresolved === 'keep') return [`This text contains ${brackets}, shown in square brackets with their proponents.`];
  const places = [...new Set(open.map((g) => whereIs(g, blocks)))].join(', ');
  return [`This text leaves out ${brackets} on which there is no agreement, in: ${places}.`];
}

/** A block's content in order: text runs, footnotes, line breaks, and each open group once where it starts. */
function inlinesOf(
  element: Y.XmlElement,
  reports: Map<string, OpenGroupReport>,
  groups: Map<string, GroupView>,
  omit: boolean,
): ExportInline[] {
  const out: ExportInline[] = [];
  const placed = new Set<string>();
  for (const child of element.toArray()) {
    if (child instanceof Y.XmlElement) {
      if (child.nodeName === FOOTNOTE_NODE) out.push({ kind: 'footnote', text: String(child.getAttribute(FOOTNOTE_TEXT_ATTR) ?? '') });
      else if (child.nodeName === HARD_BREAK_NODE) out.push({ kind: 'break' });
      continue;
    }
    if (!(child instanceof Y.XmlText)) continue;
    for (const op of child.toDelta() as Array<{ insert: unknown; attributes?: Record<string, unknown> }>) {
      if (typeof op.insert !== 'string') continue;
      const attrs = op.attributes ?? {};
      const bracket = bracketOf(attrs, groups);
      const report = bracket ? reports.get(bracket.group.id) : undefined;
      if (bracket && report) {
        if (!omit && !placed.has(report.groupId)) out.push({ kind: 'bracket', group: report });
        placed.add(report.groupId);
        continue;
      }
      if (bracket && bracket.group.status === 'resolved' && !keptBy(bracket.group.resolution, bracket.mark.option)) continue;
      out.push({ kind: 'text', text: op.insert, marks: marksOf(attrs) });
    }
  }
  return out;
}

/** Same rule as shared/model/agreed-text.ts: text typed into an option while it was resolved follows the resolution. */
function keptBy(resolution: Resolution | null, option: string): boolean {
  if (!resolution) return true;
  return resolution.outcome === 'compromise' || (resolution.outcome === 'chosen' && resolution.chosenOptionId === option);
}

function marksOf(attrs: Record<string, unknown>): Marks {
  const marks: Marks = {};
  if (attrs.bold) marks.bold = true;
  if (attrs.italic) marks.italic = true;
  if (attrs.underline) marks.underline = true;
  const link = attrs.link as { href?: unknown } | null | undefined;
  if (link && typeof link.href === 'string') marks.link = link.href;
  return marks;
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) map.set(key(item), [...(map.get(key(item)) ?? []), item]);
  return map;
}

/** "Egypt; supported by China, Brazil" — who stands behind an option. */
export function backers(option: { proponents: string[]; supporters: string[] }): string {
  const parts = [option.proponents.join(', '), option.supporters.length ? `supported by ${option.supporters.join(', ')}` : '']
    .filter(Boolean)
    .join('; ');
  return parts;
}

export const STATUS_LABELS: Record<ParagraphStatus, string | null> = {
  open: null,
  agreed: '(agreed)',
  'agreed-ad-ref': '(agreed ad referendum)',
};

/** The plain text of a block's inlines, for formats and checks that need no layout. */
export function inlineText(inlines: ExportInline[], bracket: (group: OpenGroupReport) => string): string {
  return inlines
    .map((i) => (i.kind === 'text' ? i.text : i.kind === 'bracket' ? bracket(i.group) : i.kind === 'break' ? '\n' : ''))
    .join('');
}
