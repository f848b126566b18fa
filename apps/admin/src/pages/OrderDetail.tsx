import { idSchema } from '@buybuy/validators';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';

import { queries } from '../api';
import { Breadcrumb } from '../components/Breadcrumb';
import { LoadFailed } from '../components/LoadFailed';
import { OrderActions } from '../components/OrderActions';
import { OrderHistory } from '../components/OrderHistory';
import { OrderLines } from '../components/OrderLines';
import { OrderStatusBadge } from '../components/OrderStatusBadge';
import { LiveRegion, Loading, usePageTitle } from '../components/ui';
import { useMoney } from '../money';
import { formatDateTime, type Order } from '../orders';

/** How each payment provider is named for people; an unknown one shows its id. */
const PROVIDERS: Record<string, string> = {
  manual: 'Manual (bank transfer or cash on delivery)',
};

export default function OrderDetail() {
  const { id } = useParams();
  const orderId = idSchema.safeParse(id).data;
  if (orderId === undefined) return <Missing />;
  return <OrderPage key={orderId} id={orderId} />;
}

function OrderPage({ id }: { id: number }) {
  const order = useQuery(queries.orders.byId.queryOptions({ id }));
  const [status, setStatus] = useState('');
  usePageTitle(order.data ? `Order ${order.data.number}` : 'Order');

  if (order.isPending) return <Loading label="Loading the order…" />;
  if (order.isError) {
    return (
      <LoadFailed
        title="Order"
        error={order.error}
        missing={<Missing />}
        onRetry={() => void order.refetch()}
      />
    );
  }

  const current = order.data;
  return (
    <>
      <Breadcrumb to="/orders" list="Orders">
        {current.number}
      </Breadcrumb>
      <div className="order-head">
        <h1>
          Order <span className="order-number">{current.number}</span>
        </h1>
        <p className="order-head-status">
          <span className="visually-hidden">Status: </span>
          <OrderStatusBadge status={current.status} />
        </p>
      </div>
      <LiveRegion>{status && <p className="status">{status}</p>}</LiveRegion>
      <div className="columns">
        <div className="stack">
          <OrderLines order={current} />
          <OrderHistory history={current.history} />
        </div>
        <div className="stack">
          <OrderActions order={current} onDone={setStatus} />
          <OrderFacts order={current} />
        </div>
      </div>
    </>
  );
}

function OrderFacts({ order }: { order: Order }) {
  const money = useMoney();
  const address = order.shipping_address;
  return (
    <>
      <section className="card" aria-labelledby="customer-heading">
        <h2 id="customer-heading">Customer and address</h2>
        <p>
          <a href={`mailto:${order.email}`}>{order.email}</a>
        </p>
        <address>
          {address.full_name}
          <br />
          {address.line1}
          {address.line2 && (
            <>
              <br />
              {address.line2}
            </>
          )}
          <br />
          {address.postal_code} {address.city}
          <br />
          {address.country}
          {address.phone && (
            <>
              <br />
              Phone: {address.phone}
            </>
          )}
        </address>
      </section>
      <section className="card" aria-labelledby="delivery-heading">
        <h2 id="delivery-heading">Shipping and payment</h2>
        <dl className="facts">
          <dt>Shipping method</dt>
          <dd>
            {order.shipping_method.name} ({money(order.shipping_method.price, order.currency)})
          </dd>
          <dt>Tracking number</dt>
          <dd>{order.tracking_number ?? <span className="muted">None yet</span>}</dd>
          <dt>Payment</dt>
          <dd>{PROVIDERS[order.payment_provider] ?? order.payment_provider}</dd>
          <dt>Placed</dt>
          <dd>
            <time dateTime={order.created_at}>{formatDateTime(order.created_at)}</time>
          </dd>
          <dt>Last change</dt>
          <dd>
            <time dateTime={order.updated_at}>{formatDateTime(order.updated_at)}</time>
          </dd>
        </dl>
      </section>
    </>
  );
}

function Missing() {
  usePageTitle('Order not found');
  return (
    <>
      <h1>Order not found</h1>
      <p>
        There is no order with this id. <Link to="/orders">Back to the orders</Link>.
      </p>
    </>
  );
}
