import type { Consensus } from '../../shared/model/consensus.js';

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * The figure the chair reads out: how far the room is from an agreed text.
 * It counts what the model counts (consensus.ts): numbered paragraphs (all
 * paragraphs with text in an unnumbered document), not headings or titles,
 * and an agreement whose text changed since is not counted as agreed. The
 * agreed export's title says the same figure.
 */
export function ConsensusFigure({ consensus }: { consensus: Consensus }) {
  const { paragraphs, agreed, agreedAdRef, withOpenBrackets, openGroups } = consensus;
  const done = agreed + agreedAdRef;
  const share = paragraphs ? Math.round((done / paragraphs) * 100) : 0;
  return (
    <div className="consensus" data-testid="consensus-figure" title="Headings and title lines are not counted as paragraphs.">
      <div className="consensus__bar" role="img" aria-label={`${share}% of paragraphs agreed`}>
        <span className="consensus__agreed" style={{ width: `${paragraphs ? (agreed / paragraphs) * 100 : 0}%` }} />
        <span className="consensus__adref" style={{ width: `${paragraphs ? (agreedAdRef / paragraphs) * 100 : 0}%` }} />
      </div>
      <p className="consensus__text">
        <strong>
          {done} of {paragraphs}
        </strong>{' '}
        {paragraphs === 1 ? 'paragraph' : 'paragraphs'} agreed ({agreedAdRef} ad ref) ·{' '}
        {plural(withOpenBrackets, 'paragraph', 'paragraphs')} with open brackets · {plural(openGroups, 'open bracket', 'open brackets')}
      </p>
    </div>
  );
}
