import type { Editor } from '@tiptap/core';
import { useEditorState } from '@tiptap/react';
import { memo, useEffect, useId, useState, type FormEvent } from 'react';
import { findBlockByRef } from '../../shared/model/paragraphs.js';
import { canSetParagraphStatus } from '../../shared/model/permissions.js';
import { ParagraphStatus } from '../../shared/schema/negotiation.js';
import { useCaret } from '../hooks/useCaret.js';
import { useNegotiation, useParticipant } from '../hooks/useNegotiation.js';
import { STATUS_LABELS } from '../negotiation/labels.js';
import { negotiationOf } from './extensions/negotiation.js';
import { jumpToParagraph } from './jump.js';
import { formatShortcut } from './shortcuts.js';
import './toolbar.css';

const MESSAGE_MS = 4000;

/** Go to a paragraph by its number, as the chair announces it. */
function JumpTo({ editor }: { editor: Editor }) {
  const [value, setValue] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const inputId = useId();

  useEffect(() => {
    if (!message) return;
    const timer = setTimeout(() => setMessage(null), MESSAGE_MS);
    return () => clearTimeout(timer);
  }, [message]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const ref = value.trim();
    if (!ref) return;
    const block = findBlockByRef(negotiationOf(editor).index.doc, ref);
    if (block?.id && jumpToParagraph(editor, block.id)) {
      setMessage(null);
      setValue('');
    } else {
      setMessage(`No paragraph ${ref}`);
    }
  };

  return (
    // biome-ignore lint/a11y/useSemanticElements: a <form> so Enter submits; role="search" is its landmark (the <search> element is not in every browser the room uses).
    <form className="jump" onSubmit={submit} role="search">
      <label className="visually-hidden" htmlFor={inputId}>
        Go to paragraph
      </label>
      <input
        id={inputId}
        className="jump__input"
        data-testid="jump-input"
        value={value}
        onChange={(event) => setValue(event.target.value)}
        placeholder="Go to 3.5 b)"
        title="Type a paragraph number and press Enter"
        autoComplete="off"
        spellCheck={false}
      />
      {message && (
        <span className="jump__message" role="status" data-testid="jump-message">
          {message}
        </span>
      )}
    </form>
  );
}

/** The status of the caret's paragraph: a choice for the chair, a plain statement for everyone else. */
function StatusControl({ editor }: { editor: Editor }) {
  const { role } = useParticipant(editor);
  const { paragraphId } = useCaret(editor);
  const blocks = useNegotiation(editor, (data) => data.blocks);
  const block = paragraphId ? blocks[paragraphId] : undefined;
  const status = block?.status ?? 'open';
  const where = block?.ref ? `¶ ${block.ref}` : '¶';

  if (!canSetParagraphStatus(role)) {
    return (
      <span className={`status-display status-display--${status}`} data-testid="paragraph-status" title="Status of the paragraph with the cursor">
        <span className="status-display__where">{where}</span> {STATUS_LABELS[status]}
      </span>
    );
  }
  return (
    <label className="status-control" title="Status of the paragraph with the cursor">
      <span className="status-control__where">{where}</span>
      <select
        className={`status-select status-select--${status}`}
        data-testid="paragraph-status-select"
        value={status}
        disabled={!block}
        onChange={(event) => {
          const next = ParagraphStatus.parse(event.target.value);
          if (block) editor.commands.setParagraphStatus(block.id, next);
        }}
      >
        {ParagraphStatus.options.map((option) => (
          <option key={option} value={option}>
            {STATUS_LABELS[option]}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Toolbar controls of the negotiation: bracket the selection, go to a paragraph, its status. */
export const NegotiationTools = memo(function NegotiationTools({ editor }: { editor: Editor }) {
  // The command asked whether it could run here: role, selection, the paragraph's status, an editable page.
  const canBracketHere = useEditorState({ editor, selector: ({ editor: current }) => current.can().bracketSelection() });
  const shortcut = formatShortcut('Mod-Alt-B');

  return (
    <>
      <div className="toolbar__group">
        <button
          type="button"
          className="toolbar__button toolbar__button--labelled"
          data-testid="toolbar-bracket"
          aria-label="Bracket"
          title={`Put the selected words in square brackets as your delegation's option (${shortcut})`}
          disabled={!canBracketHere}
          onMouseDown={(event) => event.preventDefault()}
          onClick={() => editor.commands.bracketSelection()}
        >
          <span className="toolbar__bracket-icon" aria-hidden="true">
            [ ]
          </span>{' '}
          Bracket
        </button>
      </div>
      <div className="toolbar__group toolbar__group--paragraph">
        <JumpTo editor={editor} />
        <StatusControl editor={editor} />
      </div>
    </>
  );
});
