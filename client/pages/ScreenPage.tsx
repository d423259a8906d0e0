import type { Editor } from '@tiptap/core';
import { EditorContent, useEditor } from '@tiptap/react';
import { useEffect, useRef, useState } from 'react';
import type * as Y from 'yjs';
import type { DocumentId } from '../../shared/schema/api.js';
import type { DocumentAccess } from '../../shared/schema/auth.js';
import { listReadings } from '../api.js';
import { useCollabSession } from '../collab/useCollabSession.js';
import { useConnectionState } from '../collab/useConnectionState.js';
import { textExtensions } from '../editor/extensions/index.js';
import { focusOf, MeetingFocus } from '../editor/extensions/meeting-focus.js';
import { ParagraphLock } from '../editor/extensions/paragraph-lock.js';
import { movedNotice, scrollToParagraph } from '../editor/follow-chair.js';
import { useAccess } from '../hooks/useAccess.js';
import { useDocumentSummary } from '../hooks/useDocumentSummary.js';
import { useNegotiation } from '../hooks/useNegotiation.js';
import { NoAccessPage } from './NoAccessPage.js';
import { NotFoundPage } from './NotFoundPage.js';
import { ScreenBrackets } from './ScreenBrackets.js';
import '../editor/editor.css';
import '../editor/draft-text.css';
import '../editor/negotiation-marks.css';
import '../editor/meeting-focus.css';
import './screen-page.css';

/** How often the footer asks whether a new reading was issued (readings are rare: a few a day). */
const READINGS_EVERY_MS = 60_000;

const nothing = () => {};

/** The name of the latest reading, refreshed now and then; null when none was issued or the list cannot be read. */
function useLatestReading(documentId: DocumentId): string | null {
  const [name, setName] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    const load = () =>
      listReadings(documentId).then(
        ({ readings }) => {
          const latest = [...readings].sort((a, b) => b.at.localeCompare(a.at))[0];
          if (live) setName(latest?.name ?? null);
        },
        () => {},
      );
    void load();
    const timer = setInterval(load, READINGS_EVERY_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [documentId]);
  return name;
}

/**
 * Keeps the paragraph under discussion in view: positioned by its id, so
 * edits elsewhere never make the screen jump; moved smoothly when the chair
 * moves on. Returns what to say when the paragraph was deleted.
 */
function useFollowFocus(editor: Editor): { moved: string | null; paragraphId: string | null } {
  const shown = useRef<{ id: string; ref: string | null } | null>(null);
  const [moved, setMoved] = useState<string | null>(null);
  const [paragraphId, setParagraphId] = useState<string | null>(null);
  useEffect(() => {
    const go = () => {
      const focus = focusOf(editor);
      setParagraphId(focus?.paragraphId ?? null);
      if (!focus) return;
      if (focus.moved) {
        const was = shown.current && shown.current.id !== focus.paragraphId ? shown.current.ref : null;
        setMoved(movedNotice(was, focus.ref));
      } else if (shown.current?.id !== focus.paragraphId) setMoved(null);
      if (shown.current?.id === focus.paragraphId) return;
      // Until the text has arrived the paragraph is not drawn: the next transaction tries again.
      if (scrollToParagraph(editor, focus.paragraphId, 'smooth')) shown.current = { id: focus.paragraphId, ref: focus.ref };
    };
    // A new width (the projector plugged in, the split opened) reflows the text: back onto the paragraph, at once.
    // Only the width: a height that changes as people type is the browser's scroll anchoring's to absorb.
    let width = 0;
    const reflowed = new ResizeObserver(([entry]) => {
      const now = Math.round(entry?.contentRect.width ?? 0);
      if (now === width) return;
      width = now;
      const id = shown.current?.id;
      if (id) scrollToParagraph(editor, id, 'instant');
    });
    go();
    editor.on('transaction', go);
    reflowed.observe(editor.view.dom);
    return () => {
      editor.off('transaction', go);
      reflowed.disconnect();
    };
  }, [editor]);
  return { moved, paragraphId };
}

/**
 * The split with the section's open brackets: `?brackets=1` in the address,
 * or the B key on the projector laptop's keyboard (nothing else on the
 * screen takes keys).
 */
function useBracketSplit(): boolean {
  const [split, setSplit] = useState(() => new URLSearchParams(location.search).get('brackets') === '1');
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key.toLowerCase() !== 'b' || event.ctrlKey || event.metaKey || event.altKey) return;
      setSplit((on) => !on);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  return split;
}

type ScreenTextProps = { ydoc: Y.Doc; access: DocumentAccess; documentId: DocumentId; title: string; split: boolean };

function ScreenText({ ydoc, access, documentId, title, split }: ScreenTextProps) {
  // The live text's own rendering (numbers, brackets with their proponents, statuses), never editable here.
  const [extensions] = useState(() => [
    ...textExtensions({ ydoc, editable: false, identity: { name: access.name, delegation: access.delegation }, role: access.role, onNotice: nothing, onSelectGroup: nothing }),
    ParagraphLock,
    MeetingFocus.configure({ document: ydoc, awareness: null }),
  ]);
  const editor = useEditor(
    { extensions, editable: false, editorProps: { attributes: { id: 'screen-body', 'aria-label': 'Text on the plenary screen', 'aria-readonly': 'true' } } },
    [extensions],
  );
  const { moved, paragraphId } = useFollowFocus(editor);
  const consensus = useNegotiation(editor, (data) => data.consensus);
  const reading = useLatestReading(documentId);
  const done = consensus.agreed + consensus.agreedAdRef;
  const groups = useNegotiation(editor, (data) => data.groups);
  const focusSection = useNegotiation(editor, (data) => (paragraphId ? (data.blocks[paragraphId]?.section ?? null) : null));
  return (
    <>
      <div className={split ? 'screen-page__body is-split' : 'screen-page__body'}>
        <main className="screen-page__text page">
          <EditorContent editor={editor} />
        </main>
        {split && <ScreenBrackets groups={groups} section={focusSection} />}
      </div>
      {moved && (
        <div className="screen-page__moved" role="status" data-testid="screen-moved">
          {moved}
        </div>
      )}
      <footer className="screen-page__footer" data-testid="screen-footer">
        <span className="screen-page__title">{title}</span>
        {reading && <span className="screen-page__reading">{reading}</span>}
        <span className="screen-page__consensus" data-testid="screen-consensus">
          {done} of {consensus.paragraphs} agreed · {consensus.withOpenBrackets} with open brackets
        </span>
      </footer>
    </>
  );
}

/**
 * `/d/<id>/screen`: the live text on the room's projector, read-only and
 * without chrome, following the paragraph under discussion. Joined as an
 * observer (a screen invitation, or the secretariat's own session).
 *
 * Sizes for a room (readable from 10 m on a 1080p projector, screen-page.css):
 * body text 40 px at 1920 px width (2.08vw), paragraph numbers and bracket
 * proponents the same size and bold, the footer 28 px. With the split
 * (`?brackets=1` or B) the text takes two thirds of the width at 36 px and
 * the section's open brackets the last third at 28 px.
 */
export function ScreenPage({ documentId }: { documentId: DocumentId }) {
  const accessState = useAccess(documentId);
  const access = accessState.status === 'ready' ? accessState.access : null;
  const [summary] = useDocumentSummary(documentId, access !== null);
  const [session] = useCollabSession(documentId, access !== null);
  const connection = useConnectionState(session?.provider ?? null);
  const split = useBracketSplit();
  const title = summary.status === 'ready' ? summary.summary.title : '';

  useEffect(() => {
    if (title) document.title = `${title} — Plenary screen`;
  }, [title]);

  if (accessState.status === 'unauthenticated' || accessState.status === 'forbidden') {
    return <NoAccessPage reason={accessState.status} message={accessState.message} />;
  }
  if (accessState.status === 'not-found' || summary.status === 'not-found') {
    return <NotFoundPage message="This document does not exist or has been deleted." />;
  }
  return (
    <div className="screen-page" data-testid="screen-page" data-synced={connection.synced}>
      {session && access ? (
        <ScreenText key={session.ydoc.guid} ydoc={session.ydoc} access={access} documentId={documentId} title={title} split={split} />
      ) : (
        <p className="screen-page__waiting">Connecting…</p>
      )}
      {!connection.synced && session && <p className="screen-page__offline">Reconnecting…</p>}
    </div>
  );
}
