import { useId, useState } from 'react';
import { compactNames } from '../../shared/model/bracket-positions.js';
import type { PositionEntry } from '../../shared/model/record-guards.js';
import { RelativeTime } from '../components/RelativeTime.js';
import './panels.css';

type DelegationNamesProps = {
  /** Delegations, in the order to show them. */
  names: readonly string[];
  /** Who spoke for each delegation and when (bracketers): shown beside the names, or in the full list. */
  entries?: readonly PositionEntry[];
  testId?: string;
};

function Entry({ entry }: { entry: PositionEntry }) {
  return (
    <>
      <strong>{entry.delegation}</strong>
      {(entry.name || entry.at) && (
        <span className="names__who">
          {' '}
          ({entry.name ? `${entry.name}, ` : ''}
          <RelativeTime iso={entry.at} />)
        </span>
      )}
    </>
  );
}

/**
 * Delegations by name, where space is short: "Egypt, Kenya (+3)" (the
 * model's compactNames), a button that opens the full list. Never a bare
 * count: in a negotiation, who stands behind a text matters as much as how
 * many.
 */
export function DelegationNames({ names, entries, testId }: DelegationNamesProps) {
  const [expanded, setExpanded] = useState(false);
  const listId = useId();
  if (names.length === 0) return <span data-testid={testId}>—</span>;
  const compact = compactNames(names);
  const abbreviated = compact !== names.join(', ');
  const byDelegation = new Map((entries ?? []).map((entry) => [entry.delegation, entry]));

  if (!abbreviated) {
    return (
      <span className="names" data-testid={testId}>
        {entries
          ? names.map((name, i) => (
              <span key={name}>
                {i > 0 && '; '}
                {byDelegation.has(name) ? <Entry entry={byDelegation.get(name)!} /> : <strong>{name}</strong>}
              </span>
            ))
          : <strong>{compact}</strong>}
      </span>
    );
  }
  return (
    <span className="names" data-testid={testId}>
      <button
        type="button"
        className="names__toggle"
        aria-expanded={expanded}
        aria-controls={listId}
        title={expanded ? 'Show fewer' : `Show all ${names.length}: ${names.join(', ')}`}
        onClick={(event) => {
          // Inside a clickable card: opening the list is not picking the card.
          event.stopPropagation();
          setExpanded((open) => !open);
        }}
      >
        {compact}
        <span className="names__chevron" aria-hidden="true">
          {expanded ? '▴' : '▾'}
        </span>
      </button>
      <ul id={listId} className="names__list" hidden={!expanded} data-testid={testId ? `${testId}-all` : undefined}>
        {names.map((name) => (
          <li key={name}>{byDelegation.has(name) ? <Entry entry={byDelegation.get(name)!} /> : name}</li>
        ))}
      </ul>
    </span>
  );
}
