import {
  type Database,
  type Executor,
  orderItems,
  orders,
  type OrderStatus,
  orderStatusHistory,
  products,
  waitForReplicas,
} from '@buybuy/db';
import { and, asc, eq, isNotNull, sql } from 'drizzle-orm';

import { conflict, forbidden, notFound } from '../errors';
import { paymentProvider } from '../payments/service';
import { retryDeadlocks } from '../shared/deadlock';
import type { OrderAction, OrderActionName, OrderOutput, ShipOrder } from './schemas';
import { accessAs, type OrderAccess, readOrder } from './service';

/** Who changes an order's status; written into its history. */
export type OrderActor =
  | { kind: 'customer'; userId: number | null }
  | { kind: 'admin'; userId: number }
  /** Our own code acting for a third party, e.g. a payment provider's webhook. */
  | { kind: 'system' };

type Action = OrderActionName;

interface Transition {
  to: OrderStatus;
  /** The statuses an admin (or the system) may move the order from. */
  from: readonly OrderStatus[];
  /** The statuses the customer may move it from; none when customers may not. */
  customerFrom?: readonly OrderStatus[];
  /** Puts the order's quantities back into stock. */
  restocks?: boolean;
}

/**
 * The lifecycle, as a table. A refund puts the stock back whatever the
 * status it comes from: a refund is taken to mean the goods never left or
 * came back; an admin who refunds without getting them back corrects the
 * stock on the product.
 */
export const TRANSITIONS: Record<Action, Transition> = {
  pay: { to: 'paid', from: ['pending_payment'] },
  ship: { to: 'shipped', from: ['paid'] },
  deliver: { to: 'delivered', from: ['shipped'] },
  cancel: {
    to: 'cancelled',
    from: ['pending_payment', 'paid'],
    customerFrom: ['pending_payment'],
    restocks: true,
  },
  refund: { to: 'refunded', from: ['paid', 'shipped', 'delivered'], restocks: true },
};

/** What `staff` (an admin) or the order's customer may do to an order in `status`. */
export function allowedActions(status: OrderStatus, staff: boolean): OrderActionName[] {
  return (Object.keys(TRANSITIONS) as OrderActionName[]).filter((action) => {
    const transition = TRANSITIONS[action];
    return (staff ? transition.from : (transition.customerFrom ?? [])).includes(status);
  });
}

const actorName = (actor: OrderActor) =>
  actor.kind === 'admin' ? `admin:${actor.userId}` : actor.kind;

const invalidTransition = (from: OrderStatus, to: OrderStatus) =>
  conflict('INVALID_TRANSITION', `An order that is ${from} cannot become ${to}`);

/** Puts every line's quantity back, in product id order (as checkout takes them). */
async function restock(tx: Executor, orderId: number): Promise<void> {
  const lines = await tx
    .select({ product_id: orderItems.product_id, quantity: orderItems.quantity })
    .from(orderItems)
    .where(and(eq(orderItems.order_id, orderId), isNotNull(orderItems.product_id)))
    .orderBy(asc(orderItems.product_id));
  for (const line of lines) {
    // A product deleted since has no row (product_id became NULL): nothing to put back.
    await tx.execute(
      sql`UPDATE ${products} SET ${products.stock_quantity} = ${products.stock_quantity} + ${line.quantity}
          WHERE ${products.id} = ${line.product_id}`,
    );
  }
}

/**
 * Moves the order along one transition in one transaction: the order row is
 * locked to learn where it stands, then a conditional UPDATE (`... AND status
 * = <that status>`) makes the change; the restock and the history row happen
 * only when that UPDATE changed the row. Two racing cancels: the second waits
 * for the first, finds `cancelled`, and gets INVALID_TRANSITION; the stock
 * comes back once.
 */
async function transition(
  db: Database,
  orderId: number,
  action: Action,
  actor: OrderActor,
  input: OrderAction & { tracking_number?: string },
): Promise<OrderOutput> {
  const rule = TRANSITIONS[action];
  const allowed = actor.kind === 'customer' ? (rule.customerFrom ?? []) : rule.from;
  await retryDeadlocks(() =>
    db.transaction(async (tx) => {
      const [order] = await tx
        .select({ status: orders.status })
        .from(orders)
        .where(eq(orders.id, orderId))
        .for('update');
      if (!order) throw notFound('Order');
      if (!allowed.includes(order.status)) throw invalidTransition(order.status, rule.to);
      const [result] = await tx
        .update(orders)
        .set({
          status: rule.to,
          updated_at: new Date(),
          ...(input.tracking_number === undefined
            ? {}
            : { tracking_number: input.tracking_number }),
        })
        .where(and(eq(orders.id, orderId), eq(orders.status, order.status)));
      if (result.affectedRows !== 1) throw invalidTransition(order.status, rule.to);
      if (rule.restocks) await restock(tx, orderId);
      await tx.insert(orderStatusHistory).values({
        order_id: orderId,
        from_status: order.status,
        to_status: rule.to,
        actor: actorName(actor),
        actor_user_id: actor.kind === 'system' ? null : actor.userId,
        note: input.note || null,
      });
    }),
  );
  // A restock changed stock that public reads on replicas must see.
  if (rule.restocks) await waitForReplicas(db);
  return (await readOrder(db, orderId))!;
}

/**
 * pending_payment → paid. For providers confirmed by hand (`manual`) an admin
 * does it; for webhook-confirmed ones only the `system` actor (the webhook).
 */
export async function markOrderPaid(
  db: Database,
  orderId: number,
  actor: Exclude<OrderActor, { kind: 'customer' }>,
  input: OrderAction,
): Promise<OrderOutput> {
  const [order] = await db
    .select({ provider: orders.payment_provider })
    .from(orders)
    .where(eq(orders.id, orderId));
  if (!order) throw notFound('Order');
  if (actor.kind === 'admin' && paymentProvider(order.provider).confirmedBy !== 'admin')
    throw forbidden(`Payments through ${order.provider} are confirmed by the provider`);
  return transition(db, orderId, 'pay', actor, input);
}

/** paid → shipped, with an optional tracking number. */
export const shipOrder = (
  db: Database,
  orderId: number,
  actor: Exclude<OrderActor, { kind: 'customer' }>,
  input: ShipOrder,
) => transition(db, orderId, 'ship', actor, input);

/** shipped → delivered. */
export const deliverOrder = (
  db: Database,
  orderId: number,
  actor: Exclude<OrderActor, { kind: 'customer' }>,
  input: OrderAction,
) => transition(db, orderId, 'deliver', actor, input);

/** paid, shipped or delivered → refunded; the stock comes back. */
export const refundOrder = (
  db: Database,
  orderId: number,
  actor: Exclude<OrderActor, { kind: 'customer' }>,
  input: OrderAction,
) => transition(db, orderId, 'refund', actor, input);

/**
 * → cancelled, and the stock comes back. An admin may cancel until the order
 * ships; the customer who placed it (signed in, or holding its order token)
 * only while it is unpaid. Anyone else gets a 404, as for reading it.
 */
export async function cancelOrder(
  db: Database,
  orderId: number,
  access: OrderAccess,
  input: OrderAction,
): Promise<OrderOutput> {
  const [order] = await db
    .select({ user_id: orders.user_id, order_token_hash: orders.order_token_hash })
    .from(orders)
    .where(eq(orders.id, orderId));
  const as = order ? accessAs(order, access) : null;
  if (!as) throw notFound('Order');
  const actor: OrderActor =
    as === 'admin'
      ? { kind: 'admin', userId: access.viewer!.id }
      : { kind: 'customer', userId: access.viewer?.id ?? null };
  return transition(db, orderId, 'cancel', actor, input);
}
