import { useCallback, useSyncExternalStore } from 'react';
import type { Awareness } from 'y-protocols/awareness';
import { readFocus } from '../../shared/model/meeting-focus.js';
import { settings } from '../../shared/model/drafting-mode.js';
import { usePresence } from '../collab/usePresence.js';
import { useRoomAttention } from './room-attention.js';
import './panels.css';
import './presence.css';

/** The paragraph under discussion (its id and number), re-read when the settings or the text change. */
function useFocusParagraph(awareness: Awareness): { id: string; ref: string | null } | null {
  const doc = awareness.doc;
  const subscribe = useCallback(
    (onChange: () => void) => {
      const map = settings(doc);
      map.observe(onChange);
      return () => map.unobserve(onChange);
    },
    [doc],
  );
  const key = useSyncExternalStore(subscribe, () => {
    const focus = readFocus(doc);
    return focus ? `${focus.paragraphId}\n${focus.ref ?? ''}` : '';
  });
  if (!key) return null;
  const [id, ref] = key.split('\n') as [string, string];
  return { id, ref: ref || null };
}

/** Who is in the document right now, as the room sees it; for the chair, who follows and who has the paragraph under discussion open. */
export function PresencePanel({ awareness, presiding = false }: { awareness: Awareness; presiding?: boolean }) {
  const participants = usePresence(awareness);
  const focus = useFocusParagraph(awareness);
  const attention = useRoomAttention(awareness, presiding ? (focus?.id ?? null) : null);

  return (
    <section className="panel" aria-labelledby="presence-heading">
      <h2 id="presence-heading" className="panel__title">
        In this document <span className="panel__count">{participants.length}</span>
      </h2>
      {attention.following > 0 && (
        <p className="presence-following" data-testid="presence-following">
          {attention.following} following the chair
        </p>
      )}
      <ul className="presence-list" data-testid="presence-list">
        {participants.map((person) => (
          <li key={person.clientId} className="presence-item" data-testid="presence-item">
            <span className="color-dot" style={{ backgroundColor: person.color }} aria-hidden="true" />
            <span className="presence-item__text">
              <span className="presence-item__name">
                {person.name}
                {person.isSelf && <span className="presence-item__you"> (you)</span>}
              </span>
              {person.delegation && <span className="presence-item__delegation">{person.delegation}</span>}
              {attention.inParagraph.has(person.clientId) && (
                <span className="presence-item__at-focus" data-testid="presence-at-focus">
                  In {focus?.ref ?? 'the paragraph under discussion'}
                </span>
              )}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
