import {
  categories,
  orderItems,
  orders,
  orderStatusHistory,
  productCounts,
  products,
  shippingMethods,
} from '@buybuy/db';
import { createTestDatabase, productCountDrift, type TestDatabase } from '@buybuy/db/testing';
import { and, count, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { addCartItemInput } from '../src/cart/schemas';
import { addCartItem, type CartOwner, getCart } from '../src/cart/service';
import { hashToken } from '../src/cart/token';
import { placeOrder } from '../src/orders/checkout';
import {
  cancelOrder,
  deliverOrder,
  markOrderPaid,
  refundOrder,
  shipOrder,
} from '../src/orders/lifecycle';
import { ORDER_NUMBER_PATTERN } from '../src/orders/number';
import { listOrdersInput, placeOrderInput } from '../src/orders/schemas';
import { getOrder, listOrders, readOrder } from '../src/orders/service';
import { aCategory, appError, aProduct, aUser } from './fixtures';
import { aShippingMethod, stockOf } from './fixtures/selling';

let test: TestDatabase;
let standard: number;
let admin: { id: number; is_staff: boolean };
beforeAll(async () => {
  test = await createTestDatabase();
  standard = await aShippingMethod(test.db, { name: 'Standard', price: '4.99' });
  admin = await aUser(test.db, { is_staff: true });
});
afterAll(() => test.drop());

const SHOP = { currency: 'EUR' };
const ADMIN = () => ({ kind: 'admin' as const, userId: admin.id });

const checkoutInput = (fields: Record<string, unknown> = {}) =>
  placeOrderInput.parse({
    email: ' Shopper@Example.com ',
    shipping_address: {
      full_name: 'Ada Lovelace',
      line1: '1 Analytical Way',
      city: 'London',
      postal_code: 'N1 9GU',
      country: 'United Kingdom',
    },
    shipping_method_id: standard,
    ...fields,
  });

/** A cart with the given lines: a guest's (its token) or a user's. */
async function cartWith(
  lines: Array<[productId: number, quantity: number]>,
  userId?: number,
): Promise<CartOwner> {
  let owner: CartOwner = userId === undefined ? { token: null } : { userId };
  for (const [product_id, quantity] of lines) {
    const cart = await addCartItem(
      test.db,
      owner,
      addCartItemInput.parse({ product_id, quantity }),
      SHOP,
    );
    if (cart.cart_token) owner = { token: cart.cart_token };
  }
  return owner;
}

const place = (owner: CartOwner, fields?: Record<string, unknown>) =>
  placeOrder(test.db, owner, checkoutInput(fields), SHOP);

async function orderCount() {
  const [row] = await test.db.select({ n: count() }).from(orders);
  return row!.n;
}

describe('placing an order', () => {
  it('answers with the order exactly as it reads back from the database', async () => {
    const lamp = await aProduct(test.db, { name: 'Lamp', price: '120.50', stock: 4 });
    const bulb = await aProduct(test.db, { name: 'Bulb', price: '3.33', stock: 40 });
    const shopper = await aUser(test.db);
    const owner = await cartWith(
      [
        [bulb, 7],
        [lamp, 1],
      ],
      shopper.id,
    );
    const withEverything = {
      shipping_address: {
        full_name: 'Grace Hopper',
        line1: '2 Compiler Street',
        line2: 'Flat 3',
        city: 'Arlington',
        postal_code: '22201',
        country: 'United States',
        phone: '+1 555 0100',
      },
    };
    for (const placed of [
      await place(owner, withEverything),
      await place(await cartWith([[lamp, 1]])),
    ]) {
      const { order_token: _token, payment_instructions: _instructions, ...answer } = placed;
      expect(answer).toEqual(await readOrder(test.db, placed.id));
    }
  });

  it('turns the cart into an order: lines and totals snapshotted, stock taken, cart emptied', async () => {
    const mug = await aProduct(test.db, { name: 'Mug', price: '19.99', stock: 5 });
    const pen = await aProduct(test.db, { name: 'Pen', price: '0.10', stock: 50 });
    const owner = await cartWith([
      [mug, 2],
      [pen, 3],
    ]);

    const order = await place(owner);
    expect(order).toMatchObject({
      number: expect.stringMatching(ORDER_NUMBER_PATTERN),
      status: 'pending_payment',
      email: 'shopper@example.com',
      items: [
        { product_id: mug, name: 'Mug', unit_price: '19.99', quantity: 2, line_total: '39.98' },
        { product_id: pen, name: 'Pen', unit_price: '0.10', quantity: 3, line_total: '0.30' },
      ],
      subtotal: '40.28',
      shipping_total: '4.99',
      total: '45.27',
      currency: 'EUR',
      shipping_address: {
        full_name: 'Ada Lovelace',
        line1: '1 Analytical Way',
        line2: null,
        city: 'London',
        postal_code: 'N1 9GU',
        country: 'United Kingdom',
        phone: null,
      },
      shipping_method: { id: standard, name: 'Standard', price: '4.99' },
      payment_provider: 'manual',
      tracking_number: null,
      history: [{ from_status: null, to_status: 'pending_payment', actor: 'customer', note: null }],
    });
    expect(order.payment_instructions).toContain(order.number);
    expect(await stockOf(test.db, mug)).toBe(3);
    expect(await stockOf(test.db, pen)).toBe(47);
    expect((await getCart(test.db, owner, SHOP)).items).toEqual([]);

    // Only the token's hash is stored; the token reads the order, once given.
    const [row] = await test.db.select().from(orders).where(eq(orders.id, order.id));
    expect(row!.order_token_hash).toBe(hashToken(order.order_token));
    expect(row!.order_token_hash).not.toContain(order.order_token);

    // Later edits of the product and the method change nothing in the order.
    await test.db
      .update(products)
      .set({ name: 'Big Mug', price: '25.00' })
      .where(eq(products.id, mug));
    await test.db
      .update(shippingMethods)
      .set({ price: '9.99' })
      .where(eq(shippingMethods.id, standard));
    const read = await getOrder(test.db, order.id, { viewer: null, orderToken: order.order_token });
    expect(read.items[0]).toMatchObject({ name: 'Mug', unit_price: '19.99' });
    expect(read.shipping_method.price).toBe('4.99');
    await test.db
      .update(shippingMethods)
      .set({ price: '4.99' })
      .where(eq(shippingMethods.id, standard));
  });

  it('belongs to the signed-in user, who reads it without a token; others get a 404', async () => {
    const [owner, stranger] = [await aUser(test.db), await aUser(test.db)];
    const order = await place(await cartWith([[await aProduct(test.db), 1]], owner.id));
    expect((await getOrder(test.db, order.id, { viewer: owner })).id).toBe(order.id);
    expect((await getOrder(test.db, order.id, { viewer: admin })).id).toBe(order.id);
    for (const access of [
      { viewer: stranger },
      { viewer: null },
      { viewer: null, orderToken: 'guessed' },
      { viewer: stranger, orderToken: hashToken(order.order_token) },
    ]) {
      expect(await appError(getOrder(test.db, order.id, access))).toMatchObject({
        code: 'NOT_FOUND',
      });
    }
    expect(await appError(getOrder(test.db, 999_999, { viewer: admin }))).toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('refuses an empty cart, and a missing or retired shipping method', async () => {
    expect(await appError(place({ token: null }))).toEqual({
      status: 'CONFLICT',
      code: 'CART_EMPTY',
      fields: [null],
    });
    expect(await appError(place(await cartWith([])))).toMatchObject({ code: 'CART_EMPTY' });

    const retired = await aShippingMethod(test.db, { name: 'Old', is_active: false });
    const productId = await aProduct(test.db, { stock: 3 });
    const owner = await cartWith([[productId, 1]]);
    for (const shipping_method_id of [retired, 999_999]) {
      expect(await appError(place(owner, { shipping_method_id }))).toEqual({
        status: 'BAD_REQUEST',
        code: 'SHIPPING_METHOD_NOT_FOUND',
        fields: ['shipping_method_id'],
      });
    }
    expect(await stockOf(test.db, productId)).toBe(3);
    expect((await getCart(test.db, owner, SHOP)).item_count).toBe(1);
  });

  it('names the line that cannot be had, and leaves stock, cart and orders as they were', async () => {
    const plenty = await aProduct(test.db, { stock: 20 });
    const scarce = await aProduct(test.db, { stock: 3 });
    const owner = await cartWith([
      [plenty, 2],
      [scarce, 3],
    ]);
    await test.db.update(products).set({ stock_quantity: 2 }).where(eq(products.id, scarce));
    const before = await orderCount();

    expect(await appError(place(owner))).toEqual({
      status: 'CONFLICT',
      code: 'OUT_OF_STOCK',
      fields: ['items.1.quantity'],
    });
    expect(await stockOf(test.db, plenty)).toBe(20);
    expect(await stockOf(test.db, scarce)).toBe(2);
    expect(await orderCount()).toBe(before);
    expect((await getCart(test.db, owner, SHOP)).items.map((i) => i.quantity)).toEqual([2, 3]);

    const laterHidden = await aCategory(test.db);
    const hidden = await aProduct(test.db, { category_id: laterHidden });
    const second = await cartWith([
      [hidden, 1],
      [plenty, 1],
    ]);
    await test.db.update(products).set({ is_active: false }).where(eq(products.id, plenty));
    expect(await appError(place(second))).toEqual({
      status: 'CONFLICT',
      code: 'PRODUCT_UNAVAILABLE',
      fields: ['items.1.quantity'],
    });
    await test.db.update(products).set({ is_active: true }).where(eq(products.id, plenty));
    await test.db
      .update(categories)
      .set({ is_active: false })
      .where(eq(categories.id, laterHidden));
    expect(await appError(place(second))).toMatchObject({ fields: ['items.0.quantity'] });
    expect(await stockOf(test.db, hidden)).toBe(10);
    expect(await orderCount()).toBe(before);
  });

  it('keeps the order readable when its product is deleted', async () => {
    const productId = await aProduct(test.db, { name: 'Gone soon' });
    const order = await place(await cartWith([[productId, 2]]));
    await test.db.delete(products).where(eq(products.id, productId));
    const read = await getOrder(test.db, order.id, { viewer: admin });
    expect(read.items).toEqual([
      {
        product_id: null,
        name: 'Gone soon',
        unit_price: '10.00',
        quantity: 2,
        line_total: '20.00',
      },
    ]);
    // Cancelling has no stock to put back for it, and still works.
    expect((await cancelOrder(test.db, order.id, { viewer: admin }, {})).status).toBe('cancelled');
  });
  it('keeps the shipping method as ordered when the method is deleted', async () => {
    const courier = await aShippingMethod(test.db, { name: 'Courier', price: '7.50' });
    const order = await place(await cartWith([[await aProduct(test.db), 1]]), {
      shipping_method_id: courier,
    });
    expect(order).toMatchObject({ shipping_total: '7.50', total: '17.50' });
    await test.db.delete(shippingMethods).where(eq(shippingMethods.id, courier));
    const read = await getOrder(test.db, order.id, { viewer: admin });
    expect(read.shipping_method).toEqual({ id: null, name: 'Courier', price: '7.50' });
    expect(read.total).toBe('17.50');
  });
});

describe('no oversell under concurrency', () => {
  it('50 checkouts for 10 units: exactly 10 orders, 40 OUT_OF_STOCK, stock 0, counters exact', async () => {
    const category = await aCategory(test.db);
    const hot = await aProduct(test.db, { category_id: category, stock: 50 });
    const owners = await Promise.all(Array.from({ length: 50 }, () => cartWith([[hot, 1]])));
    await test.db.update(products).set({ stock_quantity: 10 }).where(eq(products.id, hot));

    const results = await Promise.allSettled(owners.map((owner) => place(owner)));
    const placed = results.filter((r) => r.status === 'fulfilled');
    const refused = await Promise.all(
      results
        .filter((r): r is PromiseRejectedResult => r.status === 'rejected')
        .map((r) => appError(Promise.reject(r.reason))),
    );
    expect(placed).toHaveLength(10);
    expect(refused).toHaveLength(40);
    expect(new Set(refused.map((e) => `${e.code} ${e.fields.join()}`))).toEqual(
      new Set(['OUT_OF_STOCK items.0.quantity']),
    );

    // What the database holds.
    expect(await stockOf(test.db, hot)).toBe(0);
    const sold = await test.db
      .select({ quantity: orderItems.quantity })
      .from(orderItems)
      .where(eq(orderItems.product_id, hot));
    expect(sold).toEqual(Array.from({ length: 10 }, () => ({ quantity: 1 })));
    const left = await Promise.all(owners.map((owner) => getCart(test.db, owner, SHOP)));
    expect(left.filter((cart) => cart.item_count === 0)).toHaveLength(10);
    expect(left.filter((cart) => cart.item_count === 1)).toHaveLength(40);

    // The last sale moved the product to the out-of-stock bucket, and nothing drifted.
    const buckets = await test.db
      .select({ in_stock: productCounts.in_stock, n: productCounts.n })
      .from(productCounts)
      .where(eq(productCounts.category_id, category));
    expect(buckets.filter((b) => b.n > 0)).toEqual([{ in_stock: false, n: 1 }]);
    expect(await productCountDrift(test.pool)).toEqual([]);
  });

  it('a multi-line cart is all or nothing: 20 checkouts of two lines, one with 5 units', async () => {
    const plenty = await aProduct(test.db, { stock: 100 });
    const scarce = await aProduct(test.db, { stock: 20 });
    const owners = await Promise.all(
      Array.from({ length: 20 }, () =>
        cartWith([
          [plenty, 2],
          [scarce, 1],
        ]),
      ),
    );
    await test.db.update(products).set({ stock_quantity: 5 }).where(eq(products.id, scarce));
    const before = await orderCount();

    const results = await Promise.allSettled(owners.map((owner) => place(owner)));
    const placed = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    expect(placed).toHaveLength(5);
    for (const r of results) {
      if (r.status === 'rejected')
        expect(await appError(Promise.reject(r.reason))).toMatchObject({
          code: 'OUT_OF_STOCK',
          fields: ['items.1.quantity'],
        });
    }
    // Only the placed orders took stock of the plentiful line: no partial order anywhere.
    expect(await stockOf(test.db, scarce)).toBe(0);
    expect(await stockOf(test.db, plenty)).toBe(100 - 5 * 2);
    expect(await orderCount()).toBe(before + 5);
    const [lines] = await test.db
      .select({ n: count() })
      .from(orderItems)
      .where(
        inArray(
          orderItems.order_id,
          placed.map((order) => order.id),
        ),
      );
    expect(lines!.n).toBe(10);
    const carts = await Promise.all(owners.map((owner) => getCart(test.db, owner, SHOP)));
    expect(carts.filter((cart) => cart.item_count === 3)).toHaveLength(15);
    expect(await productCountDrift(test.pool)).toEqual([]);
  });

  it('a double-submitted checkout of one cart places one order', async () => {
    const productId = await aProduct(test.db, { stock: 10 });
    const owner = await cartWith([[productId, 2]]);
    const results = await Promise.allSettled([place(owner), place(owner), place(owner)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) {
      if (r.status === 'rejected')
        expect(await appError(Promise.reject(r.reason))).toMatchObject({ code: 'CART_EMPTY' });
    }
    expect(await stockOf(test.db, productId)).toBe(8);
  });
});

describe('the order lifecycle', () => {
  async function anOrder(lines?: Array<[number, number]>, userId?: number) {
    const productId = await aProduct(test.db, { stock: 10 });
    const order = await place(await cartWith(lines ?? [[productId, 3]], userId));
    return { order, productId };
  }

  it('goes pending_payment → paid → shipped → delivered, each step in the history', async () => {
    const { order } = await anOrder();
    await markOrderPaid(test.db, order.id, ADMIN(), { note: 'Transfer received' });
    const shipped = await shipOrder(test.db, order.id, ADMIN(), { tracking_number: 'TRACK-1' });
    expect(shipped).toMatchObject({ status: 'shipped', tracking_number: 'TRACK-1' });
    const delivered = await deliverOrder(test.db, order.id, { kind: 'system' }, {});
    expect(delivered.history.map((h) => [h.from_status, h.to_status, h.actor, h.note])).toEqual([
      [null, 'pending_payment', 'customer', null],
      ['pending_payment', 'paid', `admin:${admin.id}`, 'Transfer received'],
      ['paid', 'shipped', `admin:${admin.id}`, null],
      ['shipped', 'delivered', 'system', null],
    ]);
    const [paidRow] = await test.db
      .select({ actor_user_id: orderStatusHistory.actor_user_id })
      .from(orderStatusHistory)
      .where(
        and(eq(orderStatusHistory.order_id, order.id), eq(orderStatusHistory.to_status, 'paid')),
      );
    expect(paidRow!.actor_user_id).toBe(admin.id);
  });

  it('refuses illegal transitions with INVALID_TRANSITION and changes nothing', async () => {
    const { order } = await anOrder();
    const illegal = [
      () => shipOrder(test.db, order.id, ADMIN(), {}),
      () => deliverOrder(test.db, order.id, ADMIN(), {}),
      () => refundOrder(test.db, order.id, ADMIN(), {}),
    ];
    for (const step of illegal) {
      expect(await appError(step())).toEqual({
        status: 'CONFLICT',
        code: 'INVALID_TRANSITION',
        fields: [null],
      });
    }
    await markOrderPaid(test.db, order.id, ADMIN(), {});
    expect(await appError(markOrderPaid(test.db, order.id, ADMIN(), {}))).toMatchObject({
      code: 'INVALID_TRANSITION',
    });
    await shipOrder(test.db, order.id, ADMIN(), {});
    // An admin may cancel until the order ships, not after.
    expect(await appError(cancelOrder(test.db, order.id, { viewer: admin }, {}))).toMatchObject({
      code: 'INVALID_TRANSITION',
    });
    const read = await getOrder(test.db, order.id, { viewer: admin });
    expect(read.status).toBe('shipped');
    expect(read.history).toHaveLength(3);
    expect(await appError(shipOrder(test.db, 999_999, ADMIN(), {}))).toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('lets the customer cancel only while unpaid, with the token or signed in, and restocks', async () => {
    const user = await aUser(test.db);
    const { order, productId } = await anOrder(undefined, user.id);
    expect(await stockOf(test.db, productId)).toBe(7);
    const stranger = await aUser(test.db);
    expect(await appError(cancelOrder(test.db, order.id, { viewer: stranger }, {}))).toMatchObject({
      code: 'NOT_FOUND',
    });

    const cancelled = await cancelOrder(
      test.db,
      order.id,
      { viewer: user },
      { note: 'Changed my mind' },
    );
    expect(cancelled.history.at(-1)).toMatchObject({
      from_status: 'pending_payment',
      to_status: 'cancelled',
      actor: 'customer',
      note: 'Changed my mind',
    });
    expect(await stockOf(test.db, productId)).toBe(10);

    const guest = await anOrder();
    await markOrderPaid(test.db, guest.order.id, ADMIN(), {});
    const asGuest = { viewer: null, orderToken: guest.order.order_token };
    expect(await appError(cancelOrder(test.db, guest.order.id, asGuest, {}))).toMatchObject({
      code: 'INVALID_TRANSITION',
    });
    // The admin still may, since it has not shipped.
    await cancelOrder(test.db, guest.order.id, { viewer: admin }, {});
    expect(await stockOf(test.db, guest.productId)).toBe(10);
  });

  it('refunds from paid, shipped or delivered, putting the stock back', async () => {
    for (const upTo of ['paid', 'shipped', 'delivered'] as const) {
      const { order, productId } = await anOrder();
      await markOrderPaid(test.db, order.id, ADMIN(), {});
      if (upTo !== 'paid') await shipOrder(test.db, order.id, ADMIN(), {});
      if (upTo === 'delivered') await deliverOrder(test.db, order.id, ADMIN(), {});
      const refunded = await refundOrder(test.db, order.id, ADMIN(), { note: 'Returned' });
      expect(refunded.history.at(-1)).toMatchObject({ from_status: upTo, to_status: 'refunded' });
      expect(await stockOf(test.db, productId)).toBe(10);
      expect(await appError(refundOrder(test.db, order.id, ADMIN(), {}))).toMatchObject({
        code: 'INVALID_TRANSITION',
      });
    }
  });

  it('restocks exactly once when cancels and refunds race', async () => {
    const category = await aCategory(test.db);
    const productId = await aProduct(test.db, { category_id: category, stock: 4 });
    const other = await aProduct(test.db, { category_id: category, stock: 10 });
    const placed = await place(
      await cartWith([
        [productId, 4],
        [other, 1],
      ]),
    );
    // The last units sold: the product sits in the out-of-stock bucket until the cancel.
    expect(await stockOf(test.db, productId)).toBe(0);
    await markOrderPaid(test.db, placed.id, ADMIN(), {});

    const racers = [
      ...Array.from({ length: 5 }, () => cancelOrder(test.db, placed.id, { viewer: admin }, {})),
      ...Array.from({ length: 5 }, () => refundOrder(test.db, placed.id, ADMIN(), {})),
    ];
    const results = await Promise.allSettled(racers);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) {
      if (r.status === 'rejected')
        expect(await appError(Promise.reject(r.reason))).toMatchObject({
          code: 'INVALID_TRANSITION',
        });
    }
    expect(await stockOf(test.db, productId)).toBe(4);
    expect(await stockOf(test.db, other)).toBe(10);
    const history = await test.db
      .select({ to: orderStatusHistory.to_status })
      .from(orderStatusHistory)
      .where(eq(orderStatusHistory.order_id, placed.id));
    expect(history.map((h) => h.to)).toHaveLength(3);
    expect(await productCountDrift(test.pool)).toEqual([]);
  });
});

describe('listing orders', () => {
  it("gives a customer their own, newest first; an admin everyone's, with filters", async () => {
    const [alice, bob] = [await aUser(test.db), await aUser(test.db)];
    const productId = await aProduct(test.db, { stock: 100 });
    const placedByAlice = [];
    for (let i = 0; i < 3; i++)
      placedByAlice.push(
        await place(await cartWith([[productId, i + 1]], alice.id), { email: alice.email }),
      );
    const byBob = await place(await cartWith([[productId, 1]], bob.id), { email: bob.email });
    await markOrderPaid(test.db, placedByAlice[0]!.id, ADMIN(), {});
    const list = (viewer: { id: number; is_staff: boolean }, query: Record<string, unknown> = {}) =>
      listOrders(test.db, viewer, listOrdersInput.parse(query));

    const own = await list(alice);
    expect(own.items.map((o) => o.id)).toEqual(placedByAlice.map((o) => o.id).reverse());
    expect(own.items.map((o) => o.item_count)).toEqual([3, 2, 1]);
    expect(own.pagination).toEqual({ page: 1, per_page: 20, total: 3, total_pages: 1 });
    expect((await list(alice, { per_page: 2, page: 2 })).items.map((o) => o.id)).toEqual([
      placedByAlice[0]!.id,
    ]);

    expect((await list(admin, { email: bob.email.toUpperCase() })).items.map((o) => o.id)).toEqual([
      byBob.id,
    ]);
    expect((await list(admin, { number: byBob.number.toLowerCase() })).items).toHaveLength(1);
    const paid = await list(admin, { status: 'paid', email: alice.email });
    expect(paid.items.map((o) => o.id)).toEqual([placedByAlice[0]!.id]);
    // A customer's filters only narrow their own orders.
    expect((await list(alice, { email: bob.email })).items).toEqual([]);

    const today = new Date().toISOString().slice(0, 10);
    expect((await list(admin, { created_from: today, created_to: today })).pagination.total).toBe(
      await orderCount(),
    );
    expect((await list(admin, { created_to: '2000-01-01' })).items).toEqual([]);
    expect(
      (await list(admin, { created_from: new Date(Date.now() + 60_000).toISOString() })).items,
    ).toEqual([]);
  });

  it('refuses unknown statuses and malformed dates', () => {
    for (const query of [{ status: 'lost' }, { created_from: 'yesterday' }, { per_page: 101 }]) {
      expect(listOrdersInput.safeParse(query).success, JSON.stringify(query)).toBe(false);
    }
  });
});

describe('the database guards the statuses too', () => {
  it('refuses a status outside the list and an empty cart line', async () => {
    const productId = await aProduct(test.db);
    const order = await place(await cartWith([[productId, 1]]));
    await expect(
      test.pool.query("UPDATE orders SET status = 'lost' WHERE id = ?", [order.id]),
    ).rejects.toThrow(/orders_status_check/);
    await cartWith([[productId, 1]]);
    await expect(
      test.pool.query('UPDATE cart_items SET quantity = 0 WHERE product_id = ?', [productId]),
    ).rejects.toThrow(/cart_items_quantity_positive/);
  });
});
