import type { Editor } from '@tiptap/core';
import { useState, type FormEvent } from 'react';
import { canComment } from '../../shared/model/permissions.js';
import { useCaret } from '../hooks/useCaret.js';
import { useNegotiation, useParticipant } from '../hooks/useNegotiation.js';
import './panels.css';
import './comments.css';

/** The new-thread box: a card of its own where the thread will be (beside its paragraph, or on top of the pane). */
export function NewThreadCard({ refLabel, onSubmit, onCancel }: { refLabel: string; onSubmit: (text: string) => boolean; onCancel: () => void }) {
  const [text, setText] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (onSubmit(text)) setText('');
  };
  return (
    <form className="thread-card thread-card--composer comment-form" data-testid="comment-composer" onSubmit={submit}>
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
          if (event.key === 'Escape') {
            event.preventDefault();
            onCancel();
          }
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

/** "+ Comment on 3.5": starts a thread on the paragraph holding the caret, for those who may comment. */
export function AddCommentButton({ editor, onCompose }: { editor: Editor; onCompose: (paragraphId: string) => void }) {
  const { role } = useParticipant(editor);
  const { paragraphId } = useCaret(editor);
  const block = useNegotiation(editor, (data) => (paragraphId ? data.blocks[paragraphId] : undefined));
  if (!canComment(role)) return null;
  return (
    <button
      type="button"
      className="button button--small"
      data-testid="add-comment"
      disabled={!block}
      title={block ? `Comment on paragraph ${block.ref ?? 'with the cursor'}` : 'Place the cursor in a paragraph first'}
      // The caret says which paragraph: pressing the button must not take it from the text.
      onMouseDown={(event) => event.preventDefault()}
      onClick={() => block && onCompose(block.id)}
    >
      + Comment{block?.ref ? ` on ${block.ref}` : ''}
    </button>
  );
}
