import type { Editor } from '@tiptap/core';
import { memo, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { ThreadView } from '../../shared/model/comments.js';
import { DrawerClose } from '../components/Drawer.js';
import { RelativeTime } from '../components/RelativeTime.js';
import { negotiationOf } from '../editor/extensions/negotiation.js';
import { jumpToParagraph, returnToPlace } from '../editor/jump.js';
import { readingPlace, type ReadingPlace } from '../editor/reading-place.js';
import { useNegotiation } from '../hooks/useNegotiation.js';
import { ALL_THREADS, filterChoices, filterThreads, isFiltered, stepThread, threadMatches, type ThreadFilter } from '../negotiation/thread-filters.js';
import { CommentFilters } from './CommentFilters.js';
import { CommentThreadCard } from './CommentThreadCard.js';
import { AddCommentButton, NewThreadCard } from './NewComment.js';
import type { UnreadComments } from './useUnreadComments.js';
import './panels.css';
import './comments.css';
import './comments-pane.css';

/** A comment badge was pressed: that paragraph's threads are shown. */
export type ThreadFocus = { paragraphId: string; nonce: number };

type CommentsPaneProps = {
  editor: Editor;
  focus: ThreadFocus | null;
  unread: UnreadComments;
  /** On screen (docked beside the page, or its drawer open): the thread open in it is being read. */
  visible: boolean;
  /** In a drawer: closes it. */
  onClose?: () => void;
  /** Docked beside the page: back to the threads level with their paragraphs. */
  onShowMargin?: () => void;
};

function ThreadItem({ thread, refLabel, selected, unread, onOpen, onKeyDown }: {
  thread: ThreadView;
  refLabel: string | null;
  selected: boolean;
  unread: number;
  onOpen: () => void;
  onKeyDown: (event: KeyboardEvent) => void;
}) {
  const first = thread.messages[0];
  const last = thread.messages[thread.messages.length - 1];
  const replies = thread.messages.length - 1;
  return (
    <button
      type="button"
      className="pane-item"
      data-testid="pane-thread"
      data-thread={thread.id}
      data-status={thread.status}
      data-ref={refLabel ?? ''}
      aria-expanded={selected}
      onClick={onOpen}
      onKeyDown={onKeyDown}
    >
      <span className="pane-item__line">
        <span className="pane-item__ref">¶ {thread.orphaned ? '(deleted paragraph)' : (refLabel ?? 'unnumbered')}</span>
        {thread.status === 'resolved' && <span className="chip chip--resolved">Resolved</span>}
        {unread > 0 && (
          <span className="unread-chip" data-testid="unread-marker">
            {unread} new
          </span>
        )}
        {last && (
          <span className="pane-item__when">
            <RelativeTime iso={last.at} />
          </span>
        )}
      </span>
      {first && (
        <span className="pane-item__excerpt">
          <span className="pane-item__who">{first.author.delegation || first.author.name}</span>{' '}
          {first.deleted ? 'Comment deleted' : first.text}
        </span>
      )}
      {replies > 0 && <span className="pane-item__more">{replies === 1 ? '1 reply' : `${replies} replies`}</span>}
    </button>
  );
}

/**
 * Every comment thread of the document in one list, in paragraph order
 * (orphaned ones last), filtered by status, delegation and section, with
 * what this person has not read yet. Opening a thread (a click, Next or
 * Previous, the arrow keys in the list) shows it whole and takes the text to
 * its paragraph; "Back" returns to where the reader was before.
 */
export const CommentsPane = memo(function CommentsPane({ editor, focus, unread, visible, onClose, onShowMargin }: CommentsPaneProps) {
  const threads = useNegotiation(editor, (data) => data.threads);
  const blocks = useNegotiation(editor, (data) => data.blocks);
  const [filter, setFilter] = useState<ThreadFilter>(ALL_THREADS);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [composing, setComposing] = useState<string | null>(null);
  const [back, setBack] = useState<ReadingPlace | null>(null);
  const listRef = useRef<HTMLDivElement>(null);
  // After a step made with the keyboard, the keyboard follows to the thread it opened.
  const focusItem = useRef(false);

  const sectionOf = (paragraphId: string) => blocks[paragraphId]?.section;
  const refOf = (thread: ThreadView) => (thread.orphaned ? null : (blocks[thread.paragraphId]?.ref ?? null));
  const shown = filterThreads(threads, filter, sectionOf);
  const choices = filterChoices(threads, sectionOf, filter);
  const filtered = isFiltered(filter);
  const position = selectedId === null ? -1 : shown.findIndex((t) => t.id === selectedId);
  const unreadShown = shown.reduce((sum, t) => sum + (unread.counts.get(t.id) ?? 0), 0);
  const { markRead } = unread;

  const latest = useRef({ threads, filter, blocks });
  latest.current = { threads, filter, blocks };

  const open = (thread: ThreadView) => {
    setSelectedId(thread.id);
    markRead(thread.id);
    if (thread.orphaned) return;
    // Back goes to where the reader was before going through the comments, not to the last thread.
    if (!back) setBack(readingPlace(editor));
    jumpToParagraph(editor, thread.paragraphId, 0, { focus: false });
  };
  const step = (by: 1 | -1, withKeyboard = false) => {
    const next = stepThread(shown, selectedId, by);
    if (!next) return;
    focusItem.current = withKeyboard;
    open(next);
  };
  const goBack = () => {
    if (back) returnToPlace(editor, back);
    setBack(null);
  };
  const onItemKey = (event: KeyboardEvent) => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    event.preventDefault();
    step(event.key === 'ArrowDown' ? 1 : -1, true);
  };

  // A comment badge was pressed: that paragraph's first thread, shown whatever the filters said.
  useEffect(() => {
    if (!focus) return;
    const { threads: all, filter: current, blocks: known } = latest.current;
    const first = all.find((t) => t.paragraphId === focus.paragraphId && !t.orphaned);
    if (!first) return;
    if (!threadMatches(first, current, (id) => known[id]?.section)) setFilter(ALL_THREADS);
    setSelectedId(first.id);
    markRead(first.id);
  }, [focus, markRead]);

  // What arrives in the thread open on screen is read as it arrives.
  const selectedUnread = selectedId === null ? 0 : (unread.counts.get(selectedId) ?? 0);
  useEffect(() => {
    if (visible && selectedId !== null && selectedUnread > 0) markRead(selectedId);
  }, [visible, selectedId, selectedUnread, markRead]);

  // The open thread in sight within the list: the list scrolls, never the page.
  useEffect(() => {
    const list = listRef.current;
    const item = selectedId === null ? null : list?.querySelector<HTMLElement>(`[data-thread="${CSS.escape(selectedId)}"]`);
    if (!list || !item) return;
    const box = list.getBoundingClientRect();
    const at = item.getBoundingClientRect();
    if (at.top < box.top) list.scrollTop -= box.top - at.top;
    else if (at.bottom > box.bottom) list.scrollTop += Math.min(at.bottom - box.bottom, at.top - box.top);
    if (focusItem.current) item.focus({ preventScroll: true });
    focusItem.current = false;
  }, [selectedId]);

  const submitThread = (text: string): boolean => {
    const paragraphId = composing;
    if (!paragraphId) return false;
    const { index } = negotiationOf(editor);
    const before = new Set(index.snapshot().threads.map((t) => t.id));
    if (!editor.commands.addCommentThread(paragraphId, text)) return false;
    const created = index.snapshot().threads.find((t) => !before.has(t.id));
    setComposing(null);
    if (created) {
      if (!threadMatches(created, filter, sectionOf)) setFilter(ALL_THREADS);
      setSelectedId(created.id);
    }
    return true;
  };

  const previous = stepThread(shown, selectedId, -1);
  const next = stepThread(shown, selectedId, 1);
  const firstOrphan = shown.find((t) => t.orphaned);

  return (
    <section className="comments-pane" data-testid="comments-pane" aria-labelledby="comments-heading">
      <div className="comments-pane__head">
        <h2 id="comments-heading" className="panel__title">
          Comments{' '}
          <span className="panel__count" data-testid="comments-count">
            {filtered ? `${shown.length} of ${threads.length}` : threads.length}
          </span>
        </h2>
        {unreadShown > 0 && (
          <span className="comments-pane__unread" data-testid="comments-unread">
            {unreadShown} unread
          </span>
        )}
        <span className="comments-pane__spacer" />
        {onShowMargin && (
          <button type="button" className="button button--small button--quiet comments__view-toggle" data-testid="comments-show-margin" title="Show each thread beside its paragraph" onClick={onShowMargin}>
            Margin
          </button>
        )}
        {onClose && <DrawerClose label="the comments" onClose={onClose} />}
      </div>

      <div className="comments-pane__actions">
        <AddCommentButton editor={editor} onCompose={setComposing} />
        <div className="comments-pane__nav">
          <button type="button" className="button button--small" data-testid="comments-previous" disabled={!previous} onClick={() => step(-1)} title="Previous thread (↑ in the list)">
            ‹ Previous
          </button>
          <span className="comments-pane__position" data-testid="comments-position" aria-live="polite">
            {position >= 0 ? `${position + 1}/${shown.length}` : `–/${shown.length}`}
          </span>
          <button type="button" className="button button--small" data-testid="comments-next" disabled={!next} onClick={() => step(1)} title="Next thread (↓ in the list)">
            Next ›
          </button>
        </div>
        {back && (
          <button type="button" className="button button--small button--quiet" data-testid="comments-back" onClick={goBack} title="Back to where you were reading">
            ↩ Back
          </button>
        )}
      </div>

      <CommentFilters filter={filter} choices={choices} onChange={setFilter} />

      <div className="comments-pane__list" ref={listRef}>
        {composing && (
          <NewThreadCard refLabel={blocks[composing]?.ref ?? 'unnumbered'} onSubmit={submitThread} onCancel={() => setComposing(null)} />
        )}
        {shown.length === 0 ? (
          <p className="panel__empty comments-pane__empty">
            {threads.length === 0 ? (
              'No comments yet. Place the cursor in a paragraph and press “+ Comment”.'
            ) : (
              <>
                No thread matches these filters.{' '}
                <button type="button" className="link-button" onClick={() => setFilter(ALL_THREADS)}>
                  Show all
                </button>
              </>
            )}
          </p>
        ) : (
          <ol className="pane-list">
            {shown.map((thread) => (
              <li key={thread.id} className={thread.id === selectedId ? 'pane-list__entry pane-list__entry--open' : 'pane-list__entry'}>
                {thread === firstOrphan && <p className="pane-list__divider">Their paragraph was deleted; kept for the record:</p>}
                <ThreadItem
                  thread={thread}
                  refLabel={refOf(thread)}
                  selected={thread.id === selectedId}
                  unread={unread.counts.get(thread.id) ?? 0}
                  onOpen={() => open(thread)}
                  onKeyDown={onItemKey}
                />
                {thread.id === selectedId && (
                  <CommentThreadCard editor={editor} thread={thread} paragraphRef={refOf(thread)} active bare onRead={() => markRead(thread.id)} />
                )}
              </li>
            ))}
          </ol>
        )}
      </div>
    </section>
  );
});
