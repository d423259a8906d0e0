import { EditorContent, useEditor, useEditorState } from '@tiptap/react';
import { useCallback, useEffect, useLayoutEffect, useState } from 'react';
import { canEditText, presides } from '../../shared/model/permissions.js';
import { finalCloseMessage } from '../collab/close-messages.js';
import type { CollabSession } from '../collab/session.js';
import type { ConnectionState } from '../collab/useConnectionState.js';
import type { Refusal } from '../collab/useCollabSession.js';
import type { Role } from '../../shared/schema/roles.js';
import { Link } from '../components/Link.js';
import { Notices } from '../components/Notices.js';
import { useCaret } from '../hooks/useCaret.js';
import { useNegotiation } from '../hooks/useNegotiation.js';
import { useNotices } from '../hooks/useNotices.js';
import { identityColor, type Identity } from '../identity.js';
import { BracketDetails } from '../panels/BracketDetails.js';
import { BracketsPanel } from '../panels/BracketsPanel.js';
import { CommentsSidebar, type ThreadFocus } from '../panels/CommentsSidebar.js';
import { DamagedRecordsNotice } from '../panels/DamagedRecordsNotice.js';
import { PresencePanel } from '../panels/PresencePanel.js';
import { ResolutionRecords } from '../panels/ResolutionRecords.js';
import { listPath } from '../router.js';
import { draftExtensions, type CaretUser } from './extensions/index.js';
import { negotiationOf } from './extensions/negotiation.js';
import { NegotiationTools } from './NegotiationTools.js';
import { Toolbar } from './Toolbar.js';
import { useRefusalRecovery } from './useRefusalRecovery.js';
import './editor.css';
import './draft-text.css';
import './negotiation-marks.css';

type DraftEditorProps = {
  session: CollabSession;
  /** Name and delegation as the server knows them (from the invitation). */
  identity: Identity;
  role: Role;
  connection: ConnectionState;
  /** The last change of ours the server refused, if any: this editor shows the server's copy, reloaded after it. */
  refusal: Refusal | null;
};

/** What the card at the top of the sidebar shows: one bracket group, or the resolved brackets of a paragraph. */
type Focus = { kind: 'none' } | { kind: 'group'; groupId: string } | { kind: 'resolutions'; paragraphId: string };

const caretUser = (identity: Identity): CaretUser => ({
  name: identity.name,
  delegation: identity.delegation,
  color: identityColor(identity),
});

/** Toolbar, the shared text with its comments, and the negotiation sidebar, for one open document. */
export function DraftEditor({ session, identity, role, connection, refusal }: DraftEditorProps) {
  const { ydoc, provider } = session;
  const editable = connection.finalCloseCode === null && canEditText(role);
  const { name, delegation } = identity;

  const [notices, notify, dismissNotice] = useNotices();
  const [focus, setFocus] = useState<Focus>({ kind: 'none' });
  const [threadFocus, setThreadFocus] = useState<ThreadFocus | null>(null);

  // Built once per document: a new editor would lose this person's undo history. Its callbacks only set
  // React state, and React's setters stay the same for the editor's whole life.
  const [extensions] = useState(() =>
    draftExtensions({
      ydoc,
      provider,
      user: caretUser(identity),
      identity,
      role,
      onNotice: notify,
      onSelectGroup: (groupId) => setFocus({ kind: 'group', groupId }),
      onOpenThreads: (paragraphId) => setThreadFocus({ paragraphId, nonce: Date.now() }),
      onOpenResolutions: (paragraphId) => setFocus({ kind: 'resolutions', paragraphId }),
    }),
  );
  const editor = useEditor(
    {
      extensions,
      editorProps: {
        attributes: { id: 'draft-body', 'aria-label': 'Document text', spellcheck: 'true' },
      },
    },
    [extensions],
  );

  // After a refusal: the reader's place back once the server's copy is in, and what was not kept, with their text.
  useRefusalRecovery(editor, session, connection.synced, refusal, notify);

  // The editor's commands act as the current person.
  useLayoutEffect(() => {
    const current = negotiationOf(editor).participant;
    if (current.role !== role || current.identity.name !== name || current.identity.delegation !== delegation) {
      editor.commands.setParticipant({ identity: { name, delegation }, role });
    }
  }, [editor, name, delegation, role]);

  useEffect(() => {
    editor.commands.updateUser(caretUser({ name, delegation }));
  }, [editor, name, delegation]);

  // With an update, so the toolbar (which reads it from the editor) follows at once.
  useEffect(() => {
    if (editor.isEditable !== editable) editor.setEditable(editable);
  }, [editor, editable]);

  const groups = useNegotiation(editor, (data) => data.groups);
  const blocks = useNegotiation(editor, (data) => data.blocks);
  const damaged = useNegotiation(editor, (data) => data.damaged);
  const caret = useCaret(editor);

  // Moving the caret into a bracket opens its details; leaving it keeps them open until closed.
  useEffect(() => {
    if (caret.group) setFocus({ kind: 'group', groupId: caret.group });
  }, [caret.group]);

  // Threads highlighted from a comment badge stay so until the caret goes to another paragraph.
  useEffect(() => {
    setThreadFocus((current) => (current && current.paragraphId !== caret.paragraphId ? null : current));
  }, [caret.paragraphId]);

  const isEmpty = useEditorState({ editor, selector: ({ editor: current }) => current.isEmpty });
  const waiting = isEmpty && !connection.synced && connection.finalCloseCode === null;

  const focusedGroup = focus.kind === 'group' ? groups.find((g) => g.id === focus.groupId) : undefined;
  const closeFocus = useCallback(() => setFocus({ kind: 'none' }), []);
  const selectGroup = useCallback((groupId: string) => setFocus({ kind: 'group', groupId }), []);

  return (
    <>
      <Toolbar editor={editor}>
        <NegotiationTools editor={editor} />
      </Toolbar>
      <div className="workspace">
        <main className="page-column">
          {connection.finalCloseCode !== null && (
            <div className="banner banner--error" role="alert" data-testid="final-close-message">
              {finalCloseMessage(connection.finalCloseCode)}{' '}
              <Link href={listPath()}>Back to all documents</Link>
            </div>
          )}
          <div className="page-row">
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
            <CommentsSidebar editor={editor} focus={threadFocus} />
          </div>
        </main>
        <aside className="sidebar" aria-label="Negotiation">
          {presides(role) && <DamagedRecordsNotice damaged={damaged} blocks={blocks} />}
          {focusedGroup && <BracketDetails key={focusedGroup.id} editor={editor} group={focusedGroup} onClose={closeFocus} />}
          {focus.kind === 'resolutions' && (
            <ResolutionRecords
              paragraphRef={blocks[focus.paragraphId]?.ref ?? null}
              groups={groups.filter((g) => g.status === 'resolved' && g.paragraphId === focus.paragraphId)}
              onClose={closeFocus}
            />
          )}
          <BracketsPanel editor={editor} selectedGroupId={focus.kind === 'group' ? focus.groupId : null} onSelectGroup={selectGroup} />
          <PresencePanel awareness={provider.awareness} />
        </aside>
      </div>
      <Notices notices={notices} onDismiss={dismissNotice} />
    </>
  );
}
