import { attributionNote, bracketNotation, type OpenGroupReport } from '../../shared/model/agreed-text.js';
import type { ThreadView } from '../../shared/model/comments.js';
import type { ExportDocument } from './export-model.js';

/**
 * Shared wording of the text exports (plain text, Markdown, HTML), so they say
 * the same thing. An open bracket reads as the model's own notation
 * (shared/model/agreed-text.ts), `[every year / every two years (Egypt) /
 * delete (United States)]`, followed by a note, numbered with the footnotes,
 * that names who bracketed it and who proposes and supports each option (the
 * footnote Word gets).
 */

/** An open bracket in the text formats: the words to show, and its note. */
export function bracketText(group: OpenGroupReport): { text: string; note: string } {
  return { text: bracketNotation(group), note: attributionNote(group) };
}

export function formatDate(date: Date): string {
  return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(date);
}

/** "Name (Delegation)": how exports name a comment's author, and how the importers read it back. */
export function authorOf(message: ThreadView['messages'][number]): string {
  return `${message.author.name} (${message.author.delegation})`;
}

/** The messages of a thread worth printing: deleted ones leave no text. */
export function liveMessages(thread: ThreadView): ThreadView['messages'] {
  return thread.messages.filter((m) => !m.deleted && m.text.trim() !== '');
}

export function titleLines(doc: ExportDocument): string[] {
  return [doc.title, doc.versionLabel, formatDate(doc.date), ...doc.notices];
}

/**
 * Opens and closes nested lists around blocks, from each block's list
 * position: what HTML and Markdown need to rebuild the nesting.
 */
export type ListEvent =
  | { kind: 'open'; ordered: boolean; start: number; depth: number }
  | { kind: 'close'; ordered: boolean; depth: number }
  | { kind: 'item-open'; depth: number }
  | { kind: 'item-close'; depth: number };

export class ListTracker {
  private readonly stack: Array<{ listId: number; depth: number; ordered: boolean; itemOpen: boolean }> = [];

  /** Events to emit before a block at this list position (null: not in a list). */
  enter(position: { listId: number; depth: number; ordered: boolean; index: number; first: boolean } | null): ListEvent[] {
    const events: ListEvent[] = [];
    const depth = position ? position.depth : -1;
    while (this.top && (this.top.depth > depth || (this.top.depth === depth && this.top.listId !== position?.listId))) {
      events.push(...this.closeTop());
    }
    if (!position) return events;
    if (!this.top || this.top.depth < depth) {
      this.stack.push({ listId: position.listId, depth, ordered: position.ordered, itemOpen: false });
      events.push({ kind: 'open', ordered: position.ordered, start: position.index, depth });
    }
    if (position.first || !this.top!.itemOpen) {
      if (this.top!.itemOpen) events.push({ kind: 'item-close', depth });
      this.top!.itemOpen = true;
      events.push({ kind: 'item-open', depth });
    }
    return events;
  }

  /** Closes every open list: after the last block. */
  finish(): ListEvent[] {
    const events: ListEvent[] = [];
    while (this.top) events.push(...this.closeTop());
    return events;
  }

  private get top() {
    return this.stack[this.stack.length - 1];
  }

  private closeTop(): ListEvent[] {
    const top = this.stack.pop()!;
    const events: ListEvent[] = [];
    if (top.itemOpen) events.push({ kind: 'item-close', depth: top.depth });
    events.push({ kind: 'close', ordered: top.ordered, depth: top.depth });
    return events;
  }
}
