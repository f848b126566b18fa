import type { RouterInputs } from '@buybuy/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestApp, type TestApp } from '../../../apps/server/test/harness';
import {
  createBuyBuyClient,
  createIdempotencyKey,
  createMemoryTokenStore,
  errorCode,
  errorStatus,
  withIdempotencyKey,
  withOrderToken,
} from '../src';
import { newAccount, recordingFetch } from './helpers';

let t: TestApp;
let productId: number;
let shippingMethodId: number;

beforeAll(async () => {
  t = await startTestApp();
  const admin = t.trpc(await t.tokenFor('selling-admin', { admin: true }));
  const category = await admin.categories.create.mutate({ name: 'Mugs' });
  ({ id: productId } = await admin.products.create.mutate({
    name: 'Blue mug',
    price: '12.50',
    category_id: category.id,
    stock_quantity: 100,
  }));
  ({ id: shippingMethodId } = await admin.shippingMethods.create.mutate({
    name: 'Standard',
    price: '4.99',
  }));
});
afterAll(() => t.close());

const checkout = (): RouterInputs['orders']['place'] => ({
  email: 'guest@example.com',
  shipping_address: {
    full_name: 'Gus Guest',
    line1: '1 Main Street',
    city: 'Porto',
    postal_code: '4000-001',
    country: 'Portugal',
  },
  shipping_method_id: shippingMethodId,
});

/** A guest client with one mug in its cart, and what it sent. */
async function guestWithCart(options: { batch?: boolean } = {}) {
  const store = createMemoryTokenStore();
  const recorder = recordingFetch();
  const client = createBuyBuyClient({
    baseUrl: t.url,
    fetch: recorder.fetch,
    ...options,
    ...store,
  });
  await client.cart.addItem.mutate({ product_id: productId, quantity: 1 });
  return { store, recorder, client };
}

const cartTokenSent = (recorder: ReturnType<typeof recordingFetch>, path: string) =>
  recorder.requests.filter((r) => r.path === path).map((r) => r.headers.get('x-cart-token'));

describe("a guest's cart token", () => {
  it('is stored when a cart is created, then sent on cart calls only', async () => {
    const { store, recorder, client } = await guestWithCart();
    const token = store.getCartToken();
    expect(token).toEqual(expect.any(String));

    const again = await client.cart.addItem.mutate({ product_id: productId, quantity: 2 });
    expect(again.cart_token).toBeUndefined();
    expect(store.getCartToken()).toBe(token);
    expect((await client.cart.get.query({})).items).toMatchObject([
      { product_id: productId, quantity: 3 },
    ]);
    await client.products.list.query({});

    expect(cartTokenSent(recorder, 'cart.addItem')).toEqual([null, token]);
    expect(cartTokenSent(recorder, 'cart.get')).toEqual([token]);
    expect(cartTokenSent(recorder, 'products.list')).toEqual([null]);
    // Another shopper, without the token, has a cart of their own.
    expect((await createBuyBuyClient({ baseUrl: t.url }).cart.get.query({})).items).toEqual([]);
  });

  it('is forgotten once a cart call made while signed in has merged the guest cart', async () => {
    const { store, recorder, client } = await guestWithCart();
    const token = store.getCartToken();
    await client.auth.register.mutate(newAccount('cart'));
    expect(store.getCartToken()).toBe(token); // not merged yet: no cart call since

    const merged = await client.cart.get.query({});
    expect(merged.items).toMatchObject([{ product_id: productId, quantity: 1 }]);
    expect(store.getCartToken()).toBeNull();
    await client.cart.get.query({});
    expect(cartTokenSent(recorder, 'cart.get')).toEqual([token, null]);
  });

  it('is kept when the signed-in cart call fails, so the merge is tried again', async () => {
    const { store, client } = await guestWithCart();
    const token = store.getCartToken();
    await client.auth.register.mutate(newAccount('cart'));
    const error = await client.cart.updateItem
      .mutate({ product_id: productId, quantity: 1_000 })
      .catch((e: unknown) => e);
    expect(errorCode(error)).toBe('OUT_OF_STOCK');
    expect(store.getCartToken()).toBe(token);
  });
});

describe('per-call headers', () => {
  it("reads and cancels a guest's order with its order token", async () => {
    const { client } = await guestWithCart();
    const placed = await client.orders.place.mutate(checkout());
    expect(placed.order_token).toEqual(expect.any(String));

    const anonymous = await client.orders.byId.query({ id: placed.id }).catch((e: unknown) => e);
    expect(errorStatus(anonymous)).toBe(404);
    const withToken = withOrderToken(placed.order_token);
    const order = await client.orders.byId.query({ id: placed.id }, withToken);
    expect(order).toMatchObject({ number: placed.number, status: 'pending_payment' });
    const cancelled = await client.orders.cancel.mutate({ id: placed.id }, withToken);
    expect(cancelled.status).toBe('cancelled');
  });

  it('sends an Idempotency-Key on a request of its own, so a retried checkout places one order', async () => {
    for (const batch of [true, false]) {
      const { client, recorder } = await guestWithCart({ batch });
      const key = createIdempotencyKey();
      const [placed] = await Promise.all([
        client.orders.place.mutate(checkout(), withIdempotencyKey(key)),
        client.products.list.query({}),
        client.cart.get.query({}),
      ]);
      const keyed = recorder.requests.filter((r) => r.headers.has('idempotency-key'));
      expect(keyed.map((r) => [r.path, r.headers.get('idempotency-key')])).toEqual([
        ['orders.place', key],
      ]);

      // The answer was lost, say: the retry with the same key gets the same order.
      const retried = await client.orders.place.mutate(checkout(), withIdempotencyKey(key));
      expect(retried.id).toBe(placed.id);
      const unkeyed = await client.orders.place.mutate(checkout()).catch((e: unknown) => e);
      expect(errorCode(unkeyed)).toBe('CART_EMPTY');
    }
  });

  it('makes keys the server accepts, a new one each time', () => {
    const keys = new Set(Array.from({ length: 100 }, createIdempotencyKey));
    expect(keys.size).toBe(100);
    for (const key of keys) expect(key).toMatch(/^[0-9a-f]{32}$/);
  });
});
