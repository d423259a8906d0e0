import { useCallback, useEffect, useRef, useState } from 'react';

export type Notice = { id: number; message: string };

const SHOW_MS = 5000;
/** At most this many at once: older ones are stale by the time more come. */
const MAX_SHOWN = 3;

/**
 * Short-lived messages for things that did not happen (a rule refused, a
 * reference not found). A message repeated while shown stays one notice, and
 * stays longer.
 */
export function useNotices(): [Notice[], (message: string) => void, (id: number) => void] {
  const [notices, setNotices] = useState<Notice[]>([]);
  const nextId = useRef(1);
  const idsByMessage = useRef(new Map<string, number>());
  const timers = useRef(new Map<number, ReturnType<typeof setTimeout>>());

  const dismiss = useCallback((id: number) => {
    clearTimeout(timers.current.get(id));
    timers.current.delete(id);
    for (const [message, known] of idsByMessage.current) if (known === id) idsByMessage.current.delete(message);
    setNotices((list) => list.filter((n) => n.id !== id));
  }, []);

  const notify = useCallback(
    (message: string) => {
      const shown = idsByMessage.current.get(message);
      const id = shown ?? nextId.current++;
      clearTimeout(timers.current.get(id));
      timers.current.set(
        id,
        setTimeout(() => dismiss(id), SHOW_MS),
      );
      if (shown !== undefined) return;
      idsByMessage.current.set(message, id);
      setNotices((list) => [...list, { id, message }].slice(-MAX_SHOWN));
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
