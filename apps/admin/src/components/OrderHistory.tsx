import { useQueries } from '@tanstack/react-query';
import { Link } from 'react-router';

import { queries } from '../api';
import { useAuth } from '../auth';
import { actorAdminId, actorLabel, formatDateTime, type Order } from '../orders';
import { OrderStatusBadge } from './OrderStatusBadge';

/** The usernames of the admins a history names (other than you), read from their user pages' query. */
function useAdminNames(history: Order['history'], myId: number | undefined) {
  const ids = [
    ...new Set(history.map((entry) => actorAdminId(entry.actor)).filter((id) => id !== undefined)),
  ].filter((id) => id !== myId);
  const users = useQueries({
    queries: ids.map((id) => ({ ...queries.users.byId.queryOptions({ id }), staleTime: 60_000 })),
  });
  const names = new Map<number, string>();
  users.forEach((user) => {
    if (user.data) names.set(user.data.id, user.data.username);
  });
  return names;
}

/** Every status change, oldest first: from, to, who, when, and the note left with it. */
export function OrderHistory({ history }: { history: Order['history'] }) {
  const { me } = useAuth();
  const names = useAdminNames(history, me?.id);
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
              <Actor actor={entry.actor} label={actorLabel(entry.actor, me, names)} />
            </p>
            {entry.note && <blockquote className="timeline-note">{entry.note}</blockquote>}
          </li>
        ))}
      </ol>
    </section>
  );
}

/** An admin links to their user page; a customer or the system is plain text. */
function Actor({ actor, label }: { actor: string; label: string }) {
  const adminId = actorAdminId(actor);
  return adminId === undefined ? <>{label}</> : <Link to={`/users/${adminId}`}>{label}</Link>;
}
