import { useSyncExternalStore } from 'react';
import { DocumentId } from '../shared/schema/api.js';

export type Route =
  | { page: 'list' }
  | { page: 'editor'; documentId: DocumentId }
  | { page: 'reading'; documentId: DocumentId; readingId: string }
  | { page: 'compare'; documentId: DocumentId }
  | { page: 'screen'; documentId: DocumentId }
  | { page: 'join'; token: string }
  | { page: 'setup'; token: string }
  | { page: 'sign-in' }
  | { page: 'not-found' };

/** pushState fires no event of its own; this one tells usePathname to re-read. */
const NAVIGATE_EVENT = 'nde:navigate';

export const listPath = () => '/';
export const editorPath = (documentId: DocumentId) => `/d/${encodeURIComponent(documentId)}`;
/** The plenary screen: the live text for the projector, following the paragraph under discussion. */
export const screenPath = (documentId: DocumentId) => `${editorPath(documentId)}/screen`;
export const signInPath = () => '/signin';
export const readingPagePath = (documentId: DocumentId, readingId: string) =>
  `${editorPath(documentId)}/readings/${encodeURIComponent(readingId)}`;
/** The comparison's ends are in the query (`from`, `to`: a reading id or `live`), read by the page itself. */
export const comparePath = (documentId: DocumentId, from: string, to: string) =>
  `${editorPath(documentId)}/compare?${new URLSearchParams({ from, to })}`;

export function matchRoute(pathname: string): Route {
  if (pathname === '/' || pathname === '') return { page: 'list' };
  if (pathname === '/signin') return { page: 'sign-in' };
  const secret = /^\/(join|setup)\/([A-Za-z0-9_-]{20,100})\/?$/.exec(pathname);
  if (secret) return { page: secret[1] === 'join' ? 'join' : 'setup', token: secret[2]! };
  const editor = /^\/d\/([^/]+)\/?$/.exec(pathname);
  if (editor?.[1] !== undefined) {
    const id = DocumentId.safeParse(safeDecode(editor[1]));
    if (id.success) return { page: 'editor', documentId: id.data };
  }
  const reading = /^\/d\/([^/]+)\/readings\/([^/]+)\/?$/.exec(pathname);
  if (reading?.[1] !== undefined && reading[2] !== undefined) {
    const id = DocumentId.safeParse(safeDecode(reading[1]));
    if (id.success) return { page: 'reading', documentId: id.data, readingId: safeDecode(reading[2]) };
  }
  const compare = /^\/d\/([^/]+)\/compare\/?$/.exec(pathname);
  if (compare?.[1] !== undefined) {
    const id = DocumentId.safeParse(safeDecode(compare[1]));
    if (id.success) return { page: 'compare', documentId: id.data };
  }
  const screen = /^\/d\/([^/]+)\/screen\/?$/.exec(pathname);
  if (screen?.[1] !== undefined) {
    const id = DocumentId.safeParse(safeDecode(screen[1]));
    if (id.success) return { page: 'screen', documentId: id.data };
  }
  return { page: 'not-found' };
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** `replace` drops the current entry from the history (a page whose address holds a one-time secret). */
export function navigate(path: string, { replace = false }: { replace?: boolean } = {}): void {
  if (path === location.pathname + location.search) return;
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
  window.scrollTo(0, 0);
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(NAVIGATE_EVENT, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(NAVIGATE_EVENT, onChange);
  };
}

export function usePathname(): string {
  return useSyncExternalStore(subscribe, () => location.pathname);
}
