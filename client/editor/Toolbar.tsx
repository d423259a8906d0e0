import type { ChainedCommands, Editor } from '@tiptap/core';
import { useEditorState } from '@tiptap/react';
import type { ReactNode } from 'react';
import { canEditText } from '../../shared/model/permissions.js';
import { modeRefusal } from '../../shared/model/update-rules.js';
import type { Role } from '../../shared/schema/roles.js';
import { useParticipant } from '../hooks/useNegotiation.js';
import { typingRuleOf, type TypingRule } from './extensions/drafting-mode.js';
import { formatShortcut } from './shortcuts.js';
import './toolbar.css';

type ToolbarAction = {
  id: string;
  label: string;
  icon: ReactNode;
  shortcut: string;
  isActive?: (editor: Editor) => boolean;
  isEnabled?: (editor: Editor) => boolean;
  run: (editor: Editor) => void;
};

/** A sign and a word; where the bar is short (toolbar.css) the sign alone, the word staying in the title and the label. */
function Labelled({ icon, text }: { icon: string; text: string }) {
  return (
    <>
      {icon}
      <span className="toolbar__word"> {text}</span>
    </>
  );
}

/** Formatting applies to the selection in the editor, which keeps the focus. */
const format = (apply: (chain: ChainedCommands) => ChainedCommands) => (editor: Editor) => {
  apply(editor.chain().focus()).run();
};

const BLOCK_ACTIONS: ToolbarAction[] = [
  {
    id: 'paragraph',
    label: 'Body text',
    icon: 'Text',
    shortcut: 'Mod-Alt-0',
    isActive: (editor) => editor.isActive('paragraph') && !editor.isActive('heading'),
    run: format((chain) => chain.setParagraph()),
  },
  ...([1, 2, 3] as const).map(
    (level): ToolbarAction => ({
      id: `heading-${level}`,
      label: `Heading ${level}`,
      icon: `H${level}`,
      shortcut: `Mod-Alt-${level}`,
      isActive: (editor) => editor.isActive('heading', { level }),
      run: format((chain) => chain.toggleHeading({ level })),
    }),
  ),
];

const MARK_ACTIONS: ToolbarAction[] = [
  {
    id: 'bold',
    label: 'Bold',
    icon: <b>B</b>,
    shortcut: 'Mod-B',
    isActive: (editor) => editor.isActive('bold'),
    run: format((chain) => chain.toggleBold()),
  },
  {
    id: 'italic',
    label: 'Italic',
    icon: <i>I</i>,
    shortcut: 'Mod-I',
    isActive: (editor) => editor.isActive('italic'),
    run: format((chain) => chain.toggleItalic()),
  },
  {
    id: 'underline',
    label: 'Underline',
    icon: <u>U</u>,
    shortcut: 'Mod-U',
    isActive: (editor) => editor.isActive('underline'),
    run: format((chain) => chain.toggleUnderline()),
  },
];

const LIST_ACTIONS: ToolbarAction[] = [
  {
    id: 'bullet-list',
    label: 'Bulleted list',
    icon: <Labelled icon="•" text="List" />,
    shortcut: 'Mod-Shift-8',
    isActive: (editor) => editor.isActive('bulletList'),
    run: format((chain) => chain.toggleBulletList()),
  },
  {
    id: 'ordered-list',
    label: 'Numbered list',
    icon: <Labelled icon="1." text="List" />,
    shortcut: 'Mod-Shift-7',
    isActive: (editor) => editor.isActive('orderedList'),
    run: format((chain) => chain.toggleOrderedList()),
  },
];

const HISTORY_ACTIONS: ToolbarAction[] = [
  {
    id: 'undo',
    label: 'Undo',
    icon: <Labelled icon="↶" text="Undo" />,
    shortcut: 'Mod-Z',
    isEnabled: (editor) => editor.can().undo(),
    // Yjs undo works outside ProseMirror transactions: call it directly, not in a chain.
    run: (editor) => editor.commands.undo(),
  },
  {
    id: 'redo',
    label: 'Redo',
    icon: <Labelled icon="↷" text="Redo" />,
    shortcut: 'Mod-Shift-Z',
    isEnabled: (editor) => editor.can().redo(),
    run: (editor) => editor.commands.redo(),
  },
];

const FORMATTING = [BLOCK_ACTIONS, MARK_ACTIONS, LIST_ACTIONS];
const ALL_ACTIONS = [...FORMATTING, HISTORY_ACTIONS].flat();

type ButtonState = { active: boolean; enabled: boolean };
type ToolbarState = { rule: TypingRule; buttons: Record<string, ButtonState> };

/**
 * Outside open drafting a delegate's formatting would only be refused (the
 * server takes no raw change to the text from them): the buttons go, and
 * this says why in their place.
 */
const MODE_NOTES: Record<Exclude<TypingRule, 'free'>, string> = {
  proposals: 'Proposals mode: typing proposes, no formatting',
  'pen-holder': 'The chair holds the pen: no typing or formatting',
};

/** What a reader is told above the text, in place of tools they could not use. */
const READING_NOTES: Partial<Record<Role, { what: string; detail: string }>> = {
  observer: { what: 'View only', detail: 'You can read the text and follow the room as it is drafted.' },
  commenter: { what: 'You can comment', detail: 'Read the text and comment on any paragraph; the delegations edit the text.' },
};

/**
 * The bar under the header. People who edit get the formatting buttons their
 * role and the drafting mode allow, then the negotiation tools passed as
 * children; readers (observers, commenters) get a reading view: what they can
 * do here, and the children (which show readers only going to a paragraph and
 * its status).
 */
export function Toolbar({ editor, children }: { editor: Editor; children?: ReactNode }) {
  const { role } = useParticipant(editor);
  if (canEditText(role)) return <EditingToolbar editor={editor}>{children}</EditingToolbar>;
  const note = READING_NOTES[role] ?? { what: 'View only', detail: '' };
  return (
    <section className="toolbar toolbar--reading" aria-label="Reading view" data-testid="reading-bar">
      <p className="reading-notice" data-testid="reading-notice" data-role={role} title={note.detail || undefined}>
        <strong className="reading-notice__what">{note.what}</strong>
        {note.detail && <span className="reading-notice__detail">{note.detail}</span>}
      </p>
      {children}
    </section>
  );
}

function EditingToolbar({ editor, children }: { editor: Editor; children?: ReactNode }) {
  const { rule, buttons } = useEditorState({
    editor,
    selector: ({ editor: current }): ToolbarState => ({
      // The mode comes with a transaction of its own (drafting-mode.ts), so this follows it at once.
      rule: typingRuleOf(current),
      buttons: Object.fromEntries(
        ALL_ACTIONS.map((action) => [
          action.id,
          {
            active: action.isActive?.(current) ?? false,
            enabled: current.isEditable && (action.isEnabled?.(current) ?? true),
          },
        ]),
      ),
    }),
    equalityFn: (a, b) => JSON.stringify(a) === JSON.stringify(b),
  });
  const groups = rule === 'free' ? [...FORMATTING, HISTORY_ACTIONS] : [HISTORY_ACTIONS];

  return (
    <div className="toolbar" role="toolbar" aria-label="Formatting and negotiation" aria-controls="draft-body">
      {rule !== 'free' && (
        <p className="toolbar__note" data-testid="toolbar-mode-note" title={modeRefusal(rule)}>
          {MODE_NOTES[rule]}
        </p>
      )}
      {groups.map((group) => (
        <div key={group[0]!.id} className="toolbar__group">
          {group.map((action) => {
            const state = buttons[action.id];
            const toggles = action.isActive !== undefined;
            return (
              <button
                key={action.id}
                type="button"
                className="toolbar__button"
                data-testid={`toolbar-${action.id}`}
                aria-label={action.label}
                aria-pressed={toggles ? (state?.active ?? false) : undefined}
                title={`${action.label} (${formatShortcut(action.shortcut)})`}
                disabled={!state?.enabled}
                // Keep the text selection: a focused button would take it from the editor.
                onMouseDown={(event) => event.preventDefault()}
                onClick={() => action.run(editor)}
              >
                {action.icon}
              </button>
            );
          })}
        </div>
      ))}
      {children}
    </div>
  );
}
