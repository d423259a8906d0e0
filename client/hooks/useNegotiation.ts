import type { Editor } from '@tiptap/core';
import { useCallback, useSyncExternalStore } from 'react';
import { negotiationOf, type Participant } from '../editor/extensions/negotiation.js';
import type { NegotiationData } from '../negotiation/negotiation-index.js';

/**
 * A part of the document's negotiation (brackets, threads, statuses, the
 * consensus figure) from the editor's index. `select` returns one part of the
 * snapshot as it is (not a new object): the component re-renders when that
 * part changes, not on every keystroke.
 */
export function useNegotiation<T>(editor: Editor, select: (data: NegotiationData) => T): T {
  const { index } = negotiationOf(editor);
  return useSyncExternalStore(index.subscribe, () => select(index.snapshot()));
}

/** Who is at this editor, as its negotiation holds them (see the setParticipant command). */
export function useParticipant(editor: Editor): Participant {
  const subscribe = useCallback(
    (listener: () => void) => {
      editor.on('transaction', listener);
      return () => {
        editor.off('transaction', listener);
      };
    },
    [editor],
  );
  return useSyncExternalStore(subscribe, () => negotiationOf(editor).participant);
}
