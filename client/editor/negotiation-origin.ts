/**
 * The Yjs transaction origin of every negotiation operation this person makes
 * (bracket, support, resolve, status, comment). One shared object, so the
 * editor's UndoManager can track it next to typing: Ctrl+Z then undoes
 * "I bracketed this" as naturally as "I typed this".
 */
export const NEGOTIATION_ORIGIN = { source: 'negotiation-ui' } as const;
