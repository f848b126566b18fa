import { fieldErrorsOf } from '@buybuy/client';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';

import { queries } from '../api';
import { ORDER_FILTERS, OrderFilters } from '../components/OrderFilters';
import { OrderStatusBadge } from '../components/OrderStatusBadge';
import {
  Empty,
  ErrorState,
  Loading,
  Pagination,
  SelectField,
  usePageTitle,
} from '../components/ui';
import { useListParams } from '../listParams';
import { useMoney } from '../money';
import { formatDateTime, isOrderStatus, type OrderListInput, STATUS_LABELS } from '../orders';

const PAGE_SIZES = [10, 20, 50, 100];

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

  const page = list.data;
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
        <SelectField
          label="Per page"
          name="per_page"
          value={String(input.per_page)}
          onChange={(event) => update({ per_page: event.target.value })}
        >
          {PAGE_SIZES.map((size) => (
            <option key={size}>{size}</option>
          ))}
        </SelectField>
      </div>

      {list.isPending ? (
        <Loading label="Loading orders…" />
      ) : list.isError && !page ? (
        <ErrorState
          error={list.error}
          shownFields={ORDER_FILTERS}
          onRetry={() => void list.refetch()}
        />
      ) : page && page.items.length === 0 ? (
        <Empty>
          <p>{filtered ? 'No orders match these filters.' : 'No orders yet.'}</p>
        </Empty>
      ) : page ? (
        <>
          {list.isError && <ErrorState error={list.error} shownFields={ORDER_FILTERS} />}
          <div className="table-wrap" aria-busy={list.isFetching}>
            <table>
              <caption className="visually-hidden">
                Orders, newest first, page {page.pagination.page} of {page.pagination.total_pages}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Order</th>
                  <th scope="col">Placed</th>
                  <th scope="col">Customer</th>
                  <th scope="col" className="number">
                    Items
                  </th>
                  <th scope="col" className="number">
                    Total
                  </th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((order) => (
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
                ))}
              </tbody>
            </table>
          </div>
          <Pagination
            label="Order pages"
            pagination={page.pagination}
            onPage={(number) => update({ page: String(number) }, true)}
          />
        </>
      ) : null}
    </>
  );
}
