import type { Resolution, ResolvedOption } from '../../shared/schema/negotiation.js';
import { RelativeTime } from '../components/RelativeTime.js';
import { OPTION_KIND_LABELS, OUTCOME_LABELS } from '../negotiation/labels.js';
import { DelegationNames } from './DelegationNames.js';
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
  if (!chosen) return OUTCOME_LABELS.chosen;
  return chosen.kind === 'original' ? `original text (${chosen.label}) kept` : `option ${chosen.label} chosen`;
}

/** Who stood behind an option when it was resolved: who bracketed the original text (it has no proponent), who proposed the others. */
function OptionWho({ option, bracketedBy }: { option: ResolvedOption; bracketedBy: readonly string[] }) {
  const original = option.kind === 'original';
  return (
    <span className="record__option-who">
      {original ? 'Bracketed by ' : 'Proposed by '}
      <DelegationNames names={original ? bracketedBy : option.proponents} />
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
                <span className="record__option-kind">{OPTION_KIND_LABELS[option.kind]}</span>
                <span className="record__option-text">
                  {option.kind === 'delete' ? <em>delete the bracketed text</em> : option.text || <em>(empty)</em>}
                </span>
                <OptionWho option={option} bracketedBy={resolution.bracketedBy ?? []} />
              </span>
              <span className={`fate fate--${fate}`}>{FATE_LABELS[fate]}</span>
            </li>
          );
        })}
      </ol>
    </article>
  );
}
