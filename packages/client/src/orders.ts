import type { RouterOutputs } from './router';

export type OrderStatus = RouterOutputs['orders']['byId']['status'];

/** Every order status in lifecycle order, in words for people (both apps show these). */
export const ORDER_STATUS_LABELS: Readonly<Record<OrderStatus, string>> = {
  pending_payment: 'Awaiting payment',
  paid: 'Paid',
  shipped: 'Shipped',
  delivered: 'Delivered',
  cancelled: 'Cancelled',
  refunded: 'Refunded',
};
