const issuedAt = new Intl.DateTimeFormat(undefined, { dateStyle: 'long', timeStyle: 'short' });

/** "Rev.1 of 2 December 2026 at 09:40", or the bare name when the date is unknown (the live text). */
export function readingLabel(name: string, at: string | null): string {
  const date = at === null ? null : new Date(at);
  return date && !Number.isNaN(date.getTime()) ? `${name} of ${issuedAt.format(date)}` : name;
}
