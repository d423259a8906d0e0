import type { NegotiationEvent } from '../../../shared/schema/readings.js';
import { RelativeTime } from '../../components/RelativeTime.js';
import { paragraphAnchor } from './ComparedText.js';

const FLASH = 'cmp-para--flash';
const FLASH_MS = 1600;

/** Brings a compared paragraph into view and makes it glow a moment, so the eye finds it. */
function goToParagraph(paragraphId: string): void {
  const el = document.getElementById(paragraphAnchor(paragraphId));
  if (!el) return;
  el.scrollIntoView({ block: 'center', behavior: 'smooth' });
  el.focus({ preventScroll: true });
  el.classList.add(FLASH);
  setTimeout(() => el.classList.remove(FLASH), FLASH_MS);
}

/** What happened in the negotiation between the two ends, each going to its paragraph. */
export function EventList({ events }: { events: NegotiationEvent[] }) {
  if (events.length === 0) return <p className="panel__empty">No bracket, support, resolution, status or thread between these two.</p>;
  return (
    <ol className="cmp-events" data-testid="compare-events">
      {events.map((event, i) => {
        const body = (
          <>
            <span className="cmp-event__ref">{event.ref ?? '—'}</span>
            <span className="cmp-event__text">{event.text}</span>
            {event.at && (
              <span className="cmp-event__at">
                <RelativeTime iso={event.at} />
              </span>
            )}
          </>
        );
        return (
          // Events are a list in time order with no id of their own.
          // biome-ignore lint/suspicious/noArrayIndexKey: see above
          <li key={i} className={`cmp-event cmp-event--${event.kind}`} data-testid="compare-event" data-kind={event.kind} data-ref={event.ref ?? ''}>
            {event.paragraphId ? (
              <button type="button" className="cmp-event__go" onClick={() => event.paragraphId && goToParagraph(event.paragraphId)}>
                {body}
              </button>
            ) : (
              <div className="cmp-event__go">{body}</div>
            )}
          </li>
        );
      })}
    </ol>
  );
}
