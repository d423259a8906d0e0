import type * as Y from 'yjs';
import {
  agreedDocument,
  OMITTED_TEXT,
  type AgreedBlock,
  type AgreedFigures,
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
 *
 * An agreed text is honest about itself: it is titled "Agreed text" only when
 * every paragraph the room counts is agreed and no bracket is open; otherwise
 * it is a draft ("Draft text: 12 of 150 paragraphs agreed") and each counted
 * paragraph that is not agreed carries NOT_AGREED_FLAG. Open brackets are
 * kept as in the compilation text, or left out with "[...]" in their place.
 */

export type ExportOptions = {
  version: ExportVersion;
  /** How open brackets go into an agreed text; absent = refuse (UnresolvedBracketsError). */
  unresolved?: Unresolved | undefined;
  comments: boolean;
  title: string;
  date?: Date;
};

/**
 * The model's segments, with marks typed. An open group is `open` where it is
 * shown (the notation, then its note) and `omitted` where an agreed text
 * leaves it out (OMITTED_TEXT stands there).
 */
export type ExportInline =
  | Exclude<AgreedSegment, { kind: 'text' }>
  | { kind: 'text'; text: string; marks: Marks }
  | { kind: 'omitted'; group: OpenGroupReport };

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
  /** Shown before the text: NOT_AGREED_FLAG on a counted paragraph of a draft that is not agreed. */
  flag: string | null;
  /** Shown after the text: the status in the compilation ("(agreed)"), ad referendum in an agreed text. */
  statusLabel: string | null;
  inlines: ExportInline[];
  threads: ThreadView[];
};

export type ExportDocument = {
  title: string;
  version: ExportVersion;
  /** "Agreed text", "Draft text: 12 of 150 paragraphs agreed" or "Compilation text with square brackets". */
  versionLabel: string;
  /** An agreed-text export of a text that is not all agreed (see versionLabel). */
  draft: boolean;
  date: Date;
  /** Lines for the first page, said plainly: how far from agreed, what is marked, open or omitted brackets and where. */
  notices: string[];
  /** Open groups in document order (also those left out). */
  open: OpenGroupReport[];
  blocks: ExportBlock[];
  /** Threads whose paragraph is gone: printed at the end so no remark is lost. */
  orphanThreads: ThreadView[];
  comments: boolean;
};

/** What marks a counted paragraph of a draft that is not agreed, in every format (in parentheses: square brackets mean disputed words). */
export const NOT_AGREED_FLAG = '(Not agreed)';

/** A paragraph's status after its text: every status in the compilation, ad referendum in an agreed text. */
const STATUS_LABELS: Record<ParagraphStatus, string | null> = {
  open: null,
  agreed: '(agreed)',
  'agreed-ad-ref': '(agreed ad referendum)',
};

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "12 of 150 paragraphs agreed (3 ad referendum)": the consensus figure, in words. */
function figuresText(figures: AgreedFigures): string {
  const adRef = figures.agreedAdRef ? ` (${figures.agreedAdRef} ad referendum)` : '';
  return `${figures.agreed + figures.agreedAdRef} of ${plural(figures.paragraphs, 'paragraph')} agreed${adRef}`;
}

function versionLabel(version: ExportVersion, draft: boolean, figures: AgreedFigures): string {
  if (version === 'bracketed') return 'Compilation text with square brackets';
  return draft ? `Draft text: ${figuresText(figures)}` : 'Agreed text';
}

/** Where a paragraph is, for a person: "3.5 b)", or "paragraph 12" when unnumbered. */
function whereIs(ref: string | null, paragraphId: string | null, blocks: ExportBlock[]): string {
  if (ref) return ref;
  const index = blocks.findIndex((b) => b.id === paragraphId);
  return index >= 0 ? `paragraph ${index + 1}` : 'a deleted paragraph';
}

/** The 409 payload (UnresolvedBracketsBody's `open`): what is still open, where, and who proposed what. */
function describeOpen(open: OpenGroupReport[]): OpenBracket[] {
  return open.map((g) => ({
    ref: g.ref,
    paragraphId: g.paragraphId,
    bracketedBy: g.bracketedBy,
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
  const draft = options.version === 'agreed' && !agreed.fullyAgreed;
  const threads = options.comments ? listThreads(doc).filter((t) => t.messages.some((m) => !m.deleted)) : [];
  const byParagraph = groupBy(threads.filter((t) => !t.orphaned), (t) => t.paragraphId);
  const blocks = agreed.blocks.map((block) =>
    exportBlock(block, options.version, omit, block.id ? (byParagraph.get(block.id) ?? []) : []),
  );

  return {
    title: options.title,
    version: options.version,
    versionLabel: versionLabel(options.version, draft, agreed.figures),
    draft,
    date: options.date ?? new Date(),
    notices: notices(agreed.open, agreed.blocks, blocks, options, agreed.figures),
    open: agreed.open,
    blocks,
    orphanThreads: threads.filter((t) => t.orphaned),
    comments: options.comments,
  };
}

function exportBlock(block: AgreedBlock, version: ExportVersion, omit: boolean, threads: ThreadView[]): ExportBlock {
  const agreedText = version === 'agreed';
  return {
    id: block.id,
    num: block.num,
    ref: block.ref,
    kind: block.nodeName === HEADING_NODE ? 'heading' : 'paragraph',
    level: Math.min(MAX_HEADING_LEVEL, Math.max(1, block.level ?? 1)),
    indent: block.indent,
    list: block.list,
    status: block.status,
    flag: agreedText && block.counted && block.status === 'open' ? NOT_AGREED_FLAG : null,
    statusLabel: agreedText ? (block.status === 'agreed-ad-ref' ? STATUS_LABELS[block.status] : null) : STATUS_LABELS[block.status],
    inlines: block.segments.map((s): ExportInline => {
      if (s.kind === 'text') return { kind: 'text', text: s.text, marks: marksOf(s.marks) };
      if (s.kind === 'open' && omit) return { kind: 'omitted', group: s.group };
      return s;
    }),
    threads,
  };
}

/** The first page's statements: how far from agreed the text is, and what was done with the open brackets. */
function notices(
  open: OpenGroupReport[],
  agreed: AgreedBlock[],
  blocks: ExportBlock[],
  options: ExportOptions,
  figures: AgreedFigures,
): string[] {
  const n = open.length;
  const brackets = plural(n, 'unresolved bracket');
  if (options.version === 'bracketed') {
    return [`${figuresText(figures)}.`, ...(n ? [`This compilation contains ${brackets}.`] : [])];
  }
  const lines: string[] = [];
  const notAgreed = blocks.filter((b) => b.flag).length;
  if (notAgreed) {
    lines.push(`${notAgreed === 1 ? 'The paragraph' : `The ${notAgreed} paragraphs`} not agreed ${notAgreed === 1 ? 'is' : 'are'} marked ${NOT_AGREED_FLAG}.`);
  }
  const changed = agreed.filter((b) => b.changedSinceAgreed).map((b) => whereIs(b.ref, b.id, blocks));
  if (changed.length) lines.push(`Changed since agreed, hence not agreed: ${changed.join(', ')}.`);
  if (n === 0) return lines;
  if (options.unresolved === 'keep') {
    lines.push(`This text contains ${brackets}, shown in square brackets as in the compilation text; the notes say who bracketed and proposed what.`);
  } else {
    const places = [...new Set(open.map((g) => whereIs(g.ref, g.paragraphId, blocks)))].join(', ');
    lines.push(`This text leaves out ${brackets} on which there is no agreement, each marked ${OMITTED_TEXT}, in: ${places}.`);
  }
  return lines;
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
