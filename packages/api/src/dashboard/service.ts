/**
 * The admin panel's landing page, in four statements. Days are UTC days.
 * "Revenue" counts the orders that were paid and not given back (paid,
 * shipped, delivered); a pending order is not revenue yet, a cancelled or
 * refunded one no longer is. Sums are DECIMAL in SQL: never a float.
 */
import { type Database, ORDER_STATUSES, orders, type OrderStatus, products } from '@buybuy/db';
import { asc, eq, gte, inArray, sql } from 'drizzle-orm';

const EARNING: OrderStatus[] = ['paid', 'shipped', 'delivered'];
const LOW_STOCK_ROWS = 10;

/** Midnight UTC `daysAgo` days before `now`. */
export function startOfUtcDay(now: Date, daysAgo = 0): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - daysAgo));
}

async function period(db: Database, since: Date) {
  const [row] = await db
    .select({
      orders: sql<number>`COUNT(*)`.mapWith(Number),
      revenue: sql<string>`COALESCE(SUM(CASE WHEN ${inArray(orders.status, EARNING)} THEN ${orders.total} ELSE 0 END), 0)`,
    })
    .from(orders)
    .where(gte(orders.created_at, since));
  // SUM of DECIMAL(12,2) is a DECIMAL with two places: mysql2 gives its exact text.
  return { orders: row?.orders ?? 0, revenue: row?.revenue ?? '0.00' };
}

export async function getDashboard(db: Database, now = new Date()) {
  const [today, lastSevenDays, byStatus, lowStock] = await Promise.all([
    period(db, startOfUtcDay(now)),
    // Today and the six days before it.
    period(db, startOfUtcDay(now, 6)),
    db
      .select({ status: orders.status, count: sql<number>`COUNT(*)`.mapWith(Number) })
      .from(orders)
      .groupBy(orders.status),
    db
      .select({
        id: products.id,
        name: products.name,
        stock_quantity: products.stock_quantity,
      })
      .from(products)
      .where(eq(products.is_active, true))
      .orderBy(asc(products.stock_quantity), asc(products.id))
      .limit(LOW_STOCK_ROWS),
  ]);
  const counts = new Map(byStatus.map((row) => [row.status, row.count]));
  return {
    today,
    last_7_days: lastSevenDays,
    orders_by_status: ORDER_STATUSES.map((status) => ({ status, count: counts.get(status) ?? 0 })),
    low_stock: lowStock,
  };
}
