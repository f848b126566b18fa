import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, Navigate, useSearchParams } from 'react-router';

import { useAuth } from '../auth';
import { StatusBadge } from '../components/StatusBadge';
import { ErrorNotice, Loading } from '../components/ui';
import { useMoney } from '../money';
import { formatDateTime, ordersQuery } from '../orders';

/** The signed-in shopper's orders, newest first, a page at a time (`?page=2`). */
export default function Orders() {
  const { signedIn } = useAuth();
  const [params] = useSearchParams();
  const page = Math.max(1, Number(params.get('page')) || 1);
  const orders = useQuery({
    ...ordersQuery(page),
    enabled: signedIn,
    placeholderData: keepPreviousData,
  });
  const money = useMoney();

  if (!signedIn) return <Navigate to="/sign-in?next=/account/orders" replace />;
  return (
    <>
      <title>Your orders · BuyBuy</title>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <ol>
          <li>
            <Link to="/account">My account</Link>
          </li>
        </ol>
      </nav>
      <h1>Your orders</h1>
      {orders.isPending ? (
        <Loading>Loading your orders…</Loading>
      ) : orders.isError ? (
        <ErrorNotice error={orders.error} onRetry={() => void orders.refetch()} />
      ) : orders.data.items.length === 0 ? (
        <div className="empty">
          <p>You have not placed an order yet.</p>
          <Link to="/">Start shopping</Link>
        </div>
      ) : (
        <>
          <ul className="order-list">
            {orders.data.items.map((order) => (
              <li key={order.id} className="order-row">
                <Link to={`/orders/${order.id}`} className="order-number">
                  {order.number}
                </Link>
                <StatusBadge status={order.status} />
                <span className="muted">
                  {formatDateTime(order.created_at)} · {order.item_count}{' '}
                  {order.item_count === 1 ? 'item' : 'items'}
                </span>
                <strong className="order-row-total">{money.format(order.total)}</strong>
              </li>
            ))}
          </ul>
          <PageLinks page={page} totalPages={orders.data.pagination.total_pages} />
        </>
      )}
    </>
  );
}

function PageLinks({ page, totalPages }: { page: number; totalPages: number }) {
  if (totalPages <= 1) return null;
  return (
    <nav className="pagination" aria-label="Pages">
      {page > 1 ? (
        <Link to={`?page=${page - 1}`}>← Newer orders</Link>
      ) : (
        <span aria-hidden="true" />
      )}
      <span>
        Page {page} of {totalPages}
      </span>
      {page < totalPages ? (
        <Link to={`?page=${page + 1}`}>Older orders →</Link>
      ) : (
        <span aria-hidden="true" />
      )}
    </nav>
  );
}
