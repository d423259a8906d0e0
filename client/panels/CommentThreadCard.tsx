import type { Editor } from '@tiptap/core';
import { useState, type FormEvent, type KeyboardEvent } from 'react';
import { isAuthor, type CommentView, type ThreadView } from '../../shared/model/comments.js';
import { canComment } from '../../shared/model/permissions.js';
import { RelativeTime } from '../components/RelativeTime.js';
import { useParticipant } from '../hooks/useNegotiation.js';
import { actorOf } from '../negotiation/participant.js';
import './panels.css';
import './comments.css';

type ThreadCardProps = {
  editor: Editor;
  thread: ThreadView;
  paragraphRef: string | null;
  active: boolean;
  onJump?: () => void;
  /** Messages of others this person has not read yet. */
  unread?: number;
  /** Called when the person opens or answers the thread: it is read. */
  onRead?: () => void;
  bare?: boolean;
};

/** Ctrl/Cmd+Enter sends, as in mail and chat tools; Enter alone starts a new line. */
const sendsOnKey = (event: KeyboardEvent, send: () => void) => {
  if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    send();
  }
};

function Message({ message, thread, editor, mine }: { message: CommentView; thread: ThreadView; editor: Editor; mine: boolean }) {
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(message.text);

  const save = () => {
    if (editor.commands.editComment(thread.id, message.id, text)) setEditing(false);
  };
  const remove = () => editor.commands.deleteComment(thread.id, message.id);

  return (
    <li className="comment" data-testid="comment-message">
      <div className="comment__head">
        <span className="comment__author">{message.author.name}</span>
        <span className="comment__delegation">{message.author.delegation}</span>
        <span className="comment__time">
          <RelativeTime iso={message.at} />
          {message.editedAt && !message.deleted && <span className="comment__edited"> · edited</span>}
        </span>
      </div>
      {message.deleted ? (
        <p className="comment__text comment__text--deleted">Comment deleted</p>
      ) : editing ? (
        <form
          className="comment-form"
          onSubmit={(event) => {
            event.preventDefault();
            save();
          }}
        >
          <textarea
            className="input input--small"
            rows={3}
            value={text}
            onChange={(event) => setText(event.target.value)}
            onKeyDown={(event) => sendsOnKey(event, save)}
            aria-label="Edit your comment"
            autoFocus
          />
          <div className="form__actions">
            <button type="button" className="button button--small button--quiet" onClick={() => setEditing(false)}>
              Cancel
            </button>
            <button type="submit" className="button button--small button--primary" data-testid="edit-save">
              Save
            </button>
          </div>
        </form>
      ) : (
        <p className="comment__text" data-testid="comment-text">
          {message.text}
        </p>
      )}
      {mine && !message.deleted && !editing && (
        <div className="comment__own">
          <button
            type="button"
            className="link-button"
            data-testid="edit-comment"
            onClick={() => {
              setText(message.text);
              setEditing(true);
            }}
          >
            Edit
          </button>
          <button type="button" className="link-button link-button--danger" data-testid="delete-comment" onClick={remove}>
            Delete
          </button>
        </div>
      )}
    </li>
  );
}

/** Another person's new messages in the thread, and the way to say they were read. */
function UnreadChip({ count, onRead }: { count: number; onRead?: () => void }) {
  const label = count === 1 ? '1 new' : `${count} new`;
  return onRead ? (
    <button type="button" className="unread-chip" data-testid="unread-marker" title="Mark as read" onClick={onRead}>
      {label}
    </button>
  ) : (
    <span className="unread-chip" data-testid="unread-marker">
      {label}
    </span>
  );
}

/** The reply box, closed until asked for: a margin full of open boxes reads as a form, not a discussion. */
function ReplyBox({ editor, thread, paragraphRef, onOpen }: { editor: Editor; thread: ThreadView; paragraphRef: string | null; onOpen?: () => void }) {
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const send = () => {
    if (editor.commands.replyToThread(thread.id, text)) {
      setText('');
      setOpen(false);
    }
  };
  if (!open) {
    return (
      <button
        type="button"
        className="button button--small thread-card__reply-open"
        data-testid="reply-open"
        onClick={() => {
          setOpen(true);
          onOpen?.();
        }}
      >
        Reply
      </button>
    );
  }
  return (
    <form
      className="comment-form"
      onSubmit={(event: FormEvent) => {
        event.preventDefault();
        send();
      }}
    >
      <textarea
        className="input input--small"
        data-testid="reply-input"
        rows={2}
        value={text}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          sendsOnKey(event, send);
          if (event.key === 'Escape') {
            // Closes the box, not the drawer around it.
            event.preventDefault();
            setOpen(false);
          }
        }}
        placeholder="Your reply (Ctrl+Enter sends)"
        aria-label={`Reply on ${paragraphRef ?? 'this paragraph'}`}
        autoFocus
      />
      <div className="form__actions">
        <button type="button" className="button button--small button--quiet" onClick={() => setOpen(false)}>
          Cancel
        </button>
        <button type="submit" className="button button--small button--primary" data-testid="reply-submit" disabled={!text.trim()}>
          Send reply
        </button>
      </div>
    </form>
  );
}

/**
 * One thread on one paragraph: messages in order, a reply box opened on
 * request, resolve and reopen. Resolved threads fold to one line until
 * opened. `bare`: without its heading, under a list entry that names the
 * paragraph already (the comments pane).
 */
export function CommentThreadCard({ editor, thread, paragraphRef, active, onJump, unread = 0, onRead, bare = false }: ThreadCardProps) {
  const { identity, role } = useParticipant(editor);
  const [expanded, setExpanded] = useState(false);
  const actor = actorOf(identity);
  const resolved = thread.status === 'resolved';
  const folded = resolved && !expanded && !active;
  const mayComment = canComment(role);
  const first = thread.messages[0];

  const setStatus = (status: 'open' | 'resolved') => {
    editor.commands.setThreadStatus(thread.id, status);
    setExpanded(false);
  };

  return (
    <article
      className={`thread-card${resolved ? ' thread-card--resolved' : ''}${active ? ' thread-card--active' : ''}${bare ? ' thread-card--bare' : ''}`}
      data-testid="comment-thread"
      data-thread={thread.id}
      data-status={thread.status}
      data-unread={unread}
    >
      {!bare && (
        <header className="thread-card__head">
          {onJump ? (
            <button
              type="button"
              className="thread-card__ref"
              onClick={() => {
                onRead?.();
                onJump();
              }}
              title="Go to the paragraph"
            >
              ¶ {paragraphRef ?? 'unnumbered'}
            </button>
          ) : (
            <span className="thread-card__ref">¶ {paragraphRef ?? '(deleted paragraph)'}</span>
          )}
          {resolved && <span className="chip chip--resolved">Resolved</span>}
          {unread > 0 && <UnreadChip count={unread} onRead={onRead} />}
          {folded && (
            <button
              type="button"
              className="link-button thread-card__toggle"
              onClick={() => {
                onRead?.();
                setExpanded(true);
              }}
            >
              Show
            </button>
          )}
          {resolved && expanded && !active && (
            <button type="button" className="link-button thread-card__toggle" onClick={() => setExpanded(false)}>
              Hide
            </button>
          )}
        </header>
      )}

      {folded ? (
        <p className="thread-card__summary">
          {first ? `${first.author.name}: ${first.deleted ? 'Comment deleted' : first.text}` : ''}
          {thread.messages.length > 1 && <span className="thread-card__more"> · {thread.messages.length - 1} more</span>}
        </p>
      ) : (
        <>
          <ol className="thread-card__messages">
            {thread.messages.map((message) => (
              <Message
                key={message.id}
                message={message}
                thread={thread}
                editor={editor}
                mine={actor !== null && isAuthor(message.author, actor)}
              />
            ))}
          </ol>
          {resolved && thread.statusBy && (
            <p className="thread-card__status">
              Resolved by {thread.statusBy.name} ({thread.statusBy.delegation})
              {thread.statusAt && (
                <>
                  , <RelativeTime iso={thread.statusAt} />
                </>
              )}
            </p>
          )}
          {mayComment && (
            <div className="thread-card__footer">
              {!resolved && <ReplyBox editor={editor} thread={thread} paragraphRef={paragraphRef} onOpen={onRead} />}
              <div className="thread-card__actions">
                {resolved ? (
                  <button type="button" className="button button--small button--quiet" data-testid="reopen-thread" onClick={() => setStatus('open')}>
                    Reopen
                  </button>
                ) : (
                  <button type="button" className="button button--small button--quiet" data-testid="resolve-thread" onClick={() => setStatus('resolved')}>
                    ✓ Resolve
                  </button>
                )}
              </div>
            </div>
          )}
        </>
      )}
    </article>
  );
}
