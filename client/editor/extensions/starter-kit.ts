import StarterKit from '@tiptap/starter-kit';

export const starterKit = StarterKit.configure({
  // Yjs keeps the undo history (see collaboration.ts): ProseMirror's own history
  // would also undo what other delegates typed.
  undoRedo: false,
  // Reports use three heading levels; deeper structure is carried by paragraph numbers.
  heading: { levels: [1, 2, 3] },
  // Code blocks are not negotiation text, and "```" would create one by accident.
  codeBlock: false,
  // A click in the text is meant to place the cursor, not to leave the meeting's document.
  link: { openOnClick: false },
});
