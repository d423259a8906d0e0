import * as Y from 'yjs';
import { BRACKET_MARK, type BracketMarkAttrs, type ParagraphStatus, type Resolution } from '../schema/negotiation.js';
import { listBracketGroups, type GroupView, type OptionView } from './brackets.js';
import { paragraphStatuses } from './paragraph-status.js';
import { listBlocks } from './paragraphs.js';
import { readBracketMark, type OnDamaged } from './record-guards.js';
import { textRuns } from './text-runs.js';

/**
 * The agreed form of a document: what stands once brackets are cleaned.
 * Resolved groups contribute the text they kept; open groups are reported, in
 * place and in a list, so an export can keep them bracketed or leave them out,
 * and say so. Nothing is dropped silently.
 */

export type OpenGroupReport = {
  groupId: string;
  paragraphId: string | null;
  /** The paragraph's reference ("3.5 b)"), when it has a number. */
  ref: string | null;
  options: Array<Pick<OptionView, 'label' | 'kind' | 'text' | 'proponents' | 'supporters' | 'note'>>;
};

export type AgreedSegment =
  | { kind: 'text'; text: string; marks: Record<string, unknown> }
  | { kind: 'open'; group: OpenGroupReport };

export type AgreedBlock = {
  id: string | null;
  num: string | null;
  ref: string | null;
  nodeName: string;
  level: number | null;
  status: ParagraphStatus;
  segments: AgreedSegment[];
};

export type AgreedDocument = { blocks: AgreedBlock[]; open: OpenGroupReport[] };

/**
 * The group a run's bracket mark stands for, with the mark: null when the run
 * has no mark, a malformed one, or one naming a group or an option that
 * cannot be read. Such text reads as plain text in every reader (the exports
 * use this too).
 */
export function bracketOf(
  attributes: Record<string, unknown>,
  groups: Map<string, GroupView>,
): { mark: BracketMarkAttrs; group: GroupView } | null {
  const mark = readBracketMark(attributes[BRACKET_MARK]);
  if (!mark || mark === 'malformed') return null;
  const group = groups.get(mark.group);
  return group && group.options.some((o) => o.id === mark.option) ? { mark, group } : null;
}

/** The agreed form of the document; damaged records are skipped, and reported to `onDamaged` when given. */
export function agreedDocument(doc: Y.Doc, onDamaged?: OnDamaged): AgreedDocument {
  const groups = new Map(listBracketGroups(doc, onDamaged).map((g) => [g.id, g]));
  const statuses = paragraphStatuses(doc, onDamaged);
  const open: OpenGroupReport[] = [];
  const reported = new Set<string>();
  const blocks = listBlocks(doc).map((block): AgreedBlock => {
    const segments: AgreedSegment[] = [];
    for (const run of textRuns(block.element)) {
      const { [BRACKET_MARK]: _bracket, ...marks } = run.attributes;
      const { mark, group } = bracketOf(run.attributes, groups) ?? {};
      if (!mark || !group) {
        segments.push({ kind: 'text', text: run.insert, marks });
        continue;
      }
      if (group.status === 'resolved') {
        // Text typed into an option while it was being resolved: it follows the resolution.
        if (keptBy(group.resolution, mark.option)) segments.push({ kind: 'text', text: run.insert, marks });
        continue;
      }
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
    const level = block.element.getAttribute('level') as unknown;
    return {
      id: block.id,
      num: block.num,
      ref: block.ref,
      nodeName: block.element.nodeName,
      level: typeof level === 'number' ? level : typeof level === 'string' ? Number(level) || null : null,
      status: (block.id ? statuses.get(block.id)?.status : undefined) ?? 'open',
      segments: mergeText(segments),
    };
  });
  return { blocks, open };
}

function keptBy(resolution: Resolution | null, option: string): boolean {
  if (!resolution) return false;
  return resolution.outcome === 'compromise' || (resolution.outcome === 'chosen' && resolution.chosenOptionId === option);
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

/** How an open bracket reads in running text: `[A text / B text]`, or `[text]` for retain-or-delete. */
export function bracketNotation(group: OpenGroupReport, withProponents: boolean): string {
  const parts = group.options.map((o) => {
    const text = o.kind === 'delete' ? '(delete)' : o.text;
    return withProponents && o.proponents.length ? `${text} (${o.proponents.join(', ')})` : text;
  });
  return `[${parts.join(' / ')}]`;
}

/** The agreed text as plain lines, "num<TAB>text"; open groups kept bracketed or left out. */
export function agreedPlainText(agreed: AgreedDocument, unresolved: 'keep' | 'omit'): string {
  return agreed.blocks
    .map((block) => {
      const text = block.segments
        .map((s) => (s.kind === 'text' ? s.text : unresolved === 'keep' ? bracketNotation(s.group, true) : ''))
        .join('');
      return block.num ? `${block.num}\t${text}` : text;
    })
    .join('\n');
}
