import type { GroupItem } from '../negotiation/negotiation-index.js';
import { ResolutionRecord } from './ResolutionRecord.js';
import './panels.css';

/** Every resolved bracket of one paragraph, newest first (the history marker's view). */
export function ResolutionRecords({ paragraphRef, groups, onClose }: { paragraphRef: string | null; groups: GroupItem[]; onClose: () => void }) {
  const resolved = groups
    .filter((g) => g.resolution)
    .sort((a, b) => b.resolution!.at.localeCompare(a.resolution!.at));
  return (
    <section className="card" data-testid="resolution-records" aria-labelledby="records-title">
      <header className="card__header">
        <h2 className="card__title" id="records-title">
          Resolved brackets{paragraphRef ? ` in ${paragraphRef}` : ''}
        </h2>
        <button type="button" className="card__close" aria-label="Close" title="Close" onClick={onClose}>
          ×
        </button>
      </header>
      {resolved.length === 0 ? (
        <p className="card__meta">No resolved brackets here.</p>
      ) : (
        resolved.map((g) => <ResolutionRecord key={g.id} resolution={g.resolution!} paragraphRef={null} />)
      )}
    </section>
  );
}
