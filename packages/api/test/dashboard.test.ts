import { orders, type OrderStatus } from '@buybuy/db';
import { createTestDatabase, type TestDatabase } from '@buybuy/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { getDashboard, startOfUtcDay } from '../src/dashboard/service';
import { aProduct } from './fixtures';

let test: TestDatabase;
beforeAll(async () => {
  test = await createTestDatabase();
});
afterAll(() => test.drop());

const NOW = new Date('2026-11-29T15:00:00.000Z');
let sequence = 0;

/** An order row as checkout leaves it, placed at `created_at`. */
async function anOrder(status: OrderStatus, total: string, created_at: Date) {
  sequence += 1;
  await test.db.insert(orders).values({
    number: `BB-TEST${String(sequence).padStart(4, '0')}`,
    email: 'someone@example.com',
    status,
    subtotal: total,
    shipping_total: '0.00',
    total,
    currency: 'USD',
    shipping_full_name: 'A Person',
    shipping_line1: '1 Street',
    shipping_city: 'City',
    shipping_postal_code: '1000',
    shipping_country: 'PT',
    shipping_method_name: 'Pickup',
    shipping_method_price: '0.00',
    order_token_hash: `hash-${sequence}`,
    created_at,
  });
}

describe('the admin dashboard', () => {
  it('counts orders and sums the revenue of paid ones, by UTC day, exactly', async () => {
    const today = (hour: number) => new Date(Date.UTC(2026, 10, 29, hour));
    await anOrder('paid', '10.10', today(1));
    await anOrder('delivered', '0.20', today(14));
    await anOrder('pending_payment', '99.00', today(2)); // placed, not revenue
    await anOrder('cancelled', '50.00', today(3)); // no longer revenue
    await anOrder('shipped', '100.05', new Date('2026-11-23T00:00:00.000Z')); // 6 days ago
    await anOrder('paid', '1000.00', new Date('2026-11-22T23:59:59.999Z')); // before the 7 days

    const dashboard = await getDashboard(test.db, NOW);
    expect(dashboard.today).toEqual({ orders: 4, revenue: '10.30' });
    expect(dashboard.last_7_days).toEqual({ orders: 5, revenue: '110.35' });
    expect(dashboard.orders_by_status).toEqual([
      { status: 'pending_payment', count: 1 },
      { status: 'paid', count: 2 },
      { status: 'shipped', count: 1 },
      { status: 'delivered', count: 1 },
      { status: 'cancelled', count: 1 },
      { status: 'refunded', count: 0 },
    ]);
  });

  it('lists the ten active products lowest in stock, inactive ones left out', async () => {
    const ids = [];
    for (let stock = 0; stock < 12; stock++) ids.push(await aProduct(test.db, { stock }));
    await aProduct(test.db, { stock: 0, is_active: false });
    const { low_stock } = await getDashboard(test.db, NOW);
    expect(low_stock.map((row) => row.id)).toEqual(ids.slice(0, 10));
    expect(low_stock.map((row) => row.stock_quantity)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('starts a day at midnight UTC', () => {
    expect(startOfUtcDay(NOW).toISOString()).toBe('2026-11-29T00:00:00.000Z');
    expect(startOfUtcDay(NOW, 6).toISOString()).toBe('2026-11-23T00:00:00.000Z');
  });
});
