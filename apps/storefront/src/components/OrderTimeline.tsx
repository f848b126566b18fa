import { formatDateTime, type Order, STATUS_LABELS } from '../orders';

/** Who made a change, as a shopper would say it. */
function actorLabel(actor: string): string {
  if (actor === 'customer') return 'by you';
  if (actor.startsWith('admin')) return 'by the shop';
  return '';
}

/** Every status the order has had, oldest first, with when, by whom and any note. */
export function OrderTimeline({ history }: { history: Order['history'] }) {
  return (
    <ol className="timeline">
      {history.map((entry, index) => (
        <li key={`${index}-${entry.created_at}`}>
          <strong>{entry.from_status === null ? 'Placed' : STATUS_LABELS[entry.to_status]}</strong>{' '}
          <span className="muted">{actorLabel(entry.actor)}</span>
          <br />
          <time dateTime={entry.created_at}>{formatDateTime(entry.created_at)}</time>
          {entry.note && <p className="timeline-note">{entry.note}</p>}
        </li>
      ))}
    </ol>
  );
}
