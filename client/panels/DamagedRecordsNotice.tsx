import { describeDamaged } from '../../shared/model/damaged-records.js';
import type { DamagedRecord } from '../../shared/model/record-guards.js';
import type { BlockInfo } from '../negotiation/negotiation-index.js';
import './panels.css';

type DamagedRecordsNoticeProps = {
  damaged: DamagedRecord[];
  blocks: Record<string, BlockInfo>;
};

/**
 * For the chair and the secretariat: entries of the document that could not
 * be read and are left out of the panels and exports (see
 * shared/model/record-guards.ts). Everyone keeps working; the people who can
 * get it repaired learn what is missing, by id, and why.
 */
export function DamagedRecordsNotice({ damaged, blocks }: DamagedRecordsNoticeProps) {
  if (damaged.length === 0) return null;
  // Statuses and marks hang on a paragraph: name it as the room does, with the id for whoever repairs it.
  const name = (record: DamagedRecord) => {
    const ref = record.where === 'paragraphs' || record.where === 'body' ? blocks[record.id]?.ref : null;
    return ref ? `¶ ${ref} (${record.id})` : record.id;
  };
  return (
    <section className="card damaged-notice" data-testid="damaged-records" aria-labelledby="damaged-title">
      <h2 className="damaged-notice__title" id="damaged-title">
        Damaged records
      </h2>
      <ul className="damaged-notice__list">
        {describeDamaged(damaged, name).map((line) => (
          <li key={line} data-testid="damaged-records-line">
            {line}
          </li>
        ))}
      </ul>
      <details className="damaged-notice__details">
        <summary>What is wrong</summary>
        <ul>
          {damaged.map((record) => (
            <li key={`${record.where}:${record.id}:${record.problem}`}>
              <code>{name(record)}</code>: {record.problem}
            </li>
          ))}
        </ul>
      </details>
      <p className="damaged-notice__hint">Left out of the panels and exports; the rest is intact.</p>
    </section>
  );
}
