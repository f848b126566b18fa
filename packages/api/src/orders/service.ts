/**
 * Orders: placing one (checkout.ts), its lifecycle (lifecycle.ts), and
 * reading them (here).
 *
 * Checkout turns the caller's cart into an order in ONE transaction. Stock is
 * taken line by line with a conditional decrement (`stock_quantity >= n` in the
 * UPDATE's WHERE, never read-then-write), so concurrent checkouts can never
 * sell more than there is; the first line that cannot be taken rolls back
 * everything (stock, order, cart). Names and prices are copied into the order
 * lines and all totals are computed here, exactly.
 *
 * Lifecycle: pending_payment → paid → shipped → delivered; `cancelled` by the
 * customer while pending_payment, by an admin until shipped (pending_payment
 * or paid); `refunded` by an admin once paid (from paid, shipped or
 * delivered). Cancel and refund put the stock back, in the same transaction
 * as the status change and only when that change happened, so two racing
 * cancels restock once. Every change writes a history row.
 *
 * Who may read an order: an admin, the signed-in user who placed it, or
 * whoever holds its order token (returned once, by checkout). Anyone else
 * gets a 404, so order ids reveal nothing.
 */
import { timingSafeEqual } from 'node:crypto';

import {
  type Database,
  type Executor,
  type Order,
  orderItems,
  orders,
  orderStatusHistory,
  prepared,
} from '@buybuy/db';
import { and, asc, count, desc, eq, gte, inArray, lt, lte, type SQL, sql } from 'drizzle-orm';

import { hashToken } from '../cart/token';
import { notFound } from '../errors';
import { type Pagination, toPagination, toTimestamp } from '../shared/schemas';
import type { ListOrders, OrderOutput, OrderSummary } from './schemas';

/** Who is asking for an order. */
export interface OrderAccess {
  viewer: { id: number; is_staff: boolean } | null;
  /** The guest's order token (X-Order-Token), if sent. */
  orderToken?: string | null;
}

const sameHash = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** Whether the caller may see the order, and as whom. */
export function accessAs(
  order: Pick<Order, 'user_id' | 'order_token_hash'>,
  access: OrderAccess,
): 'admin' | 'customer' | null {
  if (access.viewer?.is_staff) return 'admin';
  if (access.viewer && order.user_id === access.viewer.id) return 'customer';
  if (access.orderToken && sameHash(hashToken(access.orderToken), order.order_token_hash))
    return 'customer';
  return null;
}

/** readOrder's statements, built once per handle or connection (see `prepared` in @buybuy/db). */
const orderStatements = {
  order: prepared(
    (db: Executor) =>
      db
        .select()
        .from(orders)
        .where(eq(orders.id, sql.placeholder('id')))
        .prepare(),
    () => '',
  ),
  items: prepared(
    (db: Executor) =>
      db
        .select()
        .from(orderItems)
        .where(eq(orderItems.order_id, sql.placeholder('id')))
        .orderBy(asc(orderItems.id))
        .prepare(),
    () => '',
  ),
  history: prepared(
    (db: Executor) =>
      db
        .select()
        .from(orderStatusHistory)
        .where(eq(orderStatusHistory.order_id, sql.placeholder('id')))
        .orderBy(asc(orderStatusHistory.id))
        .prepare(),
    () => '',
  ),
};

/** The order as the wire shows it: three statements (order, lines, history). */
export async function readOrder(db: Executor, id: number): Promise<OrderOutput | null> {
  const [order] = await orderStatements.order(db, undefined).execute({ id });
  if (!order) return null;
  const [items, history] = await Promise.all([
    orderStatements.items(db, undefined).execute({ id }),
    orderStatements.history(db, undefined).execute({ id }),
  ]);
  return {
    id: order.id,
    number: order.number,
    status: order.status,
    email: order.email,
    items: items.map((item) => ({
      product_id: item.product_id,
      name: item.name,
      unit_price: item.unit_price,
      quantity: item.quantity,
      line_total: item.line_total,
    })),
    subtotal: order.subtotal,
    shipping_total: order.shipping_total,
    total: order.total,
    currency: order.currency,
    shipping_address: {
      full_name: order.shipping_full_name,
      line1: order.shipping_line1,
      line2: order.shipping_line2,
      city: order.shipping_city,
      postal_code: order.shipping_postal_code,
      country: order.shipping_country,
      phone: order.shipping_phone,
    },
    shipping_method: {
      id: order.shipping_method_id,
      name: order.shipping_method_name,
      price: order.shipping_method_price,
    },
    payment_provider: order.payment_provider,
    tracking_number: order.tracking_number,
    history: history.map((entry) => ({
      from_status: entry.from_status,
      to_status: entry.to_status,
      actor: entry.actor,
      note: entry.note,
      created_at: toTimestamp(entry.created_at),
    })),
    created_at: toTimestamp(order.created_at),
    updated_at: toTimestamp(order.updated_at),
  };
}

/** One order, for an admin, its owner, or the holder of its token; a 404 for anyone else. */
export async function getOrder(
  db: Database,
  id: number,
  access: OrderAccess,
): Promise<OrderOutput> {
  const [order] = await db
    .select({ user_id: orders.user_id, order_token_hash: orders.order_token_hash })
    .from(orders)
    .where(eq(orders.id, id));
  if (!order || !accessAs(order, access)) throw notFound('Order');
  const output = await readOrder(db, id);
  if (!output) throw notFound('Order');
  return output;
}

/** A date-only bound covers its whole day (UTC): `created_to=2026-11-29` ends before the 30th. */
function dateFilters(input: ListOrders): SQL[] {
  const filters: SQL[] = [];
  const isDay = (value: string) => value.length === 10;
  if (input.created_from !== undefined) {
    const from = isDay(input.created_from) ? `${input.created_from}T00:00:00Z` : input.created_from;
    filters.push(gte(orders.created_at, new Date(from)));
  }
  if (input.created_to !== undefined) {
    if (isDay(input.created_to)) {
      const end = new Date(`${input.created_to}T00:00:00Z`);
      end.setUTCDate(end.getUTCDate() + 1);
      filters.push(lt(orders.created_at, end));
    } else {
      filters.push(lte(orders.created_at, new Date(input.created_to)));
    }
  }
  return filters;
}

/**
 * A page of orders, newest first: the caller's own, or every order for an
 * admin. The filters narrow either. Three statements whatever the page size.
 */
export async function listOrders(
  db: Database,
  viewer: { id: number; is_staff: boolean },
  input: ListOrders,
): Promise<{ items: OrderSummary[]; pagination: Pagination }> {
  const filters: SQL[] = [...dateFilters(input)];
  if (!viewer.is_staff) filters.push(eq(orders.user_id, viewer.id));
  if (input.status !== undefined) filters.push(eq(orders.status, input.status));
  if (input.email !== undefined) filters.push(eq(orders.email, input.email));
  if (input.number !== undefined) filters.push(eq(orders.number, input.number));
  const where = and(...filters);

  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(orders)
      .where(where)
      .orderBy(desc(orders.created_at), desc(orders.id))
      .limit(input.per_page)
      .offset((input.page - 1) * input.per_page),
    db.select({ n: count() }).from(orders).where(where),
  ]);
  const counts = new Map<number, number>();
  if (rows.length > 0) {
    const units = await db
      .select({
        order_id: orderItems.order_id,
        n: sql`SUM(${orderItems.quantity})`.mapWith(Number),
      })
      .from(orderItems)
      .where(
        inArray(
          orderItems.order_id,
          rows.map((row) => row.id),
        ),
      )
      .groupBy(orderItems.order_id);
    for (const row of units) counts.set(row.order_id, row.n);
  }
  return {
    items: rows.map((order) => ({
      id: order.id,
      number: order.number,
      status: order.status,
      email: order.email,
      item_count: counts.get(order.id) ?? 0,
      subtotal: order.subtotal,
      shipping_total: order.shipping_total,
      total: order.total,
      currency: order.currency,
      created_at: toTimestamp(order.created_at),
      updated_at: toTimestamp(order.updated_at),
    })),
    pagination: toPagination(input.page, input.per_page, total?.n ?? 0),
  };
}
