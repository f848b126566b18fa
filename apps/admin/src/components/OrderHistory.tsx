import { useAuth } from '../auth';
import { actorLabel, formatDateTime, type Order } from '../orders';
import { OrderStatusBadge } from './OrderStatusBadge';

/** Every status change, oldest first: from, to, who, when, and the note left with it. */
export function OrderHistory({ history }: { history: Order['history'] }) {
  const { me } = useAuth();
  return (
    <section className="card" aria-labelledby="history-heading">
      <h2 id="history-heading">History</h2>
      <ol className="timeline">
        {history.map((entry, index) => (
          <li key={`${entry.created_at}-${index}`}>
            <p className="timeline-change">
              {entry.from_status ? (
                <>
                  <OrderStatusBadge status={entry.from_status} />
                  <span aria-hidden="true"> → </span>
                  <span className="visually-hidden"> to </span>
                </>
              ) : (
                <span>Placed as </span>
              )}
              <OrderStatusBadge status={entry.to_status} />
            </p>
            <p className="muted">
              <time dateTime={entry.created_at}>{formatDateTime(entry.created_at)}</time> ·{' '}
              {actorLabel(entry.actor, me)}
            </p>
            {entry.note && <blockquote className="timeline-note">{entry.note}</blockquote>}
          </li>
        ))}
      </ol>
    </section>
  );
}
