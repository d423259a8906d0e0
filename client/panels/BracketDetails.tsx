import type { Editor } from '@tiptap/core';
import { useId, useState, type FormEvent } from 'react';
import type { OptionView } from '../../shared/model/brackets.js';
import { canBracket, canResolveBrackets } from '../../shared/model/permissions.js';
import type { ResolutionOutcome } from '../../shared/schema/negotiation.js';
import { RelativeTime } from '../components/RelativeTime.js';
import { jumpToParagraph } from '../editor/jump.js';
import { useCaret } from '../hooks/useCaret.js';
import { useParticipant } from '../hooks/useNegotiation.js';
import { OPTION_KIND_LABELS, positionSentence } from '../negotiation/labels.js';
import type { GroupItem } from '../negotiation/negotiation-index.js';
import { positionIn } from '../negotiation/negotiation-views.js';
import { actorOf } from '../negotiation/participant.js';
import { DelegationNames } from './DelegationNames.js';
import { ResolutionRecord } from './ResolutionRecord.js';
import './panels.css';
import './bracket-details.css';

type BracketDetailsProps = {
  editor: Editor;
  group: GroupItem;
  onClose: () => void;
};

/** What this person may do in the card: take positions (a delegation), resolve (the chair, the secretariat), or only read. */
type Powers = { delegation: string; takesPositions: boolean; resolves: boolean };

/** The chair's way of keeping one option, named after what it keeps. */
function chooseLabel(option: OptionView): string {
  if (option.kind === 'original') return 'Keep original text';
  return option.kind === 'delete' ? 'Delete the text' : `Choose ${option.label}`;
}

/** One option: its words, who stands behind it, and what this person can do about it. */
function OptionCard(props: { option: OptionView; group: GroupItem; editor: Editor; powers: Powers; current: boolean }) {
  const { option, group, editor, powers, current } = props;
  const { delegation, takesPositions, resolves } = powers;
  const [editingNote, setEditingNote] = useState(false);
  const [note, setNote] = useState(option.note);
  const letter = option.label;
  const proposes = option.proponents.includes(delegation);
  const holds = proposes || option.supporters.includes(delegation);
  // Who bracketed the original text objects to it: "Withdraw my bracket" is their way back, not "Support".
  const mayHold = option.kind !== 'original' || !group.bracketedBy.some((entry) => entry.delegation === delegation);

  const saveNote = (event: FormEvent) => {
    event.preventDefault();
    editor.commands.setOptionNote(group.id, option.id, note);
    setEditingNote(false);
  };

  return (
    <li className={`option-card option-card--${option.kind}${current ? ' option-card--current' : ''}`} data-testid={`option-${letter}`}>
      <div className="option-card__head">
        <span className={`option-letter${option.kind === 'original' ? ' option-letter--original' : ''}`}>{letter}</span>
        <span className="option-card__kind">{OPTION_KIND_LABELS[option.kind]}</span>
        {takesPositions && holds && <span className="chip chip--mine">{delegation}</span>}
      </div>
      <p className="option-card__text">
        {option.kind === 'delete' ? <em className="option-card__delete">delete the bracketed text</em> : option.text || <em>(no text left)</em>}
      </p>
      <div className="option-card__who">
        {option.kind === 'original' ? (
          <p data-testid={`bracketers-${letter}`}>
            bracketed by <DelegationNames names={group.bracketedBy.map((e) => e.delegation)} entries={group.bracketedBy} />
          </p>
        ) : (
          <p data-testid={`proponents-${letter}`}>
            proposed by <DelegationNames names={option.proponents} />
          </p>
        )}
        {option.supporters.length > 0 && (
          <p data-testid={`supporters-${letter}`}>
            supported by <DelegationNames names={option.supporters} />
          </p>
        )}
      </div>
      {option.note && !editingNote && <p className="option-card__note">Note: {option.note}</p>}
      {editingNote && (
        <form className="inline-form" onSubmit={saveNote}>
          <input
            className="input input--small"
            value={note}
            maxLength={1000}
            onChange={(event) => setNote(event.target.value)}
            placeholder="Short note, e.g. the source of this wording"
            aria-label={`Note on option ${letter}`}
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
      {(takesPositions || resolves) && (
        <div className="option-card__actions">
          {takesPositions && holds && (
            <button
              type="button"
              className="button button--small"
              data-testid={`withdraw-option-${letter}`}
              title={proposes ? `Withdraw ${delegation}'s proposal` : `Withdraw ${delegation}'s support`}
              onClick={() => editor.commands.withdrawSupport(group.id, option.id)}
            >
              Withdraw
            </button>
          )}
          {takesPositions && !holds && mayHold && (
            <button
              type="button"
              className="button button--small button--primary-outline"
              data-testid={`support-option-${letter}`}
              title={`${delegation} supports option ${letter} (its position in this bracket moves here)`}
              onClick={() => editor.commands.supportOption(group.id, option.id)}
            >
              Support
            </button>
          )}
          {takesPositions && proposes && !editingNote && (
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
          {resolves && (
            <button
              type="button"
              className="button button--small button--resolve"
              data-testid={`resolve-choose-${letter}`}
              onClick={() => editor.commands.resolveBracket(group.id, 'chosen', option.id)}
              title={option.kind === 'delete' ? 'Delete the bracketed text' : `Keep option ${letter} and clean the brackets`}
            >
              {chooseLabel(option)}
            </button>
          )}
        </div>
      )}
    </li>
  );
}

/** Proposing an alternative wording. */
function ProposeAlternative({ group, editor, onDone }: { group: GroupItem; editor: Editor; onDone: () => void }) {
  const [text, setText] = useState('');
  const inputId = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (text.trim() && editor.commands.addAlternative(group.id, text)) onDone();
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
        autoFocus
      />
      <div className="form__actions">
        <button type="button" className="button button--small button--quiet" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className="button button--small button--primary" data-testid="alternative-submit" disabled={!text.trim()}>
          Propose
        </button>
      </div>
    </form>
  );
}

/** A delegation's own moves on the whole group: bracket too or withdraw its bracket, propose an alternative or the deletion. */
function PositionActions({ group, editor, delegation }: { group: GroupItem; editor: Editor; delegation: string }) {
  const [proposing, setProposing] = useState(false);
  const hasOriginal = group.options.some((o) => o.kind === 'original');
  const bracketed = group.bracketedBy.some((entry) => entry.delegation === delegation);
  const deletion = group.options.find((o) => o.kind === 'delete');
  if (proposing) return <ProposeAlternative group={group} editor={editor} onDone={() => setProposing(false)} />;
  return (
    <div className="card__actions">
      {hasOriginal &&
        (bracketed ? (
          <button type="button" className="button button--small" data-testid="withdraw-bracket" onClick={() => editor.commands.withdrawBracket(group.id)}>
            Withdraw my bracket
          </button>
        ) : (
          <button
            type="button"
            className="button button--small"
            data-testid="join-bracket"
            title={`${delegation} brackets this text too`}
            onClick={() => editor.commands.joinBracket(group.id)}
          >
            Also bracket
          </button>
        ))}
      <button type="button" className="button button--small" data-testid="add-alternative" onClick={() => setProposing(true)}>
        Propose alternative
      </button>
      {/* Once someone proposes the deletion, others support that option instead. */}
      {!deletion && (
        <button
          type="button"
          className="button button--small"
          data-testid="add-delete-option"
          title="Propose deleting the bracketed text"
          onClick={() => editor.commands.addAlternative(group.id, '')}
        >
          Propose deletion
        </button>
      )}
    </div>
  );
}

/**
 * A bracket group in full: who bracketed the original text, every proposal
 * with its proponents and supporters, this delegation's position and its
 * moves, and the chair's ways of cleaning it. Delegations take positions;
 * the chair and the secretariat take none (no support, proposal or bracket
 * controls), they resolve.
 */
export function BracketDetails({ editor, group, onClose }: BracketDetailsProps) {
  const { identity, role } = useParticipant(editor);
  const caret = useCaret(editor);
  const delegation = identity.delegation.trim();
  const currentOption = caret.group === group.id ? caret.option : null;
  const open = group.status === 'open';
  const powers: Powers = {
    delegation,
    takesPositions: open && canBracket(role) && actorOf(identity) !== null,
    resolves: open && canResolveBrackets(role),
  };
  const hasOriginal = group.options.some((o) => o.kind === 'original');
  const resolve = (outcome: ResolutionOutcome) => editor.commands.resolveBracket(group.id, outcome);

  return (
    <section className="card bracket-details" data-testid="bracket-details" aria-labelledby={`bd-${group.id}`}>
      <header className="card__header">
        <h2 className="card__title" id={`bd-${group.id}`}>
          {hasOriginal ? 'Bracket' : 'Proposed insertion'}
          {group.ref ? ` in ${group.ref}` : ''}
        </h2>
        <span className={`chip chip--${group.status}`}>{open ? 'Open' : 'Resolved'}</span>
        <button type="button" className="card__close" aria-label="Close" title="Close" onClick={onClose}>
          ×
        </button>
      </header>
      <p className="card__meta">
        Opened <RelativeTime iso={group.createdAt} />
        {open && (
          <>
            {' · '}
            <button type="button" className="link-button" onClick={() => jumpToParagraph(editor, group.where, group.start)}>
              show in text
            </button>
          </>
        )}
      </p>

      {open ? (
        <>
          {powers.takesPositions && (
            <p className="bracket-details__position" data-testid="my-position" aria-live="polite">
              {positionSentence(
                delegation,
                positionIn(group, delegation),
                group.bracketedBy.some((entry) => entry.delegation === delegation),
              )}
            </p>
          )}
          <ol className="option-list">
            {group.options.map((option) => (
              <OptionCard key={option.id} option={option} group={group} editor={editor} powers={powers} current={option.id === currentOption} />
            ))}
          </ol>
          {powers.takesPositions && <PositionActions group={group} editor={editor} delegation={delegation} />}
          {powers.resolves && (
            // biome-ignore lint/a11y/useSemanticElements: a row of buttons, not form fields: a fieldset would bring its own border and legend rules.
            <div className="resolve-bar" role="group" aria-label="Clean this bracket">
              <span className="resolve-bar__title">{role === 'chair' ? 'Chair' : 'Secretariat'}: resolve</span>
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
