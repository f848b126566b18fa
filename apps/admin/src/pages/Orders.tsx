import { fieldErrorsOf } from '@buybuy/client';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';

import { queries } from '../api';
import { ORDER_FILTERS, OrderFilters } from '../components/OrderFilters';
import { OrderStatusBadge } from '../components/OrderStatusBadge';
import { PagedTable, PerPageField } from '../components/PagedTable';
import { NumberHeader } from '../components/TableParts';
import { usePageTitle } from '../components/ui';
import { useListParams } from '../listParams';
import { useMoney } from '../money';
import { formatDateTime, isOrderStatus, type OrderListInput, STATUS_LABELS } from '../orders';

/** The list's input from the address; the API sorts newest first. */
function inputFrom(params: URLSearchParams): OrderListInput {
  const status = params.get('status');
  const text = (name: (typeof ORDER_FILTERS)[number]) =>
    params.get(name) ? { [name]: params.get(name)! } : {};
  return {
    page: Number(params.get('page') ?? 1) || 1,
    per_page: Number(params.get('per_page') ?? 20) || 20,
    ...(isOrderStatus(status) ? { status } : {}),
    ...text('email'),
    ...text('number'),
    ...text('created_from'),
    ...text('created_to'),
  };
}

export default function Orders() {
  const [params, update] = useListParams();
  const input = inputFrom(params);
  usePageTitle(input.status ? `Orders: ${STATUS_LABELS[input.status]}` : 'Orders');
  const money = useMoney();
  const list = useQuery({
    ...queries.orders.list.queryOptions(input),
    placeholderData: keepPreviousData,
  });
  const filtered = ORDER_FILTERS.some((name) => params.has(name));

  return (
    <>
      <h1>Orders</h1>
      <OrderFilters
        key={params.toString()}
        params={params}
        serverErrors={fieldErrorsOf(list.error)}
        onApply={(changes) => update(changes)}
      />
      <div className="table-tools">
        <PerPageField value={input.per_page} onChange={(size) => update({ per_page: size })} />
      </div>

      <PagedTable
        list={list}
        loadingLabel="Loading orders…"
        shownFields={ORDER_FILTERS}
        empty={filtered ? 'No orders match these filters.' : 'No orders yet.'}
        caption={(pagination) =>
          `Orders, newest first, page ${pagination.page} of ${pagination.total_pages}`
        }
        head={
          <>
            <th scope="col">Order</th>
            <th scope="col">Placed</th>
            <th scope="col">Customer</th>
            <NumberHeader>Items</NumberHeader>
            <NumberHeader>Total</NumberHeader>
            <th scope="col">Status</th>
          </>
        }
        row={(order) => (
          <tr key={order.id}>
            <td>
              <Link className="order-number" to={`/orders/${order.id}`}>
                {order.number}
              </Link>
            </td>
            <td>
              <time dateTime={order.created_at}>{formatDateTime(order.created_at)}</time>
            </td>
            <td>{order.email}</td>
            <td className="number">{order.item_count}</td>
            <td className="number">{money(order.total, order.currency)}</td>
            <td>
              <OrderStatusBadge status={order.status} />
            </td>
          </tr>
        )}
        pagesLabel="Order pages"
        onPage={(number) => update({ page: String(number) }, true)}
      />
    </>
  );
}
