import type { Consensus } from '../../shared/model/consensus.js';

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The figure the chair reads out: how far the room is from an agreed text. */
export function ConsensusFigure({ consensus }: { consensus: Consensus }) {
  const { paragraphs, agreed, agreedAdRef, withOpenBrackets, openGroups } = consensus;
  const done = agreed + agreedAdRef;
  const share = paragraphs ? Math.round((done / paragraphs) * 100) : 0;
  return (
    <div className="consensus" data-testid="consensus-figure">
      <div className="consensus__bar" role="img" aria-label={`${share}% of paragraphs agreed`}>
        <span className="consensus__agreed" style={{ width: `${paragraphs ? (agreed / paragraphs) * 100 : 0}%` }} />
        <span className="consensus__adref" style={{ width: `${paragraphs ? (agreedAdRef / paragraphs) * 100 : 0}%` }} />
      </div>
      <p className="consensus__text">
        <strong>
          {agreed + agreedAdRef} of {paragraphs}
        </strong>{' '}
        paragraphs agreed ({agreedAdRef} ad ref) · {plural(withOpenBrackets, 'paragraph', 'paragraphs')} with open brackets ·{' '}
        {plural(openGroups, 'open bracket', 'open brackets')}
      </p>
    </div>
  );
}
