import type * as Y from 'yjs';
import {
  agreedDocument,
  type AgreedBlock,
  type AgreedSegment,
  type ListPosition,
  type OpenGroupReport,
} from '../../shared/model/agreed-text.js';
import { listThreads, type ThreadView } from '../../shared/model/comments.js';
import type { ExportVersion, OpenBracket, Unresolved } from '../../shared/schema/api.js';
import type { ParagraphStatus } from '../../shared/schema/negotiation.js';
import {
  BOLD_MARK,
  HEADING_NODE,
  ITALIC_MARK,
  LINK_HREF_ATTR,
  LINK_MARK,
  MAX_HEADING_LEVEL,
  UNDERLINE_MARK,
} from '../../shared/schema/ydoc.js';
import { UnresolvedBracketsError } from '../errors.js';
import type { Marks } from './import-model.js';

/**
 * The document as every exporter sees it: the shared model's agreed text
 * (shared/model/agreed-text.ts: what stands, where each open group is) with
 * what a file needs beside it: the version asked for, the first page's
 * notices, typed marks, and each paragraph's comment threads. What an agreed
 * or a compilation text holds is decided by the model alone; this file and
 * the exporters only lay it out.
 */


export type ExportOptions = {
  version: ExportVersion;
  /** How open brackets go into an agreed text; absent = refuse (UnresolvedBracketsError). */
  unresolved?: Unresolved | undefined;
  comments: boolean;
  title: string;
  date?: Date;
};

/** The model's segments, with marks typed; an open group left out of the text is not among them. */
export type ExportInline = Exclude<AgreedSegment, { kind: 'text' }> | { kind: 'text'; text: string; marks: Marks };

export type ExportBlock = {
  id: string | null;
  num: string | null;
  ref: string | null;
  kind: 'paragraph' | 'heading';
  level: number;
  indent: number;
  /** Set for blocks inside a list (see ListPosition). */
  list: ListPosition | null;
  status: ParagraphStatus;
  inlines: ExportInline[];
  threads: ThreadView[];
};

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

const VERSION_LABELS: Record<ExportVersion, string> = {
  agreed: 'Agreed text',
  bracketed: 'Compilation text with square brackets',
};

/** Where a group is, for a person: "3.5 b)", or "paragraph 12" when unnumbered. */
function whereIs(group: OpenGroupReport, blocks: ExportBlock[]): string {
  if (group.ref) return group.ref;
  const index = blocks.findIndex((b) => b.id === group.paragraphId);
  return index >= 0 ? `paragraph ${index + 1}` : 'a deleted paragraph';
}

/** The 409 payload (UnresolvedBracketsBody's `open`): what is still open, where, and who proposed what. */
function describeOpen(open: OpenGroupReport[]): OpenBracket[] {
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
  const blocks = agreed.blocks.map((block) => exportBlock(block, omit, block.id ? (byParagraph.get(block.id) ?? []) : []));

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

function exportBlock(block: AgreedBlock, omit: boolean, threads: ThreadView[]): ExportBlock {
  return {
    id: block.id,
    num: block.num,
    ref: block.ref,
    kind: block.nodeName === HEADING_NODE ? 'heading' : 'paragraph',
    level: Math.min(MAX_HEADING_LEVEL, Math.max(1, block.level ?? 1)),
    indent: block.indent,
    list: block.list,
    status: block.status,
    inlines: block.segments.flatMap((s): ExportInline[] => {
      if (s.kind === 'text') return [{ kind: 'text', text: s.text, marks: marksOf(s.marks) }];
      if (s.kind === 'open' && omit) return [];
      return [s];
    }),
    threads,
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

/** The marks the formats write, from the body's formatting attributes (build-ydoc.ts writes them back). */
function marksOf(attrs: Record<string, unknown>): Marks {
  const marks: Marks = {};
  if (attrs[BOLD_MARK]) marks.bold = true;
  if (attrs[ITALIC_MARK]) marks.italic = true;
  if (attrs[UNDERLINE_MARK]) marks.underline = true;
  const link = attrs[LINK_MARK] as Record<string, unknown> | null | undefined;
  const href = link?.[LINK_HREF_ATTR];
  if (typeof href === 'string') marks.link = href;
  return marks;
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) map.set(key(item), [...(map.get(key(item)) ?? []), item]);
  return map;
}

export const STATUS_LABELS: Record<ParagraphStatus, string | null> = {
  open: null,
  agreed: '(agreed)',
  'agreed-ad-ref': '(agreed ad referendum)',
};
