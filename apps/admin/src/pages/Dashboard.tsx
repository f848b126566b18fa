import type { RouterOutputs } from '@buybuy/client';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';

import { queries } from '../api';
import { Card } from '../components/Card';
import { OrderStatusBadge } from '../components/OrderStatusBadge';
import { NumberHeader, StockCell } from '../components/TableParts';
import { Empty, ErrorState, Loading, usePageTitle } from '../components/ui';
import { useMoney } from '../money';

type Dashboard = RouterOutputs['dashboard']['get'];

/** The landing page: how selling goes, what waits for an admin, what runs out. */
export default function Dashboard() {
  usePageTitle('Dashboard');
  const dashboard = useQuery(queries.dashboard.get.queryOptions({}));

  return (
    <>
      <h1>Dashboard</h1>
      {dashboard.isPending ? (
        <Loading label="Loading the dashboard…" />
      ) : dashboard.isError ? (
        <ErrorState error={dashboard.error} onRetry={() => void dashboard.refetch()} />
      ) : (
        <DashboardView data={dashboard.data} />
      )}
    </>
  );
}

function DashboardView({ data }: { data: Dashboard }) {
  const money = useMoney();
  return (
    <div className="dashboard">
      <Card id="sales-heading" title="Sales">
        <dl className="figures">
          <Figure label="Orders today" value={String(data.today.orders)} />
          <Figure label="Revenue today" value={money(data.today.revenue)} />
          <Figure label="Orders, last 7 days" value={String(data.last_7_days.orders)} />
          <Figure label="Revenue, last 7 days" value={money(data.last_7_days.revenue)} />
        </dl>
        <p className="hint">
          Days are UTC days. Revenue counts paid, shipped and delivered orders.
        </p>
      </Card>

      <Card id="status-heading" title="Orders by status">
        <ul className="status-list">
          {data.orders_by_status.map(({ status, count }) => (
            <li key={status}>
              <Link to={`/orders?status=${status}`} className={count === 0 ? 'none' : undefined}>
                <OrderStatusBadge status={status} />
                <span className="count">
                  {count}
                  <span aria-hidden="true" className="chevron">
                    ›
                  </span>
                </span>
              </Link>
            </li>
          ))}
        </ul>
      </Card>

      <Card id="stock-heading" title="Lowest stock">
        {data.low_stock.length === 0 ? (
          <Empty>
            <p>No active products.</p>
          </Empty>
        ) : (
          <table>
            <caption className="visually-hidden">The active products with the least stock</caption>
            <thead>
              <tr>
                <th scope="col">Product</th>
                <NumberHeader>In stock</NumberHeader>
              </tr>
            </thead>
            <tbody>
              {data.low_stock.map((product) => (
                <tr key={product.id}>
                  <td>
                    <Link to={`/products/${product.id}`}>{product.name}</Link>
                  </td>
                  <StockCell quantity={product.stock_quantity} />
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </div>
  );
}

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <div className="figure">
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}
