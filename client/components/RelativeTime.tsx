import { useEffect, useState } from 'react';
import { formatFull, formatRelative } from '../time.js';

const REFRESH_MS = 30_000;

/** A relative time that stays true while the page is open, with the exact date on hover. */
export function RelativeTime({ iso }: { iso: string }) {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), REFRESH_MS);
    return () => clearInterval(timer);
  }, []);

  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return <span>—</span>;
  return (
    <time dateTime={iso} title={formatFull(date)}>
      {formatRelative(date, now)}
    </time>
  );
}
