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

/** The admin a history actor names ('admin:<id>'), or undefined for 'customer' and 'system'. */
export function actorAdminId(actor: string): number | undefined {
  const id = /^admin:(\d+)$/.exec(actor)?.[1];
  return id === undefined ? undefined : Number(id);
}

/**
 * Who made a change, from the history's actor ('customer', 'admin:<id>',
 * 'system'): an admin by username once `usernames` knows it.
 */
export function actorLabel(
  actor: string,
  me: { id: number; username: string } | undefined,
  usernames: ReadonlyMap<number, string> = new Map(),
) {
  if (actor === 'customer') return 'Customer';
  if (actor === 'system') return 'System';
  const adminId = actorAdminId(actor);
  if (adminId === undefined) return actor;
  if (me && adminId === me.id) return `You (${me.username})`;
  return usernames.get(adminId) ?? `Admin #${adminId}`;
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** A server timestamp in the reader's time zone. */
export const formatDateTime = (timestamp: string) => dateTime.format(new Date(timestamp));
