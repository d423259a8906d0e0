import { ThreadStatus } from '../../shared/schema/negotiation.js';
import type { ThreadFilter } from '../negotiation/thread-filters.js';
import './comments-pane.css';

const ANY = '';

type CommentFiltersProps = {
  filter: ThreadFilter;
  /** What the selects offer (filterChoices). */
  choices: { delegations: string[]; sections: string[] };
  onChange: (filter: ThreadFilter) => void;
};

/** The comments pane's filters: status, the delegation that wrote, the section of the paragraph. */
export function CommentFilters({ filter, choices, onChange }: CommentFiltersProps) {
  return (
    <div className="comments-pane__filters">
      <label className="comments-pane__filter">
        <span>Show</span>
        <select
          className="select select--small"
          data-testid="comments-filter-status"
          value={filter.status}
          onChange={(event) => onChange({ ...filter, status: event.target.value === 'all' ? 'all' : ThreadStatus.parse(event.target.value) })}
        >
          <option value="all">All</option>
          <option value="open">Open</option>
          <option value="resolved">Resolved</option>
        </select>
      </label>
      <label className="comments-pane__filter">
        <span>Delegation</span>
        <select
          className="select select--small"
          data-testid="comments-filter-delegation"
          value={filter.delegation ?? ANY}
          onChange={(event) => onChange({ ...filter, delegation: event.target.value || null })}
        >
          <option value={ANY}>All</option>
          {choices.delegations.map((d) => (
            <option key={d} value={d}>
              {d}
            </option>
          ))}
        </select>
      </label>
      <label className="comments-pane__filter">
        <span>Section</span>
        <select
          className="select select--small"
          data-testid="comments-filter-section"
          value={filter.section ?? ANY}
          onChange={(event) => onChange({ ...filter, section: event.target.value || null })}
        >
          <option value={ANY}>All</option>
          {choices.sections.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
