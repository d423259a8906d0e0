import type { Editor } from '@tiptap/core';
import { useEffect, useId, useState, type FormEvent } from 'react';
import { setParagraphStatus } from '../../shared/model/paragraph-status.js';
import { findBlockByRef } from '../../shared/model/paragraphs.js';
import { canBracket, canEditParagraph, canSetParagraphStatus } from '../../shared/model/permissions.js';
import { ParagraphStatus } from '../../shared/schema/negotiation.js';
import type { Caret } from '../hooks/useCaret.js';
import type { NegotiationData } from '../hooks/useNegotiationData.js';
import { bracketSelection } from '../negotiation/actions.js';
import { act, type NegotiationEnv } from '../negotiation/env.js';
import { STATUS_LABELS } from '../negotiation/labels.js';
import { jumpToParagraph } from './jump.js';
import { NEGOTIATION_ORIGIN } from './negotiation-origin.js';
import { formatShortcut } from './shortcuts.js';
import './toolbar.css';

type NegotiationToolsProps = { editor: Editor; env: NegotiationEnv; caret: Caret; data: NegotiationData; editable: boolean };

const MESSAGE_MS = 4000;

/** Go to a paragraph by its number, as the chair announces it. */
function JumpTo({ editor, env }: { editor: Editor; env: NegotiationEnv }) {
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
    const block = findBlockByRef(env.ydoc, ref);
    if (block?.id && jumpToParagraph(editor, block.id)) {
      setMessage(null);
      setValue('');
    } else {
      setMessage(`No paragraph ${ref}`);
    }
  };

  return (
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
function StatusControl({ env, caret, data }: { env: NegotiationEnv; caret: Caret; data: NegotiationData }) {
  const block = caret.paragraphId ? data.blocks[caret.paragraphId] : undefined;
  const status = block?.status ?? 'open';
  const where = block?.ref ? `¶ ${block.ref}` : '¶';

  if (!canSetParagraphStatus(env.role)) {
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
          if (block) act(env, (actor) => setParagraphStatus(env.ydoc, { paragraphId: block.id, status: next, actor }, NEGOTIATION_ORIGIN));
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
export function NegotiationTools({ editor, env, caret, data, editable }: NegotiationToolsProps) {
  const status = caret.paragraphId ? (data.blocks[caret.paragraphId]?.status ?? 'open') : 'open';
  const canBracketHere = editable && canBracket(env.role) && caret.bracketable && canEditParagraph(env.role, status);
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
          onClick={() => bracketSelection(env, editor.state)}
        >
          <span className="toolbar__bracket-icon" aria-hidden="true">
            [ ]
          </span>{' '}
          Bracket
        </button>
      </div>
      <div className="toolbar__group toolbar__group--paragraph">
        <JumpTo editor={editor} env={env} />
        <StatusControl env={env} caret={caret} data={data} />
      </div>
    </>
  );
}
