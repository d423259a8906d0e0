import { EditorContent, useEditor, useEditorState } from '@tiptap/react';
import { useEffect, useState } from 'react';
import { finalCloseMessage } from '../collab/close-messages.js';
import type { CollabSession } from '../collab/session.js';
import type { ConnectionState } from '../collab/useConnectionState.js';
import { identityColor, type Identity } from '../identity.js';
import { Link } from '../components/Link.js';
import { PresencePanel } from '../panels/PresencePanel.js';
import { listPath } from '../router.js';
import { draftExtensions, type CaretUser } from './extensions/index.js';
import { Toolbar } from './Toolbar.js';

type DraftEditorProps = {
  session: CollabSession;
  identity: Identity;
  connection: ConnectionState;
};

const caretUser = (identity: Identity): CaretUser => ({
  name: identity.name,
  delegation: identity.delegation,
  color: identityColor(identity),
});

/** Toolbar, the shared text and who is here, for one open document. */
export function DraftEditor({ session, identity, connection }: DraftEditorProps) {
  const { ydoc, provider } = session;
  const editable = connection.finalCloseCode === null;

  const { name, delegation } = identity;
  // Built once per document: the identity is updated in place below, because a
  // new editor would lose this person's undo history.
  const [extensions] = useState(() => draftExtensions(ydoc, provider, caretUser(identity)));
  const editor = useEditor(
    {
      extensions,
      editorProps: {
        attributes: { id: 'draft-body', 'aria-label': 'Document text', spellcheck: 'true' },
      },
    },
    [extensions],
  );

  useEffect(() => {
    editor.commands.updateUser(caretUser({ name, delegation }));
  }, [editor, name, delegation]);

  useEffect(() => {
    editor.setEditable(editable, false);
  }, [editor, editable]);

  const isEmpty = useEditorState({ editor, selector: ({ editor: current }) => current.isEmpty });
  const waiting = isEmpty && !connection.synced && editable;

  return (
    <>
      <Toolbar editor={editor} />
      <div className="workspace">
        <main className="page-column">
          {connection.finalCloseCode !== null && (
            <div className="banner banner--error" role="alert" data-testid="final-close-message">
              {finalCloseMessage(connection.finalCloseCode)}{' '}
              <Link href={listPath()}>Back to all documents</Link>
            </div>
          )}
          <article className={waiting ? 'page page--waiting' : 'page'} aria-busy={waiting}>
            {waiting && (
              <p className="page__waiting" aria-live="polite">
                {connection.state === 'offline'
                  ? 'None of this document is stored on this computer yet. Its text appears when the connection is back.'
                  : 'Loading the text…'}
              </p>
            )}
            <EditorContent editor={editor} />
          </article>
        </main>
        <aside className="sidebar" aria-label="Participants">
          <PresencePanel awareness={provider.awareness} />
        </aside>
      </div>
    </>
  );
}
