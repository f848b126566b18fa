import { products } from '@buybuy/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestApp, type TestApp, trpcFailure } from './harness';

/** Carts, checkout and orders through the real server, on both faces, raced where it matters. */
let t: TestApp;
let admin: string;
let categoryId: number;
let shippingId: number;

const address = {
  full_name: 'Rui Costa',
  line1: 'Rua Nova 5',
  city: 'Porto',
  postal_code: '4000-001',
  country: 'PT',
};

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.tokenFor('selling-admin', { admin: true });
  categoryId = (
    await t.rest('POST', '/v1/categories', { token: admin, body: { name: 'Shop floor' } })
  ).json().data.id;
  shippingId = (
    await t.rest('POST', '/v1/shipping-methods', {
      token: admin,
      body: { name: 'Courier', price: '4.99' },
    })
  ).json().data.id;
});
afterAll(() => t.close());

async function aProduct(stock: number, price = '10.00') {
  const created = await t.rest('POST', '/v1/products', {
    token: admin,
    body: { name: `Item ${stock}-${price}`, price, category_id: categoryId, stock_quantity: stock },
  });
  return created.json().data.id as number;
}

const stockOf = async (id: number) =>
  (await t.db.db.select().from(products).where(eq(products.id, id)))[0]!.stock_quantity;

/** A guest's cart holding `quantity` of a product: its token. */
async function guestCart(productId: number, quantity = 1): Promise<string> {
  const added = await t.rest('POST', '/v1/cart/items', {
    body: { product_id: productId, quantity },
  });
  expect(added.statusCode).toBe(200);
  return added.json().data.cart_token;
}

const checkout = (cartToken: string, headers: Record<string, string> = {}) =>
  t.rest('POST', '/v1/orders', {
    headers: { 'x-cart-token': cartToken, ...headers },
    body: { email: 'guest@example.com', shipping_address: address, shipping_method_id: shippingId },
  });

describe('guest carts', () => {
  it('keeps two guests apart and never lets a cache share a cart', async () => {
    const lamp = await aProduct(5, '12.50');
    const chair = await aProduct(5, '40.00');
    const first = await guestCart(lamp, 2);
    const second = await guestCart(chair, 1);
    expect(first).not.toBe(second);
    // The token is in the header too, on both faces, only when a cart was created.
    const created = await t.rest('POST', '/v1/cart/items', {
      body: { product_id: lamp, quantity: 1 },
    });
    expect(created.headers['x-cart-token']).toBe(created.json().data.cart_token);
    const added = await t.rest('POST', '/v1/cart/items', {
      headers: { 'x-cart-token': first },
      body: { product_id: chair, quantity: 1 },
    });
    expect(added.headers['x-cart-token']).toBeUndefined();
    await t.rest('DELETE', `/v1/cart/items/${chair}`, { headers: { 'x-cart-token': first } });
    const viaTrpc = await fetch(`${t.url}/trpc/cart.addItem`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ json: { product_id: lamp, quantity: 1 } }),
    });
    const trpcToken = viaTrpc.headers.get('x-cart-token');
    expect(trpcToken).toMatch(/^[\w-]{20,}$/);
    expect(
      ((await viaTrpc.json()) as { result: { data: { json: { cart_token: string } } } }).result.data
        .json.cart_token,
    ).toBe(trpcToken);
    for (let round = 0; round < 2; round++) {
      const mine = await t.rest('GET', '/v1/cart', { headers: { 'x-cart-token': first } });
      const theirs = await t.rest('GET', '/v1/cart', { headers: { 'x-cart-token': second } });
      expect(mine.json().data).toMatchObject({ subtotal: '25.00', item_count: 2 });
      expect(theirs.json().data).toMatchObject({ subtotal: '40.00', item_count: 1 });
      expect(mine.headers['cache-control']).toBe('private, no-store');
      expect(mine.headers.etag).toBeUndefined();
    }
    const anonymous = await t.rest('GET', '/v1/cart');
    expect(anonymous.json().data).toMatchObject({ items: [], subtotal: '0.00', item_count: 0 });
  });

  it('refuses more than the stock as a field error, and an unknown product', async () => {
    const few = await aProduct(2);
    const tooMany = await t.rest('POST', '/v1/cart/items', {
      body: { product_id: few, quantity: 3 },
    });
    expect(tooMany.statusCode).toBe(409);
    expect(tooMany.json().errors[0]).toMatchObject({ field: 'quantity', code: 'OUT_OF_STOCK' });
    const unknown = await t.rest('POST', '/v1/cart/items', {
      body: { product_id: 999_999, quantity: 1 },
    });
    expect(unknown.statusCode).toBe(409);
    expect(unknown.json().errors[0]).toMatchObject({
      field: 'product_id',
      code: 'PRODUCT_UNAVAILABLE',
    });
  });
});

describe('checkout under concurrency', () => {
  it('sells exactly the stock: 50 concurrent checkouts for 10 units give 10 orders', async () => {
    const scarce = await aProduct(10);
    const carts = [];
    for (let i = 0; i < 50; i++) carts.push(await guestCart(scarce));
    const answers = await Promise.all(carts.map((token) => checkout(token)));
    const statuses = answers.map((answer) => answer.statusCode);
    expect(statuses.filter((status) => status === 201)).toHaveLength(10);
    expect(statuses.filter((status) => status === 409)).toHaveLength(40);
    for (const refused of answers.filter((answer) => answer.statusCode === 409)) {
      expect(refused.json().errors[0]).toMatchObject({
        field: 'items.0.quantity',
        code: 'OUT_OF_STOCK',
      });
    }
    expect(await stockOf(scarce)).toBe(0);
    const numbers = new Set(
      answers.filter((a) => a.statusCode === 201).map((a) => a.json().data.number),
    );
    expect(numbers.size).toBe(10);
  });

  it('places one order for a retried checkout with the same Idempotency-Key', async () => {
    const item = await aProduct(5);
    const token = await guestCart(item, 2);
    const first = await checkout(token, { 'idempotency-key': 'checkout-retry-1' });
    const retried = await checkout(token, { 'idempotency-key': 'checkout-retry-1' });
    expect(first.statusCode).toBe(201);
    expect(retried.statusCode).toBe(201);
    expect(retried.json().data.id).toBe(first.json().data.id);
    expect(await stockOf(item)).toBe(3);
    // Without the key, the emptied cart cannot be ordered again.
    const again = await checkout(token);
    expect(again.statusCode).toBe(409);
    expect(again.json().errors[0].code).toBe('CART_EMPTY');
  });
});

describe('an order from checkout to delivery', () => {
  it('merges the guest cart at sign-in, shows the order to its owner and moves only along the lifecycle', async () => {
    const item = await aProduct(4, '7.25');
    const guestToken = await guestCart(item, 2);
    const shopper = await t.tokenFor('selling-shopper');
    const customer = t.trpc(shopper);

    // Signed in and still holding the guest token: that cart becomes theirs.
    const merged = await t.rest('GET', '/v1/cart', {
      token: shopper,
      headers: { 'x-cart-token': guestToken },
    });
    expect(merged.json().data).toMatchObject({ item_count: 2, subtotal: '14.50' });

    const placed = await customer.orders.place.mutate({
      email: 'shopper@example.com',
      shipping_address: address,
      shipping_method_id: shippingId,
    });
    expect(placed).toMatchObject({
      status: 'pending_payment',
      subtotal: '14.50',
      shipping_total: '4.99',
      total: '19.49',
      currency: 'USD',
      actions: ['cancel'],
    });
    expect(await stockOf(item)).toBe(2);

    const history = await customer.orders.list.query({});
    expect(history.items.map((order) => order.id)).toContain(placed.id);

    const staff = t.trpc(admin);
    const early = await trpcFailure(staff.orders.ship.mutate({ id: placed.id }));
    expect(early).toMatchObject({ code: 'INVALID_TRANSITION', httpStatus: 409 });
    const paid = await staff.orders.markPaid.mutate({ id: placed.id, note: 'Transfer received' });
    expect(paid.actions).toEqual(['ship', 'cancel', 'refund']);
    expect((await customer.orders.byId.query({ id: placed.id })).actions).toEqual([]);
    await staff.orders.ship.mutate({ id: placed.id, tracking_number: 'CTT-123' });

    const seen = await customer.orders.byId.query({ id: placed.id });
    expect(seen.status).toBe('shipped');
    expect(seen.tracking_number).toBe('CTT-123');
    expect(seen.history.map((entry) => [entry.from_status, entry.to_status])).toEqual([
      [null, 'pending_payment'],
      ['pending_payment', 'paid'],
      ['paid', 'shipped'],
    ]);
    const tooLate = await trpcFailure(customer.orders.cancel.mutate({ id: placed.id }));
    expect(tooLate.httpStatus).toBeGreaterThanOrEqual(400);
  });

  it('restocks once when two cancels race', async () => {
    const item = await aProduct(3);
    const placed = (await checkout(await guestCart(item, 2))).json().data;
    expect(await stockOf(item)).toBe(1);
    const cancel = () =>
      t.rest('POST', `/v1/orders/${placed.id}/cancel`, {
        headers: { 'x-order-token': placed.order_token },
        body: {},
      });
    const answers = await Promise.all([cancel(), cancel(), cancel()]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 409, 409]);
    expect(await stockOf(item)).toBe(3);
  });

  it('hides an order from anyone without its token', async () => {
    const placed = (await checkout(await guestCart(await aProduct(1)))).json().data;
    const stranger = await t.rest('GET', `/v1/orders/${placed.id}`, {
      headers: { 'x-order-token': 'not-the-token' },
    });
    expect(stranger.statusCode).toBe(404);
    const owner = await t.rest('GET', `/v1/orders/${placed.id}`, {
      headers: { 'x-order-token': placed.order_token },
    });
    expect(owner.statusCode).toBe(200);
    expect(owner.headers['cache-control']).toBe('private, no-store');
  });
});

describe('a checkout with a bad address', () => {
  it('names each bad field in words a shopper can act on, and places nothing', async () => {
    const token = await guestCart(await aProduct(3));
    const res = await t.rest('POST', '/v1/orders', {
      headers: { 'x-cart-token': token },
      body: {
        email: 'guest@example.com',
        shipping_method_id: shippingId,
        shipping_address: {
          ...address,
          full_name: '   ',
          city: 'x'.repeat(121),
          country: undefined,
        },
      },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([
      { field: 'shipping_address.full_name', code: 'VALIDATION', message: 'Required' },
      { field: 'shipping_address.city', code: 'VALIDATION', message: 'At most 120 characters' },
      { field: 'shipping_address.country', code: 'VALIDATION', message: 'Required' },
    ]);
    const cart = await t.rest('GET', '/v1/cart', { headers: { 'x-cart-token': token } });
    expect(cart.json().data.items).toHaveLength(1);
  });
});
