import { EditorContent, useEditor, useEditorState } from '@tiptap/react';
import { useEffect, useLayoutEffect, useState } from 'react';
import { canEditText, presides } from '../../shared/model/permissions.js';
import { finalCloseMessage } from '../collab/close-messages.js';
import type { CollabSession } from '../collab/session.js';
import type { ConnectionState } from '../collab/useConnectionState.js';
import type { Refusal } from '../collab/useCollabSession.js';
import type { Role } from '../../shared/schema/roles.js';
import { Link } from '../components/Link.js';
import { Notices } from '../components/Notices.js';
import { useCaret } from '../hooks/useCaret.js';
import { useNegotiationData } from '../hooks/useNegotiationData.js';
import { useNotices } from '../hooks/useNotices.js';
import { identityColor, type Identity } from '../identity.js';
import { createNegotiationEnv } from '../negotiation/env.js';
import { BracketDetails } from '../panels/BracketDetails.js';
import { BracketsPanel } from '../panels/BracketsPanel.js';
import { CommentsSidebar, type ThreadFocus } from '../panels/CommentsSidebar.js';
import { DamagedRecordsNotice } from '../panels/DamagedRecordsNotice.js';
import { PresencePanel } from '../panels/PresencePanel.js';
import { ResolutionRecords } from '../panels/ResolutionRecords.js';
import { listPath } from '../router.js';
import { draftExtensions, type CaretUser } from './extensions/index.js';
import { NegotiationTools } from './NegotiationTools.js';
import { Toolbar } from './Toolbar.js';
import './editor.css';
import './draft-text.css';
import './negotiation-marks.css';

type DraftEditorProps = {
  session: CollabSession;
  /** Name and delegation as the server knows them (from the invitation). */
  identity: Identity;
  role: Role;
  connection: ConnectionState;
  /** The last change of ours the server refused, if any: the document was reloaded from the server. */
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
  // Built once per document: the identity is updated in place below, because a
  // new editor would lose this person's undo history.
  const [env] = useState(() => createNegotiationEnv(ydoc, identity, role));
  const [extensions] = useState(() => draftExtensions(ydoc, provider, caretUser(identity), env));
  const editor = useEditor(
    {
      extensions,
      editorProps: {
        attributes: { id: 'draft-body', 'aria-label': 'Document text', spellcheck: 'true' },
      },
    },
    [extensions],
  );

  const [notices, notify, dismissNotice] = useNotices();

  useEffect(() => {
    if (refusal) notify(`The server refused your last change: ${refusal.reason}. The document was reloaded from the server.`);
  }, [refusal, notify]);
  const [focus, setFocus] = useState<Focus>({ kind: 'none' });
  const [threadFocus, setThreadFocus] = useState<ThreadFocus | null>(null);

  // Plugins read these at the moment they act, so they always see the current person.
  useLayoutEffect(() => {
    env.identity = identity;
    env.role = role;
    env.notify = notify;
    env.selectGroup = (groupId) => setFocus(groupId ? { kind: 'group', groupId } : { kind: 'none' });
    env.openResolutions = (paragraphId) => setFocus({ kind: 'resolutions', paragraphId });
    env.openThreads = (paragraphId) => setThreadFocus({ paragraphId, nonce: Date.now() });
  }, [env, identity, role, notify]);

  useEffect(() => {
    editor.commands.updateUser(caretUser({ name, delegation }));
  }, [editor, name, delegation]);

  useEffect(() => {
    editor.setEditable(editable, false);
  }, [editor, editable]);

  const data = useNegotiationData(ydoc);
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

  const focusedGroup = focus.kind === 'group' ? data.groups.find((g) => g.id === focus.groupId) : undefined;
  const closeFocus = () => setFocus({ kind: 'none' });

  return (
    <>
      <Toolbar editor={editor}>
        <NegotiationTools editor={editor} env={env} caret={caret} data={data} editable={editable} />
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
            <CommentsSidebar
              data={data}
              env={env}
              editor={editor}
              role={role}
              caretParagraphId={caret.paragraphId}
              focus={threadFocus}
            />
          </div>
        </main>
        <aside className="sidebar" aria-label="Negotiation">
          {presides(role) && <DamagedRecordsNotice damaged={data.damaged} blocks={data.blocks} />}
          {focusedGroup && (
            <BracketDetails
              key={focusedGroup.id}
              group={focusedGroup}
              env={env}
              editor={editor}
              role={role}
              delegation={delegation.trim()}
              currentOption={caret.group === focusedGroup.id ? caret.option : null}
              onClose={closeFocus}
            />
          )}
          {focus.kind === 'resolutions' && (
            <ResolutionRecords
              paragraphRef={data.blocks[focus.paragraphId]?.ref ?? null}
              groups={data.groups.filter((g) => g.status === 'resolved' && g.paragraphId === focus.paragraphId)}
              onClose={closeFocus}
            />
          )}
          <BracketsPanel
            data={data}
            editor={editor}
            selectedGroupId={focus.kind === 'group' ? focus.groupId : null}
            onSelectGroup={(groupId) => setFocus({ kind: 'group', groupId })}
          />
          <PresencePanel awareness={provider.awareness} />
        </aside>
      </div>
      <Notices notices={notices} onDismiss={dismissNotice} />
    </>
  );
}
