import type { Editor } from '@tiptap/core';
import { useCallback, useEffect, useState } from 'react';
import { presides } from '../../shared/model/permissions.js';
import type { DocumentId } from '../../shared/schema/api.js';
import type { DocumentAccess } from '../../shared/schema/auth.js';
import { Link } from '../components/Link.js';
import type { MeetingFocus } from '../../shared/model/meeting-focus.js';
import { focusOf } from '../editor/extensions/meeting-focus.js';
import { draftEditor, followChair } from '../editor/follow-chair.js';
import { jumpToParagraph } from '../editor/jump.js';
import { screenPath } from '../router.js';
import '../editor/meeting-focus.css';
import './follow-chair-control.css';

/** The page's editor, once it is drawn (the header is drawn before it, and outlives it). */
function useDraftEditor(): Editor | null {
  const [editor, setEditor] = useState<Editor | null>(draftEditor);
  useEffect(() => {
    if (editor && !editor.isDestroyed) return;
    const observer = new MutationObserver(() => {
      const found = draftEditor();
      if (found) setEditor(found);
    });
    observer.observe(document.body, { childList: true, subtree: true });
    const found = draftEditor();
    if (found) setEditor(found);
    return () => observer.disconnect();
  }, [editor]);
  return editor;
}

/** The focus and whether this person's caret sets it, re-read on every transaction (a setting read, no document walk). */
function useMeetingFocus(editor: Editor | null): { focus: MeetingFocus | null; followCaret: boolean } {
  const read = useCallback(() => ({ focus: editor ? focusOf(editor) : null, followCaret: editor?.storage.meetingFocus?.followCaret ?? false }), [editor]);
  const [state, setState] = useState(read);
  useEffect(() => {
    if (!editor) return;
    const update = () => {
      const next = read();
      setState((prev) =>
        prev.focus?.paragraphId === next.focus?.paragraphId && prev.focus?.ref === next.focus?.ref && prev.followCaret === next.followCaret ? prev : next,
      );
    };
    update();
    editor.on('transaction', update);
    return () => {
      editor.off('transaction', update);
    };
  }, [editor, read]);
  return state;
}

const labelOf = (focus: MeetingFocus) => focus.ref ?? 'the paragraph under discussion';

type Follow = 'off' | 'on' | 'stopped';

/**
 * In the editor's header: "Now: 3.5 b)" (a click jumps there), the
 * "Follow the chair" toggle with its "Back to 3.5 b)" pill once the person
 * moved away, and for the chair and the secretariat the controls that set
 * the paragraph under discussion and the link to the plenary screen.
 */
export function FollowChairControl({ access, documentId }: { access: DocumentAccess | null; documentId: DocumentId }) {
  const editor = useDraftEditor();
  const { focus, followCaret } = useMeetingFocus(editor);
  const [follow, setFollow] = useState<Follow>('off');
  const chairs = access !== null && presides(access.role);

  useEffect(() => {
    if (!editor || follow !== 'on') return;
    return followChair(editor, () => setFollow('stopped'));
  }, [editor, follow]);

  if (!editor || !access) return null;

  return (
    <div className="follow-chair" data-testid="meeting-focus">
      {focus && (
        <button
          type="button"
          className="follow-chair__now"
          data-testid="focus-now"
          title={`Under discussion, set by ${focus.by.name}: go there`}
          onClick={() => jumpToParagraph(editor, focus.paragraphId)}
        >
          Now: <strong>{labelOf(focus)}</strong>
        </button>
      )}
      {focus && follow === 'stopped' && (
        <button type="button" className="follow-chair__back" data-testid="follow-back" onClick={() => setFollow('on')}>
          Back to {labelOf(focus)}
        </button>
      )}
      {!chairs && (
        <label className="follow-chair__toggle" title="Your view follows the paragraph under discussion until you scroll or type elsewhere">
          <input
            type="checkbox"
            data-testid="follow-chair"
            checked={follow === 'on'}
            onChange={(event) => setFollow(event.target.checked ? 'on' : 'off')}
          />
          Follow the chair
        </label>
      )}
      {chairs && (
        <>
          <button
            type="button"
            className="button button--small"
            data-testid="set-focus"
            title="Mark the paragraph with the caret as under discussion, for everyone (Ctrl+Alt+F)"
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => editor.commands.setFocusHere()}
          >
            <span className="follow-chair__long">Under discussion</span>
            <span className="follow-chair__short">Discuss</span>
          </button>
          {/* The rest of the chair's meeting tools, folded: the header also holds the title, the mode and the connection. */}
          <details className="follow-chair__menu">
            <summary className="button button--small" data-testid="meeting-menu" aria-label="More meeting tools" title="More meeting tools">
              ▾
            </summary>
            <div className="follow-chair__popover">
              <label className="follow-chair__toggle" title="The paragraph under discussion follows your caret">
                <input
                  type="checkbox"
                  data-testid="follow-caret"
                  checked={followCaret}
                  onChange={(event) => editor.commands.setFollowCaret(event.target.checked)}
                />
                Follow my caret
              </label>
              <button
                type="button"
                className="button button--small"
                data-testid="clear-focus"
                disabled={!focus}
                onClick={() => editor.commands.clearFocus()}
              >
                No paragraph under discussion
              </button>
              <Link href={screenPath(documentId)} target="_blank" rel="noopener" className="follow-chair__screen" data-testid="open-screen">
                Open the plenary screen
              </Link>
            </div>
          </details>
        </>
      )}
    </div>
  );
}
