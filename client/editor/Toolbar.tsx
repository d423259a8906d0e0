import type { ChainedCommands, Editor } from '@tiptap/core';
import { useEditorState } from '@tiptap/react';
import type { ReactNode } from 'react';
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
    icon: '• List',
    shortcut: 'Mod-Shift-8',
    isActive: (editor) => editor.isActive('bulletList'),
    run: format((chain) => chain.toggleBulletList()),
  },
  {
    id: 'ordered-list',
    label: 'Numbered list',
    icon: '1. List',
    shortcut: 'Mod-Shift-7',
    isActive: (editor) => editor.isActive('orderedList'),
    run: format((chain) => chain.toggleOrderedList()),
  },
];

const HISTORY_ACTIONS: ToolbarAction[] = [
  {
    id: 'undo',
    label: 'Undo',
    icon: '↶ Undo',
    shortcut: 'Mod-Z',
    isEnabled: (editor) => editor.can().undo(),
    // Yjs undo works outside ProseMirror transactions: call it directly, not in a chain.
    run: (editor) => editor.commands.undo(),
  },
  {
    id: 'redo',
    label: 'Redo',
    icon: '↷ Redo',
    shortcut: 'Mod-Shift-Z',
    isEnabled: (editor) => editor.can().redo(),
    run: (editor) => editor.commands.redo(),
  },
];

const GROUPS = [BLOCK_ACTIONS, MARK_ACTIONS, LIST_ACTIONS, HISTORY_ACTIONS];
const ALL_ACTIONS = GROUPS.flat();

type ButtonState = { active: boolean; enabled: boolean };

/** The formatting buttons, then any further groups (the negotiation tools) passed as children. */
export function Toolbar({ editor, children }: { editor: Editor; children?: ReactNode }) {
  const states = useEditorState({
    editor,
    selector: ({ editor: current }): Record<string, ButtonState> =>
      Object.fromEntries(
        ALL_ACTIONS.map((action) => [
          action.id,
          {
            active: action.isActive?.(current) ?? false,
            enabled: current.isEditable && (action.isEnabled?.(current) ?? true),
          },
        ]),
      ),
    equalityFn: (a, b) => JSON.stringify(a) === JSON.stringify(b),
  });

  return (
    <div className="toolbar" role="toolbar" aria-label="Formatting and negotiation" aria-controls="draft-body">
      {GROUPS.map((group) => (
        <div key={group[0]!.id} className="toolbar__group">
          {group.map((action) => {
            const state = states[action.id];
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
