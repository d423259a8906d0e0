import type { Editor } from '@tiptap/core';
import { useEditorState } from '@tiptap/react';
import { bracketAtSelection, textblockAtSelection } from '../editor/positions.js';

export type Caret = {
  /** The paragraph holding the caret (or the selection's start). */
  paragraphId: string | null;
  /** The bracket group and option the caret is in, if any. */
  group: string | null;
  option: string | null;
};

/** Where the caret is, in negotiation terms; re-renders only when one of these changes. */
export function useCaret(editor: Editor): Caret {
  return useEditorState({
    editor,
    selector: ({ editor: current }): Caret => {
      const state = current.state;
      const bracket = bracketAtSelection(state);
      return {
        paragraphId: textblockAtSelection(state)?.id ?? null,
        group: bracket?.group ?? null,
        option: bracket?.option ?? null,
      };
    },
    equalityFn: (a, b) =>
      b !== null && a.paragraphId === b.paragraphId && a.group === b.group && a.option === b.option,
  });
}
