import type { Editor } from '@tiptap/core';
import { memo, useCallback, useEffect, useLayoutEffect, useRef, useState, type FormEvent } from 'react';
import type { ThreadView } from '../../shared/model/comments.js';
import { canComment } from '../../shared/model/permissions.js';
import { jumpToParagraph } from '../editor/jump.js';
import { useCaret } from '../hooks/useCaret.js';
import { useNegotiation, useParticipant } from '../hooks/useNegotiation.js';
import { CommentThreadCard } from './CommentThreadCard.js';
import './panels.css';
import './comments.css';

export type ThreadFocus = { paragraphId: string; nonce: number };

type CommentsSidebarProps = {
  editor: Editor;
  /** A comment badge was pressed: that paragraph's threads are shown (or a new one started). */
  focus: ThreadFocus | null;
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

/** The new-thread box, placed beside the paragraph it comments on. */
function Composer({ refLabel, onSubmit, onCancel }: { refLabel: string; onSubmit: (text: string) => boolean; onCancel: () => void }) {
  const [text, setText] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (onSubmit(text)) setText('');
  };
  return (
    <form className="thread-card thread-card--composer comment-form" onSubmit={submit}>
      <div className="thread-card__head">
        <span className="thread-card__ref">New comment on ¶ {refLabel}</span>
      </div>
      <textarea
        className="input input--small"
        data-testid="comment-input"
        rows={3}
        value={text}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) submit(event);
          if (event.key === 'Escape') onCancel();
        }}
        placeholder="Your comment on this paragraph"
        aria-label={`Comment on ${refLabel}`}
        autoFocus
      />
      <div className="form__actions">
        <button type="button" className="button button--small button--quiet" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="button button--small button--primary" data-testid="comment-submit" disabled={!text.trim()}>
          Comment
        </button>
      </div>
    </form>
  );
}

/**
 * Comment threads in the margin beside the page, each level with its
 * paragraph (pushed down when the one above needs the room). Threads whose
 * paragraph was deleted are kept, listed apart at the end.
 */
export const CommentsSidebar = memo(function CommentsSidebar({ editor, focus }: CommentsSidebarProps) {
  const threads = useNegotiation(editor, (data) => data.threads);
  const blocks = useNegotiation(editor, (data) => data.blocks);
  const { role } = useParticipant(editor);
  const caretParagraphId = useCaret(editor).paragraphId;
  const columnRef = useRef<HTMLDivElement>(null);
  const cards = useRef(new Map<string, HTMLElement>());
  const paragraphs = useRef(new Map<string, Element>());
  const [composing, setComposing] = useState<string | null>(null);
  const [layout, setLayout] = useState<Layout>({ tops: {}, height: 0 });

  const placed = threads.filter((t) => !t.orphaned);
  const orphaned = threads.filter((t) => t.orphaned);
  const openCount = threads.filter((t) => t.status === 'open').length;
  const caretBlock = caretParagraphId ? blocks[caretParagraphId] : undefined;
  const mayComment = canComment(role);

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

  // A comment badge was clicked: bring that paragraph's first thread into view.
  useEffect(() => {
    if (!focus) return;
    const first = itemsRef.current.find((i) => i.paragraphId === focus.paragraphId && i.key !== COMPOSER);
    const card = first ? cards.current.get(first.key) : undefined;
    if (card) requestAnimationFrame(() => card.scrollIntoView({ block: 'nearest', behavior: 'smooth' }));
    else setComposing(focus.paragraphId);
  }, [focus]);

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
    />
  );

  return (
    <aside className="comments" data-testid="comments-sidebar" aria-labelledby="comments-heading">
      <div className="comments__header">
        <h2 id="comments-heading" className="panel__title">
          Comments <span className="panel__count">{openCount}</span>
        </h2>
        {mayComment && (
          <button
            type="button"
            className="button button--small"
            data-testid="add-comment"
            disabled={!caretBlock}
            title={caretBlock ? `Comment on paragraph ${caretBlock.ref ?? 'with the cursor'}` : 'Place the cursor in a paragraph first'}
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => caretParagraphId && setComposing(caretParagraphId)}
          >
            + Comment{caretBlock?.ref ? ` on ${caretBlock.ref}` : ''}
          </button>
        )}
      </div>

      <div className="comments__column" ref={columnRef} style={{ height: layout.height }}>
        {items.map((item) =>
          item.key === COMPOSER ? (
            <div key={COMPOSER} ref={cardRef(COMPOSER)} className="comments__slot" style={positioned(COMPOSER)}>
              <Composer
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
