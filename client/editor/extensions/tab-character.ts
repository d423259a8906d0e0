import { Extension } from '@tiptap/core';

/**
 * Tab types a TAB, the separator between a paragraph number and its text, as in
 * Word. Lower priority than the list keymap, so Tab still indents list items.
 */
export const TabCharacter = Extension.create({
  name: 'tabCharacter',
  priority: 50,

  addKeyboardShortcuts() {
    return {
      Tab: () => this.editor.commands.command(({ tr }) => {
        tr.insertText('\t');
        return true;
      }),
    };
  },
});
