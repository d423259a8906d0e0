import { useEffect, useState } from 'react';
import type { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { BLOCK_ID_ATTR } from '../../shared/schema/negotiation.js';

/**
 * What the room is looking at, from awareness: how many follow the chair
 * (`following: true`), and whose caret is in a given paragraph. Awareness
 * comes from other browsers: anything malformed counts as nothing.
 */

/** Recounted at most this often: with a thousand viewers, carets move many times a second. */
const RECOUNT_MS = 1000;

export type RoomAttention = { following: number; inParagraph: Set<number> };

/** The paragraph (its id) an awareness caret stands in, or null. */
function paragraphOfCaret(doc: Y.Doc, cursor: unknown): string | null {
  const anchor = (cursor as { anchor?: unknown } | null)?.anchor;
  if (typeof anchor !== 'object' || anchor === null) return null;
  try {
    const absolute = Y.createAbsolutePositionFromRelativePosition(Y.createRelativePositionFromJSON(anchor), doc);
    let type: Y.AbstractType<unknown> | null = absolute?.type ?? null;
    while (type) {
      if (type instanceof Y.XmlElement) {
        const id = type.getAttribute(BLOCK_ID_ATTR);
        if (typeof id === 'string' && id) return id;
      }
      type = type.parent instanceof Y.AbstractType ? type.parent : null;
    }
  } catch {
    // A forged or stale position: no paragraph.
  }
  return null;
}

export function roomAttention(awareness: Awareness, paragraphId: string | null): RoomAttention {
  let following = 0;
  const inParagraph = new Set<number>();
  for (const [clientId, state] of awareness.getStates()) {
    if (clientId === awareness.clientID) continue;
    if (state.following === true) following++;
    if (paragraphId && paragraphOfCaret(awareness.doc, state.cursor) === paragraphId) inParagraph.add(clientId);
  }
  return { following, inParagraph };
}

const same = (a: RoomAttention, b: RoomAttention) =>
  a.following === b.following && a.inParagraph.size === b.inParagraph.size && [...a.inParagraph].every((id) => b.inParagraph.has(id));

/** The attention of the room, recounted when awareness changes (at most once a second) or the paragraph does. */
export function useRoomAttention(awareness: Awareness, paragraphId: string | null): RoomAttention {
  const [attention, setAttention] = useState(() => roomAttention(awareness, paragraphId));
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const recount = () => {
      timer = undefined;
      const next = roomAttention(awareness, paragraphId);
      setAttention((previous) => (same(previous, next) ? previous : next));
    };
    const later = () => {
      if (timer === undefined) timer = setTimeout(recount, RECOUNT_MS);
    };
    recount();
    awareness.on('change', later);
    return () => {
      clearTimeout(timer);
      awareness.off('change', later);
    };
  }, [awareness, paragraphId]);
  return attention;
}
