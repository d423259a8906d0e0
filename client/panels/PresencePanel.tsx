import type { Awareness } from 'y-protocols/awareness';
import { usePresence } from '../collab/usePresence.js';
import './panels.css';
import './presence.css';

/** Who is in the document right now, as the room sees it. */
export function PresencePanel({ awareness }: { awareness: Awareness }) {
  const participants = usePresence(awareness);

  return (
    <section className="panel" aria-labelledby="presence-heading">
      <h2 id="presence-heading" className="panel__title">
        In this document <span className="panel__count">{participants.length}</span>
      </h2>
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
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
