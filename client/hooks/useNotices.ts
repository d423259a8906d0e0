import { useCallback, useEffect, useRef, useState } from 'react';

/** Text given back to the person (theirs, that was not kept), with a button to copy it. */
export type OfferedText = { label: string; text: string };

export type Notice = {
  id: number;
  message: string;
  /** Stays until dismissed: the person has something to read or to take from it. */
  lasting: boolean;
  offers: readonly OfferedText[];
};

type NoticeOptions = { lasting?: boolean; offers?: readonly OfferedText[] };

export type Notify = (message: string, options?: NoticeOptions) => void;

const SHOW_MS = 5000;
/** At most this many brief ones at once: older ones are stale by the time more come. Lasting ones all stay. */
const MAX_SHOWN = 3;

function capped(list: Notice[]): Notice[] {
  const brief = list.filter((n) => !n.lasting);
  const dropped = new Set(brief.slice(0, Math.max(0, brief.length - MAX_SHOWN)).map((n) => n.id));
  return dropped.size ? list.filter((n) => !dropped.has(n.id)) : list;
}

/**
 * Messages for things that did not happen (a rule refused, a reference not
 * found): brief ones go by themselves, lasting ones (a change the server
 * refused, with the text that was not kept) stay until dismissed. A message
 * repeated while shown stays one notice, and stays longer.
 */
export function useNotices(): [Notice[], Notify, (id: number) => void] {
  const [notices, setNotices] = useState<Notice[]>([]);
  const nextId = useRef(1);
  const idsByMessage = useRef(new Map<string, number>());
  const lastingIds = useRef(new Set<number>());
  const timers = useRef(new Map<number, ReturnType<typeof setTimeout>>());

  const dismiss = useCallback((id: number) => {
    clearTimeout(timers.current.get(id));
    timers.current.delete(id);
    lastingIds.current.delete(id);
    for (const [message, known] of idsByMessage.current) if (known === id) idsByMessage.current.delete(message);
    setNotices((list) => list.filter((n) => n.id !== id));
  }, []);

  const notify = useCallback<Notify>(
    (message, options = {}) => {
      const shown = idsByMessage.current.get(message);
      const id = shown ?? nextId.current++;
      // Once lasting, a notice stays so when its message comes again briefly.
      const lasting = (options.lasting ?? false) || lastingIds.current.has(id);
      clearTimeout(timers.current.get(id));
      timers.current.delete(id);
      if (lasting) lastingIds.current.add(id);
      else timers.current.set(id, setTimeout(() => dismiss(id), SHOW_MS));
      if (shown !== undefined && !options.lasting) return;
      const notice: Notice = { id, message, lasting, offers: options.offers ?? [] };
      idsByMessage.current.set(message, id);
      setNotices((list) => capped(shown === undefined ? [...list, notice] : list.map((n) => (n.id === id ? notice : n))));
    },
    [dismiss],
  );

  useEffect(() => {
    const pending = timers.current;
    return () => {
      for (const timer of pending.values()) clearTimeout(timer);
    };
  }, []);

  return [notices, notify, dismiss];
}
