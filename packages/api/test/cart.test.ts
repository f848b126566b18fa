import { cartItems, carts, products } from '@buybuy/db';
import { createTestDatabase, type TestDatabase } from '@buybuy/db/testing';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { addCartItemInput } from '../src/cart/schemas';
import {
  addCartItem,
  type CartOwner,
  clearCart,
  getCart,
  mergeGuestCart,
  removeCartItem,
  updateCartItem,
} from '../src/cart/service';
import { hashToken } from '../src/cart/token';
import { aCategory, appError, aProduct, aUser } from './fixtures';

let test: TestDatabase;
beforeAll(async () => {
  test = await createTestDatabase();
});
afterAll(() => test.drop());

const SHOP = { currency: 'EUR' };
const add = (owner: CartOwner, product_id: number, quantity: number) =>
  addCartItem(test.db, owner, addCartItemInput.parse({ product_id, quantity }), SHOP);

async function cartCount() {
  const [row] = await test.db.select({ n: count() }).from(carts);
  return row!.n;
}

/** A guest's cart holding the given lines; returns the guest's token. */
async function guestCart(lines: Array<[productId: number, quantity: number]>) {
  let token: string | undefined;
  for (const [productId, quantity] of lines) {
    const cart = await add({ token }, productId, quantity);
    token ??= cart.cart_token;
  }
  return token!;
}

describe('a guest cart', () => {
  it('is empty, with no token, until the first add', async () => {
    const before = await cartCount();
    expect(await getCart(test.db, { token: undefined }, SHOP)).toEqual({
      items: [],
      subtotal: '0.00',
      currency: 'EUR',
      item_count: 0,
    });
    expect(await getCart(test.db, { token: 'never-issued' }, SHOP)).not.toHaveProperty(
      'cart_token',
    );
    expect(await cartCount()).toBe(before);
  });

  it('gets an unguessable token on the first add, stored only as its hash', async () => {
    const productId = await aProduct(test.db, { name: 'Mug', price: '19.99', image: true });
    const cart = await add({ token: null }, productId, 2);

    expect(cart.cart_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(cart).toMatchObject({ subtotal: '39.98', currency: 'EUR', item_count: 2 });
    expect(cart.items).toEqual([
      {
        product_id: productId,
        name: 'Mug',
        unit_price: '19.99',
        quantity: 2,
        line_total: '39.98',
        stock_quantity: 10,
        is_available: true,
        primary_image: expect.objectContaining({
          image_url: `https://img.example/${productId}.jpg`,
          is_primary: true,
        }),
      },
    ]);
    const stored = await test.db
      .select({ token_hash: carts.token_hash })
      .from(carts)
      .where(eq(carts.token_hash, hashToken(cart.cart_token!)));
    expect(stored).toHaveLength(1);
    const [asPlainText] = await test.db
      .select({ n: count() })
      .from(carts)
      .where(eq(carts.token_hash, cart.cart_token!));
    expect(asPlainText!.n).toBe(0);

    // The token names the cart from then on, and is not handed out again.
    const again = await add({ token: cart.cart_token }, productId, 1);
    expect(again.cart_token).toBeUndefined();
    expect(again.items[0]!.quantity).toBe(3);
    expect((await getCart(test.db, { token: cart.cart_token }, SHOP)).item_count).toBe(3);
  });

  it('gets a new cart and token when its token is unknown', async () => {
    const productId = await aProduct(test.db);
    const cart = await add({ token: 'made-up-by-the-client' }, productId, 1);
    expect(cart.cart_token).toBeDefined();
    expect(cart.cart_token).not.toBe('made-up-by-the-client');
  });
});

describe('adding', () => {
  it('sums prices exactly', async () => {
    const token = await guestCart([
      [await aProduct(test.db, { price: '0.10' }), 3],
      [await aProduct(test.db, { price: '0.20' }), 1],
      [await aProduct(test.db, { price: '1234567.89' }), 7],
    ]);
    const cart = await getCart(test.db, { token }, SHOP);
    expect(cart.items.map((item) => item.line_total)).toEqual(['0.30', '0.20', '8641975.23']);
    expect(cart.subtotal).toBe('8641975.73');
    expect(cart.item_count).toBe(11);
  });

  it('refuses more than the stock, counting what the cart holds, and changes nothing', async () => {
    const productId = await aProduct(test.db, { stock: 5 });
    const token = await guestCart([[productId, 4]]);
    expect(await appError(add({ token }, productId, 2))).toEqual({
      status: 'CONFLICT',
      code: 'OUT_OF_STOCK',
      fields: ['quantity'],
    });
    expect((await getCart(test.db, { token }, SHOP)).items[0]!.quantity).toBe(4);
    expect(await appError(add({ token: null }, await aProduct(test.db, { stock: 0 }), 1))).toEqual({
      status: 'CONFLICT',
      code: 'OUT_OF_STOCK',
      fields: ['quantity'],
    });
  });

  it('refuses products the public cannot see, before making a cart', async () => {
    const hiddenParent = await aCategory(test.db, { is_active: false });
    const underHidden = await aCategory(test.db, { parent_id: hiddenParent });
    const unavailable = [
      await aProduct(test.db, { is_active: false }),
      await aProduct(test.db, { category_id: hiddenParent }),
      await aProduct(test.db, { category_id: underHidden }),
      999_999,
    ];
    const before = await cartCount();
    for (const productId of unavailable) {
      expect(await appError(add({ token: null }, productId, 1)), String(productId)).toEqual({
        status: 'CONFLICT',
        code: 'PRODUCT_UNAVAILABLE',
        fields: ['product_id'],
      });
    }
    expect(await cartCount()).toBe(before);
  });

  it('takes a positive whole quantity', () => {
    for (const quantity of [0, -1, 1.5, '2', 10_000]) {
      expect(addCartItemInput.safeParse({ product_id: 1, quantity }).success, `${quantity}`).toBe(
        false,
      );
    }
  });
});

describe('changing and removing lines', () => {
  it('sets a quantity, refuses one above stock at the line, and removes at 0', async () => {
    const [first, second] = [await aProduct(test.db), await aProduct(test.db, { stock: 3 })];
    const token = await guestCart([
      [first!, 1],
      [second!, 1],
    ]);
    const owner = { token };

    const updated = await updateCartItem(test.db, owner, second!, 3, SHOP);
    expect(updated.items.map((item) => item.quantity)).toEqual([1, 3]);
    expect(await appError(updateCartItem(test.db, owner, second!, 4, SHOP))).toEqual({
      status: 'CONFLICT',
      code: 'OUT_OF_STOCK',
      fields: ['items.1.quantity'],
    });

    const removed = await updateCartItem(test.db, owner, first!, 0, SHOP);
    expect(removed.items.map((item) => item.product_id)).toEqual([second]);
    expect(await appError(updateCartItem(test.db, owner, first!, 1, SHOP))).toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('shows a product that went away as unavailable, and refuses to change its quantity', async () => {
    const [kept, hidden, deleted] = [
      await aProduct(test.db, { price: '2.00' }),
      await aProduct(test.db, { price: '3.00' }),
      await aProduct(test.db),
    ];
    const token = await guestCart([
      [kept, 1],
      [hidden, 2],
      [deleted, 1],
    ]);
    await test.db.update(products).set({ is_active: false }).where(eq(products.id, hidden));
    await test.db.delete(products).where(eq(products.id, deleted));

    const cart = await getCart(test.db, { token }, SHOP);
    expect(cart.items.map((i) => [i.product_id, i.is_available, i.stock_quantity])).toEqual([
      [kept, true, 10],
      [hidden, false, 0],
    ]);
    expect(cart.subtotal).toBe('8.00');
    expect(await appError(updateCartItem(test.db, { token }, hidden, 1, SHOP))).toEqual({
      status: 'CONFLICT',
      code: 'PRODUCT_UNAVAILABLE',
      fields: ['items.1.quantity'],
    });
  });

  it('removes one line, or all of them, and keeps the cart and its token', async () => {
    const [a, b] = [await aProduct(test.db), await aProduct(test.db)];
    const token = await guestCart([
      [a, 1],
      [b, 1],
    ]);
    const afterRemove = await removeCartItem(test.db, { token }, a, SHOP);
    expect(afterRemove.items.map((item) => item.product_id)).toEqual([b]);
    // Removing what is not there is not an error.
    expect((await removeCartItem(test.db, { token }, a, SHOP)).items).toHaveLength(1);

    expect(await clearCart(test.db, { token }, SHOP)).toMatchObject({ items: [], item_count: 0 });
    const again = await add({ token }, a, 1);
    expect(again.cart_token).toBeUndefined();
    expect(again.items).toHaveLength(1);
  });
});

describe('a signed-in user', () => {
  it('has one cart, however many adds race to create it', async () => {
    const user = await aUser(test.db);
    const productIds = await Promise.all(Array.from({ length: 5 }, () => aProduct(test.db)));
    await Promise.all(productIds.map((id) => add({ userId: user.id }, id, 1)));
    const rows = await test.db.select().from(carts).where(eq(carts.user_id, user.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.token_hash).toBeNull();
    expect((await getCart(test.db, { userId: user.id }, SHOP)).item_count).toBe(5);
  });
});

describe('merging a guest cart at login', () => {
  it('adds quantities, caps them by stock, drops what cannot be bought, and deletes the guest cart', async () => {
    const user = await aUser(test.db);
    const both = await aProduct(test.db, { stock: 10 });
    const scarce = await aProduct(test.db, { stock: 4 });
    const guestOnly = await aProduct(test.db, { stock: 10 });
    const soldOut = await aProduct(test.db, { stock: 1 });
    const retired = await aProduct(test.db);
    await add({ userId: user.id }, both, 2);
    await add({ userId: user.id }, scarce, 3);
    const token = await guestCart([
      [both, 5],
      [scarce, 3],
      [guestOnly, 1],
      [soldOut, 1],
      [retired, 1],
    ]);
    await test.db.update(products).set({ stock_quantity: 0 }).where(eq(products.id, soldOut));
    await test.db.update(products).set({ is_active: false }).where(eq(products.id, retired));

    const [guest] = await test.db
      .select({ id: carts.id })
      .from(carts)
      .where(eq(carts.token_hash, hashToken(token)));

    const merged = await mergeGuestCart(test.db, token, user.id, SHOP);
    expect(merged.items.map((item) => [item.product_id, item.quantity])).toEqual([
      [both, 7],
      [scarce, 4],
      [guestOnly, 1],
    ]);
    expect(await test.db.select().from(carts).where(eq(carts.id, guest!.id))).toEqual([]);
    expect(await test.db.select().from(cartItems).where(eq(cartItems.cart_id, guest!.id))).toEqual(
      [],
    );

    // The guest token names nothing now; merging it again changes nothing.
    expect((await getCart(test.db, { token }, SHOP)).items).toEqual([]);
    const again = await mergeGuestCart(test.db, token, user.id, SHOP);
    expect(again.items).toEqual(merged.items);
  });

  it('merges once when two logins race with the same token', async () => {
    const user = await aUser(test.db);
    const productId = await aProduct(test.db, { stock: 100 });
    const token = await guestCart([[productId, 3]]);
    await Promise.all([
      mergeGuestCart(test.db, token, user.id, SHOP),
      mergeGuestCart(test.db, token, user.id, SHOP),
    ]);
    const cart = await getCart(test.db, { userId: user.id }, SHOP);
    expect(cart.items.map((item) => item.quantity)).toEqual([3]);
  });

  it('moves the guest cart to a user who had none', async () => {
    const user = await aUser(test.db);
    const productId = await aProduct(test.db);
    const token = await guestCart([[productId, 2]]);
    const merged = await mergeGuestCart(test.db, token, user.id, SHOP);
    expect(merged).toMatchObject({ item_count: 2, subtotal: '20.00' });
    expect(merged.cart_token).toBeUndefined();
  });
});
