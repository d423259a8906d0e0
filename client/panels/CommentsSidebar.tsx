import type { Editor } from '@tiptap/core';
import { memo, useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { ThreadView } from '../../shared/model/comments.js';
import { jumpToParagraph } from '../editor/jump.js';
import { useNegotiation } from '../hooks/useNegotiation.js';
import type { ThreadFocus } from './CommentsPane.js';
import { CommentThreadCard } from './CommentThreadCard.js';
import { AddCommentButton, NewThreadCard } from './NewComment.js';
import type { UnreadComments } from './useUnreadComments.js';
import './panels.css';
import './comments.css';

type CommentsSidebarProps = {
  editor: Editor;
  /** A comment badge was pressed: that paragraph's threads are shown (or a new one started). */
  focus: ThreadFocus | null;
  unread: UnreadComments;
  /** Shows the same threads as one list, with filters and next/previous (the comments pane). */
  onShowList: () => void;
};

type Item = { key: string; paragraphId: string };
type Layout = { tops: Record<string, number>; height: number };

const GAP = 8;
const COMPOSER = 'composer';

/**
 * The paragraph's element on the page. Found once and kept while the editor
 * keeps it: typing changes the text inside the element, not the element, and
 * searching a 300-page page for each card on every keystroke costs more than
 * the keystroke.
 */
function paragraphElement(editor: Editor, paragraphId: string, known: Map<string, Element>): Element | null {
  if (editor.isDestroyed) return null;
  const kept = known.get(paragraphId);
  if (kept?.isConnected && kept.getAttribute('data-id') === paragraphId && editor.view.dom.contains(kept)) return kept;
  const found = editor.view.dom.querySelector(`[data-id="${CSS.escape(paragraphId)}"]`);
  if (found) known.set(paragraphId, found);
  else known.delete(paragraphId);
  return found;
}

/**
 * Comment threads in the margin beside the page, each level with its
 * paragraph (pushed down when the one above needs the room). Threads whose
 * paragraph was deleted are kept, listed apart at the end.
 */
export const CommentsSidebar = memo(function CommentsSidebar({ editor, focus, unread, onShowList }: CommentsSidebarProps) {
  const threads = useNegotiation(editor, (data) => data.threads);
  const blocks = useNegotiation(editor, (data) => data.blocks);
  const { markRead } = unread;
  const columnRef = useRef<HTMLDivElement>(null);
  const cards = useRef(new Map<string, HTMLElement>());
  const paragraphs = useRef(new Map<string, Element>());
  const [composing, setComposing] = useState<string | null>(null);
  const [layout, setLayout] = useState<Layout>({ tops: {}, height: 0 });

  const placed = threads.filter((t) => !t.orphaned);
  const orphaned = threads.filter((t) => t.orphaned);

  // Document order, the composer with the threads of its paragraph.
  const items: Item[] = placed.map((t) => ({ key: t.id, paragraphId: t.paragraphId }));
  if (composing && blocks[composing]) {
    const index = blocks[composing]!.index;
    const at = items.findIndex((i) => (blocks[i.paragraphId]?.index ?? Infinity) > index);
    items.splice(at < 0 ? items.length : at, 0, { key: COMPOSER, paragraphId: composing });
  }
  const itemsRef = useRef(items);
  itemsRef.current = items;

  const relayout = useCallback(() => {
    const column = columnRef.current;
    if (!column) return;
    const base = column.getBoundingClientRect().top;
    const tops: Record<string, number> = {};
    let bottom = 0;
    for (const item of itemsRef.current) {
      const card = cards.current.get(item.key);
      if (!card) continue;
      const paragraph = paragraphElement(editor, item.paragraphId, paragraphs.current);
      const wanted = paragraph ? paragraph.getBoundingClientRect().top - base : bottom;
      const top = Math.round(Math.max(wanted, bottom));
      tops[item.key] = top;
      bottom = top + card.offsetHeight + GAP;
    }
    const next = { tops, height: Math.round(bottom) };
    setLayout((previous) => (JSON.stringify(previous) === JSON.stringify(next) ? previous : next));
  }, [editor]);

  // After every render: cards may have grown (a reply, an edit box) or moved.
  useLayoutEffect(relayout);

  useEffect(() => {
    let frame = 0;
    const schedule = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(relayout);
    };
    // The text reflows (typing, a window resize) and the paragraphs move under the cards.
    editor.on('update', schedule);
    window.addEventListener('resize', schedule);
    window.addEventListener('scroll', schedule, { passive: true });
    const observer = new ResizeObserver(schedule);
    if (!editor.isDestroyed) observer.observe(editor.view.dom);
    if (columnRef.current) observer.observe(columnRef.current);
    return () => {
      cancelAnimationFrame(frame);
      editor.off('update', schedule);
      window.removeEventListener('resize', schedule);
      window.removeEventListener('scroll', schedule);
      observer.disconnect();
    };
  }, [editor, relayout]);

  // A comment badge was clicked: that paragraph's threads are opened (so read), the first one brought into view.
  useEffect(() => {
    if (!focus) return;
    const opened = itemsRef.current.filter((i) => i.paragraphId === focus.paragraphId && i.key !== COMPOSER);
    for (const item of opened) markRead(item.key);
    const card = opened[0] ? cards.current.get(opened[0].key) : undefined;
    // At once, and only as far as needed: a smooth scroll of the window would fight the next keystroke.
    if (card) requestAnimationFrame(() => card.scrollIntoView({ block: 'nearest' }));
    else setComposing(focus.paragraphId);
  }, [focus, markRead]);

  const cardRef = (key: string) => (el: HTMLElement | null) => {
    if (el) cards.current.set(key, el);
    else cards.current.delete(key);
  };

  const submitThread = (text: string): boolean => {
    const paragraphId = composing;
    if (!paragraphId) return false;
    const done = editor.commands.addCommentThread(paragraphId, text);
    if (done) setComposing(null);
    return done;
  };

  const positioned = (key: string) => ({ top: layout.tops[key] ?? 0, visibility: key in layout.tops ? undefined : ('hidden' as const) });
  const threadCard = (thread: ThreadView, onJump?: () => void) => (
    <CommentThreadCard
      editor={editor}
      thread={thread}
      paragraphRef={blocks[thread.paragraphId]?.ref ?? null}
      active={focus?.paragraphId === thread.paragraphId}
      onJump={onJump}
      unread={unread.counts.get(thread.id) ?? 0}
      onRead={() => markRead(thread.id)}
    />
  );

  return (
    <aside className="comments" data-testid="comments-sidebar" aria-labelledby="comments-heading">
      <div className="comments__header">
        <div className="comments__header-row">
          <h2 id="comments-heading" className="panel__title">
            Comments{' '}
            <span className="panel__count" data-testid="comments-count">
              {threads.length}
            </span>
          </h2>
          {unread.total > 0 && (
            <span className="unread-chip" data-testid="comments-unread" title="Messages you have not read yet">
              {unread.total} new
            </span>
          )}
          <button
            type="button"
            className="button button--small button--quiet comments__view-toggle"
            data-testid="comments-show-list"
            title="All the threads in one list, with filters and next/previous"
            onClick={onShowList}
          >
            List
          </button>
        </div>
        <AddCommentButton editor={editor} onCompose={setComposing} />
      </div>

      <div className="comments__column" ref={columnRef} style={{ height: layout.height }}>
        {items.map((item) =>
          item.key === COMPOSER ? (
            <div key={COMPOSER} ref={cardRef(COMPOSER)} className="comments__slot" style={positioned(COMPOSER)}>
              <NewThreadCard
                refLabel={blocks[item.paragraphId]?.ref ?? 'unnumbered'}
                onSubmit={submitThread}
                onCancel={() => setComposing(null)}
              />
            </div>
          ) : (
            <div key={item.key} ref={cardRef(item.key)} className="comments__slot" style={positioned(item.key)}>
              {threadCard(placed.find((t) => t.id === item.key)!, () => jumpToParagraph(editor, item.paragraphId))}
            </div>
          ),
        )}
      </div>

      {orphaned.length > 0 && (
        <section className="comments__orphaned" data-testid="orphaned-comments" aria-labelledby="orphaned-heading">
          <h3 id="orphaned-heading" className="comments__orphaned-title">
            Orphaned comments <span className="panel__count">{orphaned.length}</span>
          </h3>
          <p className="comments__orphaned-hint">Their paragraph was deleted; they are kept for the record.</p>
          {orphaned.map((thread) => (
            <div key={thread.id}>{threadCard(thread)}</div>
          ))}
        </section>
      )}
    </aside>
  );
});
