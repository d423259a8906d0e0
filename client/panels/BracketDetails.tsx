import type { Editor } from '@tiptap/core';
import { useId, useState, type FormEvent } from 'react';
import type { OptionView } from '../../shared/model/brackets.js';
import { canBracket, canResolveBrackets } from '../../shared/model/permissions.js';
import type { ResolutionOutcome } from '../../shared/schema/negotiation.js';
import type { Role } from '../../shared/schema/roles.js';
import { RelativeTime } from '../components/RelativeTime.js';
import { jumpToParagraph } from '../editor/jump.js';
import { useCaret } from '../hooks/useCaret.js';
import { useParticipant } from '../hooks/useNegotiation.js';
import { delegationList } from '../negotiation/labels.js';
import type { GroupItem } from '../negotiation/negotiation-index.js';
import { actorOf } from '../negotiation/participant.js';
import { ResolutionRecord } from './ResolutionRecord.js';
import './panels.css';
import './bracket-details.css';

type BracketDetailsProps = {
  editor: Editor;
  group: GroupItem;
  onClose: () => void;
};

/** One option: its words, who proposes and supports it, and what this person can do about it. */
function OptionCard(props: {
  option: OptionView;
  group: GroupItem;
  editor: Editor;
  role: Role;
  /** The delegation this person speaks for ('' when none). */
  delegation: string;
  current: boolean;
  onResolve: (outcome: ResolutionOutcome, optionId?: string) => void;
}) {
  const { option, group, editor, role, delegation, current, onResolve } = props;
  const [editingNote, setEditingNote] = useState(false);
  const [note, setNote] = useState(option.note);
  const proposes = option.proponents.includes(delegation);
  const supports = option.supporters.includes(delegation);
  const open = group.status === 'open';
  const testLetter = option.label;

  const toggleSupport = () =>
    supports ? editor.commands.withdrawSupport(group.id, option.id) : editor.commands.supportOption(group.id, option.id);

  const saveNote = (event: FormEvent) => {
    event.preventDefault();
    editor.commands.setOptionNote(group.id, option.id, note);
    setEditingNote(false);
  };

  return (
    <li className={`option-card${current ? ' option-card--current' : ''}`} data-testid={`option-${testLetter}`}>
      <div className="option-card__head">
        <span className="option-letter">{option.label}</span>
        <span className="option-card__text">
          {option.kind === 'delete' ? <em className="option-card__delete">(delete)</em> : option.text || <em>(no text left)</em>}
        </span>
      </div>
      <dl className="option-card__who">
        <dt>Proposed by</dt>
        <dd data-testid={`proponents-${testLetter}`}>{delegationList(option.proponents)}</dd>
        {option.supporters.length > 0 && (
          <>
            <dt>Supported by</dt>
            <dd data-testid={`supporters-${testLetter}`}>{delegationList(option.supporters)}</dd>
          </>
        )}
      </dl>
      {option.note && !editingNote && <p className="option-card__note">Note: {option.note}</p>}
      {editingNote && (
        <form className="inline-form" onSubmit={saveNote}>
          <input
            className="input input--small"
            value={note}
            maxLength={1000}
            onChange={(event) => setNote(event.target.value)}
            placeholder="Short note, e.g. the source of this wording"
            aria-label={`Note on option ${option.label}`}
            autoFocus
          />
          <button type="submit" className="button button--small button--primary">
            Save
          </button>
          <button type="button" className="button button--small button--quiet" onClick={() => setEditingNote(false)}>
            Cancel
          </button>
        </form>
      )}
      {open && (
        <div className="option-card__actions">
          {proposes ? (
            <>
              <span className="option-card__mine">Your proposal</span>
              {!editingNote && (
                <button
                  type="button"
                  className="button button--small button--quiet"
                  onClick={() => {
                    setNote(option.note);
                    setEditingNote(true);
                  }}
                >
                  {option.note ? 'Edit note' : 'Add note'}
                </button>
              )}
            </>
          ) : (
            delegation &&
            canBracket(role) && (
              <button
                type="button"
                className={`button button--small${supports ? '' : ' button--primary-outline'}`}
                data-testid={supports ? `withdraw-option-${testLetter}` : `support-option-${testLetter}`}
                onClick={toggleSupport}
              >
                {supports ? 'Withdraw support' : 'Support'}
              </button>
            )
          )}
          {canResolveBrackets(role) && (
            <button
              type="button"
              className="button button--small button--resolve"
              data-testid={`resolve-choose-${testLetter}`}
              onClick={() => onResolve('chosen', option.id)}
              title={option.kind === 'delete' ? 'Delete the bracketed text' : `Keep option ${option.label} and clean the brackets`}
            >
              Choose {option.label}
            </button>
          )}
        </div>
      )}
    </li>
  );
}

/** Adding an alternative wording, or the "delete" option (retain or delete). */
function AddAlternative({ group, editor, onDone }: { group: GroupItem; editor: Editor; onDone: () => void }) {
  const [text, setText] = useState('');
  const inputId = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (editor.commands.addAlternative(group.id, text)) onDone();
  };
  return (
    <form className="alternative-form" onSubmit={submit}>
      <label className="field__label" htmlFor={inputId}>
        Alternative wording
      </label>
      <textarea
        id={inputId}
        className="input input--small"
        data-testid="alternative-text"
        rows={2}
        value={text}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && !event.shiftKey) submit(event);
          if (event.key === 'Escape') onDone();
        }}
        placeholder="Leave empty to propose deleting the text"
        autoFocus
      />
      <div className="form__actions">
        <button type="button" className="button button--small button--quiet" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className="button button--small button--primary" data-testid="alternative-submit">
          {text.trim() ? 'Add option' : 'Add “delete” option'}
        </button>
      </div>
    </form>
  );
}

/**
 * A bracket group in full: every option with its proponents and supporters,
 * support and alternatives for delegations, and the chair's ways of cleaning
 * it. Resolve controls are not rendered at all for roles that do not preside.
 */
export function BracketDetails({ editor, group, onClose }: BracketDetailsProps) {
  const { identity, role } = useParticipant(editor);
  const caret = useCaret(editor);
  const [adding, setAdding] = useState(false);
  const delegation = identity.delegation.trim();
  const currentOption = caret.group === group.id ? caret.option : null;
  const open = group.status === 'open';
  const hasDelete = group.options.some((o) => o.kind === 'delete');
  const mayPropose = open && canBracket(role) && actorOf(identity) !== null;

  const resolve = (outcome: ResolutionOutcome, optionId?: string) => editor.commands.resolveBracket(group.id, outcome, optionId);

  return (
    <section className="card bracket-details" data-testid="bracket-details" aria-labelledby={`bd-${group.id}`}>
      <header className="card__header">
        <h2 className="card__title" id={`bd-${group.id}`}>
          Bracket{group.ref ? ` in ${group.ref}` : ''}
        </h2>
        <span className={`chip chip--${group.status}`}>{open ? 'Open' : 'Resolved'}</span>
        <button type="button" className="card__close" aria-label="Close" title="Close" onClick={onClose}>
          ×
        </button>
      </header>
      <p className="card__meta">
        Opened by {group.createdBy.name} ({group.createdBy.delegation}), <RelativeTime iso={group.createdAt} />
        {open && (
          <>
            {' · '}
            <button
              type="button"
              className="link-button"
              onClick={() => jumpToParagraph(editor, group.where, group.start)}
            >
              show in text
            </button>
          </>
        )}
      </p>

      {open ? (
        <>
          <ol className="option-list">
            {group.options.map((option) => (
              <OptionCard
                key={option.id}
                option={option}
                group={group}
                editor={editor}
                role={role}
                delegation={delegation}
                current={option.id === currentOption}
                onResolve={resolve}
              />
            ))}
          </ol>
          {mayPropose &&
            (adding ? (
              <AddAlternative group={group} editor={editor} onDone={() => setAdding(false)} />
            ) : (
              <div className="card__actions">
                <button type="button" className="button button--small" data-testid="add-alternative" onClick={() => setAdding(true)}>
                  + Add alternative
                </button>
                {!hasDelete && (
                  <button
                    type="button"
                    className="button button--small button--quiet"
                    data-testid="add-delete-option"
                    title="Propose deleting the bracketed text (retain or delete)"
                    onClick={() => editor.commands.addAlternative(group.id, '')}
                  >
                    + “Delete” option
                  </button>
                )}
              </div>
            ))}
          {canResolveBrackets(role) && (
            // biome-ignore lint/a11y/useSemanticElements: a row of buttons, not form fields: a fieldset would bring its own border and legend rules.
            <div className="resolve-bar" role="group" aria-label="Clean this bracket">
              <span className="resolve-bar__title">Chair</span>
              <button type="button" className="button button--small button--danger-text" data-testid="resolve-delete" onClick={() => resolve('deleted')}>
                Delete bracketed text
              </button>
              <button type="button" className="button button--small" data-testid="resolve-remove-brackets" onClick={() => resolve('compromise')}>
                Remove brackets (keep text as edited)
              </button>
            </div>
          )}
        </>
      ) : (
        group.resolution && <ResolutionRecord resolution={group.resolution} paragraphRef={group.ref} />
      )}
    </section>
  );
}
