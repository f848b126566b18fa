import { Link } from 'react-router';

import { useMoney } from '../money';
import type { Order } from '../orders';
import { Card } from './Card';
import { NumberHeader } from './TableParts';

/** The lines as ordered (names and prices copied at checkout), and the totals. */
export function OrderLines({ order }: { order: Order }) {
  const money = useMoney();
  const amount = (value: string) => money(value, order.currency);
  return (
    <Card id="lines-heading" title="Items">
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Product</th>
              <NumberHeader>Unit price</NumberHeader>
              <NumberHeader>Quantity</NumberHeader>
              <NumberHeader>Line total</NumberHeader>
            </tr>
          </thead>
          <tbody>
            {order.items.map((item, index) => (
              <tr key={`${item.product_id ?? 'deleted'}-${index}`}>
                <td>
                  {item.product_id === null ? (
                    <>
                      {item.name} <span className="badge">Product deleted</span>
                    </>
                  ) : (
                    <Link to={`/products/${item.product_id}`}>{item.name}</Link>
                  )}
                </td>
                <td className="number">{amount(item.unit_price)}</td>
                <td className="number">{item.quantity}</td>
                <td className="number">{amount(item.line_total)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" colSpan={3}>
                Subtotal
              </th>
              <td className="number">{amount(order.subtotal)}</td>
            </tr>
            <tr>
              <th scope="row" colSpan={3}>
                Shipping ({order.shipping_method.name})
              </th>
              <td className="number">{amount(order.shipping_total)}</td>
            </tr>
            <tr className="grand-total">
              <th scope="row" colSpan={3}>
                Total
              </th>
              <td className="number">{amount(order.total)}</td>
            </tr>
          </tfoot>
        </table>
      </div>
    </Card>
  );
}
