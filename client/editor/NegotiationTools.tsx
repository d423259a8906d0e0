import type { Editor } from '@tiptap/core';
import { useEditorState } from '@tiptap/react';
import { memo, useEffect, useId, useState, type FormEvent } from 'react';
import { findBlockByRef, type Block } from '../../shared/model/paragraphs.js';
import { canBracket, canSetParagraphStatus } from '../../shared/model/permissions.js';
import { ParagraphStatus } from '../../shared/schema/negotiation.js';
import { useCaret } from '../hooks/useCaret.js';
import { useNegotiation, useParticipant } from '../hooks/useNegotiation.js';
import { CHANGED_SINCE_AGREED, STATUS_LABELS } from '../negotiation/labels.js';
import { Modal } from '../components/Modal.js';
import { agreePlan, type AgreePlan } from '../negotiation/negotiation-views.js';
import { negotiationOf } from './extensions/negotiation.js';
import { blockId } from './positions.js';
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
  // Agreed, then changed by the chair or the secretariat: it no longer reads as agreed, and stays locked.
  const changed = block?.changedSinceAgreed ?? false;

  if (!canSetParagraphStatus(role)) {
    return (
      <span
        className={`status-display status-display--${changed ? 'changed' : status}`}
        data-testid="paragraph-status"
        title={changed ? CHANGED_SINCE_AGREED.title : 'Status of the paragraph with the cursor'}
      >
        <span className="status-display__where">{where}</span> {changed ? CHANGED_SINCE_AGREED.text : STATUS_LABELS[status]}
      </span>
    );
  }
  return (
    <>
      <label className="status-control" title="Status of the paragraph with the cursor">
        <span className="status-control__where">{where}</span>
        <select
          className={`status-select status-select--${changed ? 'changed' : status}`}
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
      {block && changed && (
        // The select still says "Agreed" (the lock holds): choosing it again would change nothing, so this agrees it anew.
        <button
          type="button"
          className="toolbar__button toolbar__button--changed"
          data-testid="paragraph-agree-again"
          title={`${CHANGED_SINCE_AGREED.title} Press to agree it as it reads now.`}
          onMouseDown={(event) => event.preventDefault()}
          onClick={() => editor.commands.setParagraphStatus(block.id, status)}
        >
          {CHANGED_SINCE_AGREED.text}: agree again
        </button>
      )}
    </>
  );
}

type AgreeScope = { kind: 'section'; section: string } | { kind: 'selection' };

/** Paragraph ids of the text blocks the selection touches. */
function selectedIds(editor: Editor): Set<string> {
  const ids = new Set<string>();
  const { from, to } = editor.state.selection;
  editor.state.doc.nodesBetween(from, to, (node) => {
    if (!node.isTextblock) return true;
    const id = blockId(node);
    if (id) ids.add(id);
    return false;
  });
  return ids;
}

/** What agreeing this scope would set, read when asked (it reads every paragraph's text). */
function planFor(editor: Editor, scope: AgreeScope): AgreePlan {
  const { index } = negotiationOf(editor);
  let inScope: (block: Block) => boolean;
  if (scope.kind === 'section') inScope = (block) => block.section === scope.section;
  else {
    const selected = selectedIds(editor);
    inScope = (block) => block.id !== null && selected.has(block.id);
  }
  return agreePlan(
    index.countedParagraphs().filter(({ block }) => inScope(block)),
    index.snapshot().groups,
  );
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "3.1, 3.2, 3.3 … 3.5 f)": the references, shortened in the middle when long. */
function refList(refs: string[]): string {
  return refs.length <= 8 ? refs.join(', ') : `${refs.slice(0, 5).join(', ')} … ${refs.slice(-2).join(', ')}`;
}

function AgreeDialog({ editor, scope, onClose }: { editor: Editor; scope: AgreeScope; onClose: () => void }) {
  const [plan] = useState(() => planFor(editor, scope));
  const what = scope.kind === 'section' ? `of section ${scope.section}` : 'selected';
  const n = plan.ids.length;
  const question =
    scope.kind === 'section' ? `Agree ${plural(n, 'paragraph')} ${what}?` : `Agree ${n} ${what} ${n === 1 ? 'paragraph' : 'paragraphs'}?`;
  const confirm = () => {
    if (editor.commands.setParagraphStatuses(plan.ids, 'agreed')) onClose();
  };
  return (
    <Modal title={n ? question : 'Nothing to agree'} onClose={onClose}>
      <div className="form" data-testid="agree-dialog">
        {n === 0 ? (
          <p>{plan.alreadyAgreed ? `Every numbered paragraph ${what} is already agreed.` : `There are no numbered paragraphs ${what}.`}</p>
        ) : (
          <>
            <p data-testid="agree-refs">{plan.refs.length ? refList(plan.refs) : plural(n, 'paragraph')}</p>
            <ul className="agree-dialog__notes">
              <li>Headings and titles are not set; each paragraph records the text it has now.</li>
              {plan.alreadyAgreed > 0 && <li>{plural(plan.alreadyAgreed, 'paragraph')} already agreed stay as they are.</li>}
              {plan.adRef > 0 && <li>{plural(plan.adRef, 'paragraph')} agreed ad ref become agreed.</li>}
              {plan.withOpenBrackets > 0 && <li>{plural(plan.withOpenBrackets, 'paragraph')} still hold open brackets.</li>}
            </ul>
          </>
        )}
        <div className="form__actions">
          <button type="button" className="button" onClick={onClose} autoFocus>
            Cancel
          </button>
          {n > 0 && (
            <button type="button" className="button button--primary" data-testid="agree-confirm" onClick={confirm}>
              Agree {plural(n, 'paragraph')}
            </button>
          )}
        </div>
      </div>
    </Modal>
  );
}

/** The chair's way of agreeing many paragraphs at once: the selected ones, or the section the caret is in. */
function AgreeParagraphs({ editor }: { editor: Editor }) {
  const { paragraphId } = useCaret(editor);
  const section = useNegotiation(editor, (data) => (paragraphId ? (data.blocks[paragraphId]?.section ?? null) : null));
  // Cheap on every transaction: whether the selection reaches beyond one text block.
  const acrossBlocks = useEditorState({
    editor,
    selector: ({ editor: current }) => current.state.selection.$from.parent !== current.state.selection.$to.parent,
  });
  const [scope, setScope] = useState<AgreeScope | null>(null);
  return (
    <>
      {acrossBlocks ? (
        <button
          type="button"
          className="toolbar__button toolbar__button--outlined"
          data-testid="agree-selection"
          title="Agree the numbered paragraphs in the selection (headings and titles are skipped)"
          onMouseDown={(event) => event.preventDefault()}
          onClick={() => setScope({ kind: 'selection' })}
        >
          Agree selected paragraphs
        </button>
      ) : (
        section && (
          <button
            type="button"
            className="toolbar__button toolbar__button--outlined"
            data-testid="agree-section"
            title={`Agree the numbered paragraphs of section ${section} (headings and titles are skipped)`}
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => setScope({ kind: 'section', section })}
          >
            Agree section {section}
          </button>
        )
      )}
      {scope && <AgreeDialog editor={editor} scope={scope} onClose={() => setScope(null)} />}
    </>
  );
}

/** The Bracket button, for delegations: the chair and the secretariat take no positions, they resolve. */
function BracketButton({ editor }: { editor: Editor }) {
  // The command asked whether it could run here: role, selection, the paragraph's status, an editable page.
  const canBracketHere = useEditorState({ editor, selector: ({ editor: current }) => current.can().bracketSelection() });
  const shortcut = formatShortcut('Mod-Alt-B');
  return (
    <div className="toolbar__group">
      <button
        type="button"
        className="toolbar__button toolbar__button--labelled"
        data-testid="toolbar-bracket"
        aria-label="Bracket"
        title={`Put the selected words in square brackets: your delegation objects to them (${shortcut})`}
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
  );
}

/**
 * Toolbar controls of the negotiation: bracket the selection (delegations), go
 * to a paragraph, its status (set by the chair, a section's or a selection's at
 * once). Readers get the last two only, the status as a statement.
 */
export const NegotiationTools = memo(function NegotiationTools({ editor }: { editor: Editor }) {
  const { role } = useParticipant(editor);
  return (
    <>
      {canBracket(role) && <BracketButton editor={editor} />}
      <div className="toolbar__group toolbar__group--paragraph">
        <JumpTo editor={editor} />
        <StatusControl editor={editor} />
        {canSetParagraphStatus(role) && <AgreeParagraphs editor={editor} />}
      </div>
    </>
  );
});
