import { ORDER_STATUS_LABELS, type RouterInputs, type RouterOutputs } from '@buybuy/client';

export type Order = RouterOutputs['orders']['byId'];
export type OrderSummary = RouterOutputs['orders']['list']['items'][number];
export type OrderStatus = Order['status'];
export type OrderListInput = RouterInputs['orders']['list'];

/** Every status in lifecycle order, in words. A status added to the API fails the type check here. */
export const STATUS_LABELS = ORDER_STATUS_LABELS;

export const ORDER_STATUSES = Object.keys(STATUS_LABELS) as OrderStatus[];

export const isOrderStatus = (value: string | null): value is OrderStatus =>
  value !== null && value in STATUS_LABELS;

/** What can be done to an order, as the API names it in `order.actions`. */
export type OrderAction = Order['actions'][number];

/**
 * How each action reads on a button, in lifecycle order. Which ones an order
 * offers is the API's word (`order.actions`, from its lifecycle table): the
 * screen keeps no copy of the rules.
 */
export const ORDER_ACTIONS: Record<OrderAction, { label: string; destructive?: boolean }> = {
  pay: { label: 'Mark paid' },
  ship: { label: 'Ship' },
  deliver: { label: 'Mark delivered' },
  // Cannot be undone, and put the stock back.
  cancel: { label: 'Cancel order', destructive: true },
  refund: { label: 'Refund', destructive: true },
};

/** The order's actions in lifecycle order, whatever order the API lists them in. */
export const actionsOf = (order: Pick<Order, 'actions'>): OrderAction[] =>
  (Object.keys(ORDER_ACTIONS) as OrderAction[]).filter((action) => order.actions.includes(action));

/** Who made a change, from the history's actor ('customer', 'admin:<id>', 'system'). */
export function actorLabel(actor: string, me: { id: number; username: string } | undefined) {
  if (actor === 'customer') return 'Customer';
  if (actor === 'system') return 'System';
  const adminId = /^admin:(\d+)$/.exec(actor)?.[1];
  if (adminId === undefined) return actor;
  return me && Number(adminId) === me.id ? `You (${me.username})` : `Admin #${adminId}`;
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** A server timestamp in the reader's time zone. */
export const formatDateTime = (timestamp: string) => dateTime.format(new Date(timestamp));
