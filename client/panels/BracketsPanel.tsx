import type { Editor } from '@tiptap/core';
import { memo, useId, useState } from 'react';
import { canBracket } from '../../shared/model/permissions.js';
import { negotiationOf } from '../editor/extensions/negotiation.js';
import { jumpToParagraph } from '../editor/jump.js';
import { useNegotiation } from '../hooks/useNegotiation.js';
import type { GroupItem } from '../negotiation/negotiation-index.js';
import { OPTION_KIND_LABELS, OUTCOME_LABELS } from '../negotiation/labels.js';
import { ConsensusFigure } from './ConsensusFigure.js';
import { DelegationNames } from './DelegationNames.js';
import { ResolutionRecord } from './ResolutionRecord.js';
import './panels.css';
import './brackets-panel.css';

type BracketsPanelProps = {
  editor: Editor;
  selectedGroupId: string | null;
  onSelectGroup: (groupId: string) => void;
};

const ALL = '';
const UNNUMBERED = 'Unnumbered';

/** Every delegation in a group: who bracketed its text, proposes or supports an option. */
function delegationsIn(group: GroupItem): string[] {
  return [...group.bracketedBy.map((entry) => entry.delegation), ...group.options.flatMap((o) => [...o.proponents, ...o.supporters])];
}

/** Open groups by top-level section, in document order ("Unnumbered" for text before the first number). */
function bySection(groups: GroupItem[]): Array<[string, GroupItem[]]> {
  const sections = new Map<string, GroupItem[]>();
  for (const group of groups) {
    const key = group.section ?? UNNUMBERED;
    sections.set(key, [...(sections.get(key) ?? []), group]);
  }
  return [...sections];
}

/** Who stands behind one option in the list: every delegation by name, compacted, with a button for the full list. */
function OptionWho({ option, group }: { option: GroupItem['options'][number]; group: GroupItem }) {
  const original = option.kind === 'original';
  const behind = original ? group.bracketedBy.map((entry) => entry.delegation) : option.proponents;
  return (
    <span className="bracket-item__who">
      {original ? 'bracketed by ' : 'proposed by '}
      <DelegationNames names={behind} entries={original ? group.bracketedBy : undefined} />
      {option.supporters.length > 0 && (
        <>
          {' · supported by '}
          <DelegationNames names={option.supporters} />
        </>
      )}
    </span>
  );
}

/**
 * One open bracket: the card is one button (going to the bracket), drawn
 * over the whole item; the name lists inside it stay buttons of their own.
 */
function OpenItem({ group, selected, onPick }: { group: GroupItem; selected: boolean; onPick: () => void }) {
  return (
    <li className={`bracket-item${selected ? ' bracket-item--selected' : ''}`} data-testid="bracket-panel-item">
      <span className="bracket-item__ref">
        <button type="button" className="bracket-item__pick" aria-current={selected ? 'true' : undefined} onClick={onPick}>
          {group.ref ?? '—'}
          <span className="visually-hidden">: show this bracket</span>
        </button>
      </span>
      <span className="bracket-item__options">
        {group.options.map((option) => (
          <span key={option.id} className="bracket-item__option">
            <span
              className={`option-letter option-letter--small${option.kind === 'original' ? ' option-letter--original' : ''}`}
              title={OPTION_KIND_LABELS[option.kind]}
            >
              {option.label}
            </span>
            <span className="bracket-item__text">
              {option.kind === 'delete' ? <em>delete</em> : option.text || <em>(empty)</em>}
            </span>
            <OptionWho option={option} group={group} />
          </span>
        ))}
      </span>
    </li>
  );
}

/**
 * Every open bracket of the document, by section, with who proposes what; a
 * click goes to it. Above, the consensus figure; below, the resolved ones
 * with their records.
 */
export const BracketsPanel = memo(function BracketsPanel({ editor, selectedGroupId, onSelectGroup }: BracketsPanelProps) {
  const groups = useNegotiation(editor, (data) => data.groups);
  const consensus = useNegotiation(editor, (data) => data.consensus);
  const [filter, setFilter] = useState(ALL);
  const filterId = useId();
  const open = groups.filter((g) => g.status === 'open');
  // How to open a bracket is said only to those who can: delegations.
  const bracketing = canBracket(negotiationOf(editor).participant.role);
  const resolved = groups.filter((g) => g.status === 'resolved' && g.resolution);

  const names = new Set<string>(filter === ALL ? [] : [filter]);
  for (const g of open) for (const d of delegationsIn(g)) names.add(d);
  const delegations = [...names].sort((a, b) => a.localeCompare(b));

  const shown = filter === ALL ? open : open.filter((g) => delegationsIn(g).includes(filter));
  const pick = (group: GroupItem) => {
    onSelectGroup(group.id);
    if (group.status === 'open') jumpToParagraph(editor, group.where, group.start);
  };

  return (
    <section className="panel brackets-panel" data-testid="brackets-panel" aria-labelledby="brackets-heading">
      <h2 id="brackets-heading" className="panel__title">
        Brackets <span className="panel__count">{open.length}</span>
      </h2>
      <ConsensusFigure consensus={consensus} />

      {(open.length > 0 || filter !== ALL) && (
        <div className="panel__filter">
          <label htmlFor={filterId}>Delegation</label>
          <select
            id={filterId}
            className="select select--small"
            data-testid="bracket-filter"
            value={filter}
            onChange={(event) => setFilter(event.target.value)}
          >
            <option value={ALL}>All</option>
            {delegations.map((d) => (
              <option key={d} value={d}>
                {d}
              </option>
            ))}
          </select>
        </div>
      )}

      {shown.length === 0 ? (
        <p className="panel__empty">
          {open.length === 0
            ? `No open brackets.${bracketing ? ' Select words and press Bracket to object to them.' : ''}`
            : `No open brackets involve ${filter}.`}
        </p>
      ) : (
        bySection(shown).map(([section, groups]) => (
          <div key={section} className="bracket-section">
            <h3 className="bracket-section__title">
              {section === UNNUMBERED ? UNNUMBERED : `Section ${section}`}
              <span className="bracket-section__count">{groups.length}</span>
            </h3>
            <ul className="bracket-list">
              {groups.map((group) => (
                <OpenItem key={group.id} group={group} selected={group.id === selectedGroupId} onPick={() => pick(group)} />
              ))}
            </ul>
          </div>
        ))
      )}

      {resolved.length > 0 && (
        <div className="bracket-section bracket-section--resolved">
          <h3 className="bracket-section__title">
            Resolved<span className="bracket-section__count">{resolved.length}</span>
          </h3>
          <ul className="bracket-list">
            {resolved.map((group) => (
              <li key={group.id}>
                <details className="resolved-item">
                  <summary>
                    <span className="bracket-item__ref">{group.ref ?? '—'}</span>{' '}
                    {group.resolution!.outcome === 'chosen'
                      ? `option ${group.resolution!.options.find((o) => o.id === group.resolution!.chosenOptionId)?.label ?? ''} chosen`
                      : OUTCOME_LABELS[group.resolution!.outcome]}
                  </summary>
                  <ResolutionRecord resolution={group.resolution!} paragraphRef={null} />
                </details>
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
});
