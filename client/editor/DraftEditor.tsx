import { EditorContent, useEditor, useEditorState } from '@tiptap/react';
import { useCallback, useEffect, useLayoutEffect, useState, type ReactNode } from 'react';
import { canEditText, presides } from '../../shared/model/permissions.js';
import { finalCloseMessage } from '../collab/close-messages.js';
import type { CollabSession } from '../collab/session.js';
import type { ConnectionState } from '../collab/useConnectionState.js';
import type { Refusal } from '../collab/useCollabSession.js';
import type { Role } from '../../shared/schema/roles.js';
import { Drawer, DrawerClose, DrawerToggle, panelsAreDrawers, usePanelsAsDrawers } from '../components/Drawer.js';
import { Link } from '../components/Link.js';
import { Notices } from '../components/Notices.js';
import { useCaret } from '../hooks/useCaret.js';
import { useNegotiation } from '../hooks/useNegotiation.js';
import { useNotices } from '../hooks/useNotices.js';
import { identityColor, type Identity } from '../identity.js';
import { BracketDetails } from '../panels/BracketDetails.js';
import { BracketsPanel } from '../panels/BracketsPanel.js';
import { CommentsPane, type ThreadFocus } from '../panels/CommentsPane.js';
import { CommentsSidebar } from '../panels/CommentsSidebar.js';
import { DamagedRecordsNotice } from '../panels/DamagedRecordsNotice.js';
import { PresencePanel } from '../panels/PresencePanel.js';
import { ReadingsPanel } from '../panels/ReadingsPanel.js';
import { ResolutionRecords } from '../panels/ResolutionRecords.js';
import { useUnreadComments } from '../panels/useUnreadComments.js';
import { arrivalNotice, type Arrival } from '../negotiation/unread-comments.js';
import { listPath } from '../router.js';
import { showUnreadOnBadges } from './extensions/comment-badges.js';
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

/** Which drawer is open, on a screen where the panels are drawers (one at a time: each covers the right of the text). */
type OpenDrawer = 'none' | 'comments' | 'negotiation';

/** Where the threads are shown beside a wide page: level with their paragraphs, or as one list. */
type CommentsView = 'margin' | 'list';

const COMMENTS_DRAWER = 'comments-drawer';
const NEGOTIATION_DRAWER = 'negotiation-drawer';

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
  const asDrawers = usePanelsAsDrawers();
  const [drawer, setDrawer] = useState<OpenDrawer>('none');
  const [commentsView, setCommentsView] = useState<CommentsView>('margin');

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
      // Asked for (a bracket made or clicked, a badge, a history marker): on a narrow screen its drawer opens.
      onSelectGroup: (groupId) => {
        setFocus({ kind: 'group', groupId });
        if (panelsAreDrawers()) setDrawer('negotiation');
      },
      onOpenThreads: (paragraphId) => {
        setThreadFocus({ paragraphId, nonce: Date.now() });
        if (panelsAreDrawers()) setDrawer('comments');
      },
      onOpenResolutions: (paragraphId) => {
        setFocus({ kind: 'resolutions', paragraphId });
        if (panelsAreDrawers()) setDrawer('negotiation');
      },
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

  // The chair and the secretariat follow the room's comments as they come: a quiet notice, never a dialog or a sound.
  const announce = useCallback(
    (arrivals: Arrival[]) => notify(arrivalNotice(arrivals, (id) => negotiationOf(editor).index.snapshot().blocks[id]?.ref ?? null)),
    [editor, notify],
  );
  const unread = useUnreadComments(editor, provider.roomname, identity, connection.synced, presides(role) ? announce : undefined);

  // The comment badges in the text show what this person has not read.
  useEffect(() => showUnreadOnBadges(editor, unread.byParagraph), [editor, unread.byParagraph]);

  // A drawer left open on a wide screen would spring open over the text when the window narrows again.
  useEffect(() => {
    if (!asDrawers) setDrawer('none');
  }, [asDrawers]);

  const groups = useNegotiation(editor, (data) => data.groups);
  const blocks = useNegotiation(editor, (data) => data.blocks);
  const damaged = useNegotiation(editor, (data) => data.damaged);
  const caret = useCaret(editor);

  // The bracket card follows the caret: into a bracket opens its details, out to another paragraph closes them.
  useEffect(() => {
    setFocus((current) => {
      if (caret.group) return current.kind === 'group' && current.groupId === caret.group ? current : { kind: 'group', groupId: caret.group };
      if (current.kind !== 'group' || !caret.paragraphId) return current;
      const shown = negotiationOf(editor).index.snapshot().groups.find((g) => g.id === current.groupId);
      return shown?.where === caret.paragraphId ? current : { kind: 'none' };
    });
  }, [editor, caret.group, caret.paragraphId]);

  // Threads highlighted from a comment badge stay so until the caret goes to another paragraph.
  useEffect(() => {
    setThreadFocus((current) => (current && current.paragraphId !== caret.paragraphId ? null : current));
  }, [caret.paragraphId]);

  const isEmpty = useEditorState({ editor, selector: ({ editor: current }) => current.isEmpty });
  const waiting = isEmpty && !connection.synced && connection.finalCloseCode === null;

  const focusedGroup = focus.kind === 'group' ? groups.find((g) => g.id === focus.groupId) : undefined;
  const closeFocus = useCallback(() => setFocus({ kind: 'none' }), []);
  const selectGroup = useCallback((groupId: string) => setFocus({ kind: 'group', groupId }), []);
  const closeDrawer = useCallback(() => setDrawer('none'), []);
  const toggle = (which: OpenDrawer) => setDrawer((current) => (current === which ? 'none' : which));
  const showList = useCallback(() => setCommentsView('list'), []);
  const showMargin = useCallback(() => setCommentsView('margin'), []);
  const openBrackets = groups.filter((g) => g.status === 'open').length;
  const threadTotal = useNegotiation(editor, (data) => data.threads.length);

  // The negotiation sidebar's panels: beside the page on a wide screen, in a drawer on a narrow one.
  const negotiationPanels: ReactNode = (
    <>
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
      <ReadingsPanel documentId={provider.roomname} role={role} />
      <PresencePanel awareness={provider.awareness} presiding={presides(role)} />
    </>
  );

  return (
    <>
      {/* The bar under the header: the tools, and on a narrow screen the buttons of the drawers it holds. */}
      <div className={asDrawers ? 'editor-bar editor-bar--drawers' : 'editor-bar'}>
        {/* Hangs under the bar, over the top of the text: in view wherever the delegate is, while it lasts. */}
        {connection.paused && (
          <div className="banner banner--error banner--pinned" role="status" data-testid="server-pause-message" data-code={connection.paused.code}>
            {connection.paused.notice}
          </div>
        )}
        <Toolbar editor={editor}>
          <NegotiationTools editor={editor} />
        </Toolbar>
        {asDrawers && (
          <>
            <div className="editor-bar__toggles">
              <DrawerToggle
                controls={COMMENTS_DRAWER}
                open={drawer === 'comments'}
                onToggle={() => toggle('comments')}
                testId="toggle-comments"
                title={unread.total ? `Comments: ${unread.total} unread` : 'Comments'}
              >
                Comments <span className="panel__count">{threadTotal}</span>
                {unread.total > 0 && (
                  <span className="unread-chip" data-testid="toggle-comments-unread">
                    {unread.total} new
                  </span>
                )}
              </DrawerToggle>
              <DrawerToggle
                controls={NEGOTIATION_DRAWER}
                open={drawer === 'negotiation'}
                onToggle={() => toggle('negotiation')}
                testId="toggle-negotiation"
                title="Brackets, the bracket card and who is here"
              >
                Brackets <span className="panel__count">{openBrackets}</span>
                {focusedGroup && <span className="drawer-toggle__hint">· card</span>}
              </DrawerToggle>
            </div>
            <Drawer id={COMMENTS_DRAWER} label="Comments" open={drawer === 'comments'} onClose={closeDrawer} testId="comments-drawer">
              <CommentsPane editor={editor} focus={threadFocus} unread={unread} visible={drawer === 'comments'} onClose={closeDrawer} />
            </Drawer>
            <Drawer id={NEGOTIATION_DRAWER} label="Negotiation" open={drawer === 'negotiation'} onClose={closeDrawer} testId="negotiation-drawer">
              <div className="drawer__head">
                <h2 className="drawer__title">Brackets, readings and people</h2>
                <DrawerClose label="the negotiation panel" onClose={closeDrawer} />
              </div>
              <div className="sidebar sidebar--drawer">{negotiationPanels}</div>
            </Drawer>
          </>
        )}
      </div>
      <div className={asDrawers ? `workspace workspace--drawers${drawer === 'none' ? '' : ' workspace--drawer-open'}` : 'workspace'}>
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
            {!asDrawers &&
              (commentsView === 'margin' ? (
                <CommentsSidebar editor={editor} focus={threadFocus} unread={unread} onShowList={showList} />
              ) : (
                <div className="comments comments--list">
                  <CommentsPane editor={editor} focus={threadFocus} unread={unread} visible onShowMargin={showMargin} />
                </div>
              ))}
          </div>
        </main>
        {!asDrawers && (
          <aside className="sidebar" aria-label="Negotiation">
            {negotiationPanels}
          </aside>
        )}
      </div>
      <Notices notices={notices} onDismiss={dismissNotice} />
    </>
  );
}
