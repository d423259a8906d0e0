import { Extension } from '@tiptap/core';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import { Decoration, type DecorationSet } from '@tiptap/pm/view';
import type * as Y from 'yjs';
import { compactNames } from '../../../shared/model/bracket-positions.js';
import { changesMap, readParagraphChanges } from '../../../shared/model/paragraph-changes.js';
import { presides } from '../../../shared/model/permissions.js';
import type { ParagraphChange } from '../../../shared/schema/negotiation.js';
import type { BlockInfo } from '../../negotiation/negotiation-index.js';
import { decorateAll, diffBlocks, redecorateChanged, redecorateIds, type BlockDecorator } from '../block-decorations.js';
import { negotiationOf } from './negotiation.js';
import '../paragraph-changes.css';

/**
 * Who changed a paragraph last, as the server recorded it (CHANGES_MAP): a
 * quiet "✎ Egypt · 10:42" in the margin of each paragraph another delegation
 * than the reader's changed, its last changes in the tooltip. The chair and
 * the secretariat are also told when a delegation deletes a paragraph, which
 * leaves nothing on the page to mark.
 */

type ChangesState = { reader: string; decorations: DecorationSet };

const paragraphChangesKey = new PluginKey<ChangesState>('paragraphChanges');

/** Paragraphs this editor showed, kept after they are gone so a deletion's notice can name them. */
const VANISHED_KEPT = 500;

const time = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
const day = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });
const full = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** "10:42" today, "3 Mar" before: the record is kept to the minute (see CHANGE_COALESCE_MS). */
function shortWhen(at: string, now = new Date()): string {
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) return '';
  return date.toDateString() === now.toDateString() ? time.format(date) : day.format(date);
}

function tooltip(changes: readonly ParagraphChange[]): string {
  const lines = changes.map((c) => {
    const date = new Date(c.at);
    const when = Number.isNaN(date.getTime()) ? c.at : full.format(date);
    return `${c.delegation} (${c.name}), ${when}: ${c.kind}`;
  });
  return ['Last changes to this paragraph, as the server recorded them:', ...lines].join('\n');
}

function markerOf(id: string, shown: ParagraphChange, changes: readonly ParagraphChange[]): HTMLElement {
  const marker = document.createElement('span');
  marker.className = 'para-widget change-marker';
  marker.contentEditable = 'false';
  marker.dataset.testid = 'change-marker';
  marker.dataset.paragraph = id;
  marker.title = tooltip(changes);
  const part = (className: string, text: string) => {
    const span = document.createElement('span');
    span.className = className;
    span.textContent = text;
    marker.append(span);
  };
  part('change-marker__who', `✎ ${shown.delegation}`);
  part('change-marker__sep', ' · ');
  part('change-marker__when', shortWhen(shown.at));
  return marker;
}

/** "Brazil deleted paragraph 4.3"; several at once in one notice. */
function deletionNotice(delegation: string, refs: ReadonlyArray<string | null>): string {
  const known = refs.filter((ref): ref is string => ref !== null);
  if (refs.length === 1) return known[0] ? `${delegation} deleted paragraph ${known[0]}` : `${delegation} deleted a paragraph`;
  return known.length ? `${delegation} deleted ${refs.length} paragraphs (${compactNames(known, 3)})` : `${delegation} deleted ${refs.length} paragraphs`;
}

export const ParagraphChanges = Extension.create({
  name: 'paragraphChanges',

  addProseMirrorPlugins() {
    const negotiation = negotiationOf(this.editor);
    const { index } = negotiation;
    const record = changesMap(index.doc);
    /** The record as read, per paragraph with any readable line: reread key by key as the map changes. */
    const changes = new Map<string, ParagraphChange[]>();
    const reread = (id: string) => {
      const read = readParagraphChanges(record.get(id));
      if (read.length) changes.set(id, read);
      else changes.delete(id);
    };
    for (const id of record.keys()) reread(id);
    const readerOf = () => negotiation.participant.identity.delegation;

    const decorator =
      (reader: string): BlockDecorator =>
      (node, pos, id) => {
        const lines = id ? changes.get(id) : undefined;
        const shown = lines?.find((c) => c.delegation !== reader);
        if (!id || !lines || !shown) return [];
        const key = `change:${id}:${reader}:${lines.map((c) => `${c.delegation}/${c.name}/${c.kind}/${c.at}`).join('|')}`;
        return [
          // The class keeps a one-line paragraph as tall as its margin notes, so they never run into the next one.
          Decoration.node(pos, pos + node.nodeSize, { class: 'has-change-marker' }),
          Decoration.widget(pos + node.nodeSize - 1, () => markerOf(id, shown, lines), { side: 10, key, marks: [], ignoreSelection: true }),
        ];
      };

    return [
      new Plugin<ChangesState>({
        key: paragraphChangesKey,
        state: {
          init: (_, state) => {
            const reader = readerOf();
            return { reader, decorations: decorateAll(state.doc, decorator(reader)) };
          },
          apply: (tr, value, oldState, state) => {
            const reader = readerOf();
            // Another person at this editor: whose changes are "another delegation's" changed everywhere.
            if (reader !== value.reader) return { reader, decorations: decorateAll(state.doc, decorator(reader)) };
            let decorations = value.decorations;
            const diff = tr.docChanged ? diffBlocks(oldState.doc, state.doc) : null;
            if (diff) decorations = redecorateChanged(decorations, diff, state.doc, decorator(reader));
            const recorded = tr.getMeta(paragraphChangesKey) as ReadonlySet<string> | undefined;
            if (recorded) decorations = redecorateIds(decorations, state.doc, recorded, decorator(reader));
            return decorations === value.decorations ? value : { reader, decorations };
          },
        },
        props: {
          decorations: (state) => paragraphChangesKey.getState(state)?.decorations ?? null,
        },
        view: (view) => {
          // Where a deleted paragraph stood: the index drops it (before the record's observer runs, when both
          // came in one transaction), so the blocks it listed are kept a while as they go.
          let listed: Record<string, BlockInfo> = index.snapshot().blocks;
          const vanished = new Map<string, string | null>();
          const unsubscribe = index.subscribe(() => {
            const blocks = index.snapshot().blocks;
            if (blocks === listed) return;
            if (presides(negotiation.participant.role)) {
              for (const id in listed) if (!(id in blocks)) vanished.set(id, listed[id]!.ref);
              for (const id of vanished.keys()) {
                if (vanished.size <= VANISHED_KEPT) break;
                vanished.delete(id); // the oldest first
              }
            }
            listed = blocks;
          });

          /** New deletion lines by other delegations, of paragraphs this editor showed: one notice per delegation. */
          const noticeDeletions = (before: ReadonlyMap<string, ParagraphChange | undefined>) => {
            if (!presides(negotiation.participant.role)) return;
            const byDelegation = new Map<string, Array<string | null>>();
            for (const [id, was] of before) {
              const newest = changes.get(id)?.[0];
              if (newest?.kind !== 'deleted' || newest.delegation === readerOf() || !vanished.has(id)) continue;
              if (was && was.delegation === newest.delegation && was.kind === newest.kind && was.at === newest.at) continue;
              byDelegation.set(newest.delegation, [...(byDelegation.get(newest.delegation) ?? []), vanished.get(id) ?? null]);
              vanished.delete(id);
            }
            for (const [delegation, refs] of byDelegation) negotiation.notify(deletionNotice(delegation, refs));
          };

          // Only the paragraphs whose line changed are drawn again, in one transaction after the Yjs one.
          let pending: Set<string> | null = null;
          const observer = (event: Y.YMapEvent<unknown>) => {
            const scheduled = pending !== null;
            pending ??= new Set();
            const ids = pending;
            const before = new Map<string, ParagraphChange | undefined>();
            for (const id of event.keysChanged) {
              before.set(id, changes.get(id)?.[0]);
              reread(id);
              ids.add(id);
            }
            noticeDeletions(before);
            if (scheduled) return;
            queueMicrotask(() => {
              pending = null;
              if (!view.isDestroyed) view.dispatch(view.state.tr.setMeta(paragraphChangesKey, ids));
            });
          };
          record.observe(observer);
          return {
            destroy: () => {
              record.unobserve(observer);
              unsubscribe();
            },
          };
        },
      }),
    ];
  },
});
