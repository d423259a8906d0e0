import { useEffect, useState } from 'react';
import type { Awareness } from 'y-protocols/awareness';

export type Participant = {
  clientId: number;
  name: string;
  delegation: string;
  color: string;
  isSelf: boolean;
};

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');

/** Awareness states come from other browsers: keep only well-formed users. */
function participants(awareness: Awareness): Participant[] {
  const list: Participant[] = [];
  for (const [clientId, state] of awareness.getStates()) {
    const user: unknown = state.user;
    if (typeof user !== 'object' || user === null) continue;
    const { name, delegation, color } = user as Record<string, unknown>;
    if (!text(name)) continue;
    list.push({
      clientId,
      name: text(name),
      delegation: text(delegation),
      color: text(color),
      isSelf: clientId === awareness.clientID,
    });
  }
  // Yourself first, then by delegation as a chair reads the room, then by name.
  return list.sort(
    (a, b) =>
      Number(b.isSelf) - Number(a.isSelf) ||
      a.delegation.localeCompare(b.delegation) ||
      a.name.localeCompare(b.name) ||
      a.clientId - b.clientId,
  );
}

export function usePresence(awareness: Awareness): Participant[] {
  const [list, setList] = useState(() => participants(awareness));
  useEffect(() => {
    // Carets move on every remote keystroke; re-render only when people come, go or rename.
    const update = () => {
      const next = participants(awareness);
      setList((previous) => (JSON.stringify(previous) === JSON.stringify(next) ? previous : next));
    };
    update();
    // 'change' (not 'update'): ignores the periodic keep-alive renewals.
    awareness.on('change', update);
    return () => awareness.off('change', update);
  }, [awareness]);
  return list;
}
