import { errorCode } from '@buybuy/client';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams, useSearchParams } from 'react-router';

import { useAuth } from '../auth';
import { CancelOrder } from '../components/CancelOrder';
import { SummaryLines, Totals } from '../components/OrderSummary';
import { OrderTimeline } from '../components/OrderTimeline';
import { StatusBadge } from '../components/StatusBadge';
import { ErrorNotice, Loading } from '../components/ui';
import { formatDateTime, type Order, orderQuery, placedOrderNote } from '../orders';

/**
 * An order: its confirmation right after checkout (`?placed=1`, which a
 * reload keeps), else its detail. A guest reads it with the order token kept
 * at checkout; a signed-in owner needs none.
 */
export default function OrderPage() {
  const id = Number(useParams().id);
  const placed = useSearchParams()[0].get('placed') === '1';
  const { signedIn } = useAuth();
  const note = placedOrderNote(id);
  const order = useQuery({ ...orderQuery(id, note?.token), enabled: Number.isInteger(id) });

  if (order.isPending && Number.isInteger(id)) return <Loading>Loading your order…</Loading>;
  if (!order.data) {
    const missing = !Number.isInteger(id) || errorCode(order.error) === 'NOT_FOUND';
    return (
      <>
        <title>Order not found · BuyBuy</title>
        <h1>{missing ? 'Order not found' : 'This order could not be loaded'}</h1>
        <ErrorNotice
          error={order.error}
          message={
            missing
              ? signedIn
                ? 'There is no such order in your account.'
                : 'Sign in to see the orders of your account.'
              : undefined
          }
          onRetry={missing ? undefined : () => void order.refetch()}
        />
        <p>
          {signedIn ? (
            <Link to="/account/orders">Your orders</Link>
          ) : (
            <Link to="/sign-in">Sign in</Link>
          )}
        </p>
      </>
    );
  }

  const o = order.data;
  return (
    <>
      <title>{`${placed ? 'Thank you' : `Order ${o.number}`} · BuyBuy`}</title>
      {signedIn && (
        <nav aria-label="Breadcrumb" className="breadcrumb">
          <ol>
            <li>
              <Link to="/account">My account</Link>
            </li>
            <li>
              <Link to="/account/orders">Your orders</Link>
            </li>
          </ol>
        </nav>
      )}
      {placed ? (
        <div className="confirmation">
          <h1>Thank you for your order</h1>
          <p className="lead">
            Your order number is <strong className="order-number">{o.number}</strong>. Keep it for
            any question about your order.
          </p>
        </div>
      ) : (
        <h1>
          Order <span className="order-number">{o.number}</span>
        </h1>
      )}
      <p>
        <StatusBadge status={o.status} />{' '}
        <span className="muted">placed {formatDateTime(o.created_at)}</span>
      </p>
      {o.status === 'pending_payment' && note?.payment_instructions && (
        <section className="notice notice-info" aria-labelledby="payment-heading">
          <h2 id="payment-heading">How to pay</h2>
          <p>{note.payment_instructions}</p>
        </section>
      )}
      <div className="order">
        <OrderDetails order={o} />
        <section className="summary" aria-labelledby="history-heading">
          <h2 id="history-heading">Status</h2>
          <OrderTimeline history={o.history} />
          {/* The server says what this caller may do now: a customer cancels while unpaid. */}
          {o.actions.includes('cancel') && <CancelOrder order={o} orderToken={note?.token} />}
        </section>
      </div>
      <p>
        <Link to="/">Continue shopping</Link>
      </p>
    </>
  );
}

function OrderDetails({ order }: { order: Order }) {
  const address = order.shipping_address;
  return (
    <div className="order-details">
      <section className="summary" aria-labelledby="items-heading">
        <h2 id="items-heading">Items</h2>
        <SummaryLines lines={order.items} />
        <Totals subtotal={order.subtotal} shipping={order.shipping_method} total={order.total} />
      </section>
      <section className="summary" aria-labelledby="shipping-heading">
        <h2 id="shipping-heading">Shipping</h2>
        <address>
          {[
            address.full_name,
            address.line1,
            address.line2,
            `${address.postal_code} ${address.city}`,
            address.country,
            address.phone,
          ]
            .filter(Boolean)
            .map((part, index) => (
              <span key={index}>
                {part}
                <br />
              </span>
            ))}
        </address>
        <p>
          Method: {order.shipping_method.name}
          <br />
          Contact: {order.email}
          {order.tracking_number && (
            <>
              <br />
              Tracking number: <strong>{order.tracking_number}</strong>
            </>
          )}
        </p>
      </section>
    </div>
  );
}
