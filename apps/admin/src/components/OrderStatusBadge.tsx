import { type OrderStatus, STATUS_LABELS } from '../orders';

/** An order's status in words, coloured by where it stands (waiting, moving, done, undone). */
export function OrderStatusBadge({ status }: { status: OrderStatus }) {
  return <span className={`order-status order-status-${status}`}>{STATUS_LABELS[status]}</span>;
}
