import type { ComparedParagraph, ComparedPiece, NegotiationEvent } from '../../../shared/schema/readings.js';
import { STATUS_LABELS } from '../../negotiation/labels.js';
import { CHANGE_LABELS, pieceTitle, refLabel } from './compare-view.js';

/** The anchor of a compared paragraph, which an event scrolls to. */
export const paragraphAnchor = (paragraphId: string) => `cmp-${paragraphId}`;

/**
 * One run of words: inserted ones underlined, deleted ones struck through
 * (not colour alone: the marks survive printing and colour blindness), with
 * who did it as a small label after them.
 */
function Piece({ piece }: { piece: ComparedPiece }) {
  if (piece.kind === 'same') return <>{piece.text}</>;
  const title = pieceTitle(piece.kind, piece.by);
  const words = piece.kind === 'inserted' ? <ins title={title}>{piece.text}</ins> : <del title={title}>{piece.text}</del>;
  // A label after a lone space would name someone for nothing visible.
  const labelled = piece.by.length > 0 && piece.text.trim() !== '';
  return (
    <span className={`cmp-piece cmp-piece--${piece.kind}`} data-testid={`piece-${piece.kind}`} data-by={piece.by.join(',')}>
      {words}
      {labelled && (
        <span className="cmp-piece__by">
          <span className="visually-hidden"> ({piece.kind} by </span>
          {piece.by.join(', ')}
          <span className="visually-hidden">)</span>
        </span>
      )}
    </span>
  );
}

/** A compared paragraph, with what happened to it in the negotiation (its events) under its text. */
export function ComparedParagraphView({ paragraph, events }: { paragraph: ComparedParagraph; events: NegotiationEvent[] }) {
  const ref = refLabel(paragraph);
  const change = CHANGE_LABELS[paragraph.change];
  const renumbered = paragraph.refBefore !== null && paragraph.refAfter !== null && paragraph.refBefore !== paragraph.refAfter;
  const { statusBefore, statusAfter } = paragraph;
  const statusChanged = statusBefore !== null && statusAfter !== null && statusBefore !== statusAfter;
  return (
    <section
      id={paragraphAnchor(paragraph.id)}
      className={`cmp-para cmp-para--${paragraph.change}`}
      data-testid="compared-paragraph"
      data-ref={paragraph.refAfter ?? paragraph.refBefore ?? ''}
      data-change={paragraph.change}
      tabIndex={-1}
    >
      {(ref || change || statusChanged || paragraph.changedBy.length > 0) && (
        <header className="cmp-para__head">
          {ref && <span className={renumbered ? 'cmp-para__ref cmp-para__ref--renumbered' : 'cmp-para__ref'}>{ref}</span>}
          {renumbered && <span className="cmp-tag">Renumbered</span>}
          {change && <span className={`cmp-tag cmp-tag--${paragraph.change}`}>{change}</span>}
          {statusChanged && (
            <span className="cmp-tag cmp-tag--status" data-testid="status-change">
              {STATUS_LABELS[statusBefore]} → {STATUS_LABELS[statusAfter]}
            </span>
          )}
          {paragraph.changedBy.length > 0 && <span className="cmp-para__who">changed by {paragraph.changedBy.join(', ')}</span>}
        </header>
      )}
      <p className="cmp-para__text">
        {paragraph.pieces.map((piece, i) => (
          // Pieces have no identity of their own; their order is the paragraph's text.
          // biome-ignore lint/suspicious/noArrayIndexKey: see above
          <Piece key={i} piece={piece} />
        ))}
      </p>
      {events.length > 0 && (
        <ul className="cmp-para__events" aria-label="In the negotiation">
          {events.map((event, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: events are in time order with no id of their own
            <li key={i}>{event.text}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
