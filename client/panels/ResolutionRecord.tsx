import type { Resolution, ResolvedOption } from '../../shared/schema/negotiation.js';
import { RelativeTime } from '../components/RelativeTime.js';
import { OUTCOME_LABELS, delegationList } from '../negotiation/labels.js';
import './panels.css';
import './resolution-records.css';

type Fate = 'kept' | 'dropped' | 'compromise';

function fateOf(resolution: Resolution, option: ResolvedOption): Fate {
  if (resolution.outcome === 'compromise') return 'compromise';
  return resolution.outcome === 'chosen' && option.id === resolution.chosenOptionId ? 'kept' : 'dropped';
}

const FATE_LABELS: Record<Fate, string> = { kept: 'kept', dropped: 'dropped', compromise: 'merged' };

function summary(resolution: Resolution): string {
  if (resolution.outcome !== 'chosen') return OUTCOME_LABELS[resolution.outcome];
  const chosen = resolution.options.find((o) => o.id === resolution.chosenOptionId);
  return chosen ? `option ${chosen.label} chosen` : OUTCOME_LABELS.chosen;
}

/**
 * What the room had on the table and what the chair kept: the clean text no
 * longer shows who proposed the wording that was dropped, this record does.
 */
export function ResolutionRecord({ resolution, paragraphRef }: { resolution: Resolution; paragraphRef: string | null }) {
  return (
    <article className="record" data-testid="resolution-record">
      <header className="record__header">
        <span className="record__outcome">{summary(resolution)}</span>
        {paragraphRef && <span className="record__ref">¶ {paragraphRef}</span>}
      </header>
      <p className="record__by">
        Resolved by {resolution.by.name} ({resolution.by.delegation}), <RelativeTime iso={resolution.at} />
      </p>
      <p className="record__kept">
        <span className="record__kept-label">Text kept</span>{' '}
        {resolution.keptText ? <q className="record__kept-text">{resolution.keptText}</q> : <em>nothing (deleted)</em>}
      </p>
      <ol className="record__options">
        {resolution.options.map((option) => {
          const fate = fateOf(resolution, option);
          return (
            <li key={option.id} className={`record__option record__option--${fate}`} data-fate={fate}>
              <span className="option-letter">{option.label}</span>
              <span className="record__option-body">
                <span className="record__option-text">
                  {option.kind === 'delete' ? <em>(delete)</em> : option.text || <em>(empty)</em>}
                </span>
                <span className="record__option-who">
                  Proposed by {delegationList(option.proponents)}
                  {option.supporters.length > 0 && <> · supported by {delegationList(option.supporters)}</>}
                </span>
              </span>
              <span className={`fate fate--${fate}`}>{FATE_LABELS[fate]}</span>
            </li>
          );
        })}
      </ol>
    </article>
  );
}
