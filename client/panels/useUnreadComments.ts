import type { Editor } from '@tiptap/core';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useNegotiation } from '../hooks/useNegotiation.js';
import type { Identity } from '../identity.js';
import { actorOf } from '../negotiation/participant.js';
import {
  loadReadMarks,
  markThreadRead,
  NO_MARKS,
  readMarksKey,
  saveReadMarks,
  takeArrivals,
  unreadByParagraph,
  unreadCounts,
  type Arrival,
  type ReadMarks,
} from '../negotiation/unread-comments.js';

export type UnreadComments = {
  /** Unread messages per thread (threads with none are absent). */
  counts: ReadonlyMap<string, number>;
  /** The same per paragraph, for the comment badges. */
  byParagraph: ReadonlyMap<string, number>;
  total: number;
  /** This person opened the thread: what it holds now is read. */
  markRead: (threadId: string) => void;
};

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

/**
 * What this person has not read of the document's comments, kept in the
 * browser per person and document, and, for `onArrivals`, the messages of
 * others that arrive while the page is open. What the page has when it first
 * syncs, or catches up with after being offline, has not "arrived": it is
 * unread, not announced.
 */
export function useUnreadComments(
  editor: Editor,
  documentId: string,
  identity: Identity,
  synced: boolean,
  onArrivals?: (arrivals: Arrival[]) => void,
): UnreadComments {
  const threads = useNegotiation(editor, (data) => data.threads);
  const { name, delegation } = identity;
  const reader = useMemo(() => actorOf({ name, delegation }), [name, delegation]);
  const key = reader ? readMarksKey(documentId, reader) : null;
  const [marks, setMarks] = useState<ReadMarks>(() => {
    const store = storage();
    return store && key ? loadReadMarks(store, key) : NO_MARKS;
  });
  const stored = useRef(marks);

  useEffect(() => {
    const store = storage();
    if (!store || !key || marks === stored.current) return;
    stored.current = marks;
    saveReadMarks(store, key, marks);
  }, [key, marks]);

  const threadsRef = useRef(threads);
  threadsRef.current = threads;
  const markRead = useCallback((threadId: string) => {
    const thread = threadsRef.current.find((t) => t.id === threadId);
    if (thread) setMarks((current) => markThreadRead(current, thread));
  }, []);

  // The message ids this page has had, and whether it synced once: from then on, what comes in while connected arrives.
  const known = useRef(new Set<string>());
  const live = useRef(false);
  const announce = useRef(onArrivals);
  announce.current = onArrivals;
  useEffect(() => {
    const arrivals = takeArrivals(threads, known.current, reader);
    if (!live.current) live.current = synced;
    else if (synced && arrivals.length) announce.current?.(arrivals);
  }, [threads, synced, reader]);

  const counts = useMemo(() => unreadCounts(threads, marks, reader), [threads, marks, reader]);
  const total = useMemo(() => [...counts.values()].reduce((sum, n) => sum + n, 0), [counts]);
  const byParagraph = useMemo(() => unreadByParagraph(threads, counts), [threads, counts]);
  // One object while nothing in it changed: the panels that take it are memoised.
  return useMemo(() => ({ counts, byParagraph, total, markRead }), [counts, byParagraph, total, markRead]);
}
