/**
 * Carts.
 *
 * Who owns a cart: a signed-in user has at most one (carts.user_id is
 * unique); a guest's cart is named by a random token that only the guest
 * holds (we store its SHA-256). A guest without a token, or with one we do not
 * know, gets a new cart and token on the first add, never on a read. At login
 * the guest cart merges into the user's (`mergeGuestCart`) and is deleted.
 *
 * What a line shows is read live: the product's current name, price, primary
 * image and stock. Money is summed exactly (shared/money.ts); the subtotal
 * counts every line, so it equals the order's subtotal when checkout succeeds.
 *
 * Stock: add and update refuse a product the public cannot see (inactive,
 * deleted, or under an inactive category: PRODUCT_UNAVAILABLE) and a quantity
 * above its stock (OUT_OF_STOCK). That check is advice at the time of the
 * change, not a reservation: stock is only taken at checkout, by the
 * conditional decrement in orders/, which is what guarantees no oversell. So
 * a line may later show more than is left; the cart shows `stock_quantity`
 * and checkout names the line. Field paths: `product_id` / `quantity` of the
 * add input, `items.N.quantity` (N: the line's index in the cart) for updates.
 */
import {
  cartItems,
  carts,
  type Database,
  type Executor,
  placeholders,
  placeholderValues,
  prepared,
  productImages,
  products,
} from '@buybuy/db';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';

import { type CategoryTree, loadCategoryTree } from '../categories/service';
import { invalidField, notFound } from '../errors';
import { toImageOutput } from '../products/service';
import { retryDeadlocks } from '../shared/deadlock';
import { multiply, type Shop, sum } from '../shared/money';
import {
  availableStock,
  isSellable,
  lineField,
  outOfStock,
  productUnavailable,
} from './availability';
import { type AddCartItem, type CartLine, type CartOutput, MAX_LINE_QUANTITY } from './schemas';
import { hashToken, newToken } from './token';

/** Whose cart: the signed-in user's, or the guest's named by the token they sent (if any). */
export type CartOwner = { userId: number } | { token: string | null | undefined };

/** A cart line joined with what its product says now. */
export interface StoredLine {
  product_id: number;
  quantity: number;
  name: string;
  price: string;
  stock_quantity: number;
  is_active: boolean;
  category_id: number;
}

/**
 * The cart's id, or null when the owner has none yet. `lock` takes the cart
 * row FOR UPDATE, so checkouts and merges of one cart run one at a time.
 */
export async function findCartId(
  db: Executor,
  owner: CartOwner,
  options: { lock?: boolean } = {},
): Promise<number | null> {
  const lock = options.lock ?? false;
  let row: { id: number } | undefined;
  if ('userId' in owner)
    [row] = await cartStatement(db, { by: 'user', lock }).execute({ key: owner.userId });
  else if (owner.token)
    [row] = await cartStatement(db, { by: 'token', lock }).execute({ key: hashToken(owner.token) });
  return row?.id ?? null;
}

/** Statements the cart and checkout send on every call: built once (see `prepared`). */
const cartStatement = prepared(
  (db: Executor, shape: { by: 'user' | 'token'; lock: boolean }) => {
    const key = sql.placeholder('key');
    const query = db
      .select({ id: carts.id })
      .from(carts)
      .where(shape.by === 'user' ? eq(carts.user_id, key) : eq(carts.token_hash, key));
    return (shape.lock ? query.for('update') : query).prepare();
  },
  (shape) => `${shape.by}${+shape.lock}`,
);

/** The user's cart, created when missing (two racing creates end with the same row). */
async function userCartId(db: Database, userId: number): Promise<number> {
  const existing = await findCartId(db, { userId });
  if (existing !== null) return existing;
  // Concurrent upserts on one unique key can deadlock each other: the loser runs again.
  await retryDeadlocks(() =>
    db
      .insert(carts)
      .values({ user_id: userId })
      .onDuplicateKeyUpdate({ set: { user_id: sql`${carts.user_id}` } }),
  );
  const [row] = await db.select({ id: carts.id }).from(carts).where(eq(carts.user_id, userId));
  return row!.id;
}

/** The owner's cart; a guest without a known token gets a new one, and its token. */
async function ensureCart(db: Database, owner: CartOwner): Promise<{ id: number; token?: string }> {
  if ('userId' in owner) return { id: await userCartId(db, owner.userId) };
  const existing = await findCartId(db, owner);
  if (existing !== null) return { id: existing };
  const token = newToken();
  const [created] = await newGuestCart(db, undefined).execute({
    token_hash: hashToken(token),
    now: new Date(),
  });
  return { id: created!.id, token };
}

/**
 * The row's times, as placeholders: drizzle computes a column's `$defaultFn`
 * when it builds an insert, so a statement built once would stamp every row
 * with the time it was built.
 */
const timestamps = { created_at: sql.placeholder('now'), updated_at: sql.placeholder('now') };

const newGuestCart = prepared(
  (db: Database) =>
    db
      .insert(carts)
      .values({ token_hash: sql.placeholder('token_hash'), ...timestamps })
      .$returningId()
      .prepare(),
  () => '',
);

/** Lines in the order they were first added. */
export async function loadLines(db: Executor, cartId: number): Promise<StoredLine[]> {
  return linesStatement(db, undefined).execute({ cart_id: cartId });
}

const linesStatement = prepared(
  (db: Executor) =>
    db
      .select({
        product_id: cartItems.product_id,
        quantity: cartItems.quantity,
        name: products.name,
        price: products.price,
        stock_quantity: products.stock_quantity,
        is_active: products.is_active,
        category_id: products.category_id,
      })
      .from(cartItems)
      .innerJoin(products, eq(products.id, cartItems.product_id))
      .where(eq(cartItems.cart_id, sql.placeholder('cart_id')))
      .orderBy(asc(cartItems.created_at), asc(cartItems.product_id))
      .prepare(),
  () => '',
);

async function primaryImages(db: Executor, productIds: number[]) {
  if (productIds.length === 0) return new Map<number, CartLine['primary_image']>();
  const rows = await primaryImagesStatement(db, productIds.length).execute(
    placeholderValues('id', productIds),
  );
  return new Map(rows.map((image) => [image.product_id, toImageOutput(image)]));
}

/** By how many products: one statement per cart size. */
const primaryImagesStatement = prepared(
  (db: Executor, count: number) =>
    db
      .select()
      .from(productImages)
      .where(
        and(
          inArray(productImages.product_id, placeholders('id', count)),
          eq(productImages.is_primary, true),
        ),
      )
      .prepare(),
  String,
);

const emptyCart = (shop: Shop): CartOutput => ({
  items: [],
  subtotal: '0.00',
  currency: shop.currency,
  item_count: 0,
});

/** The cart as the wire shows it: three statements (lines, images, categories) whatever its size. */
async function readCart(
  db: Database,
  cartId: number | null,
  shop: Shop,
  /** A new guest's token, shown this once; the tree when the caller has just read it. */
  known: { cartToken?: string; tree?: CategoryTree } = {},
): Promise<CartOutput> {
  const token = known.cartToken === undefined ? {} : { cart_token: known.cartToken };
  if (cartId === null) return { ...emptyCart(shop), ...token };
  const lines = await loadLines(db, cartId);
  if (lines.length === 0) return { ...emptyCart(shop), ...token };
  const [images, tree] = await Promise.all([
    primaryImages(
      db,
      lines.map((line) => line.product_id),
    ),
    known.tree ?? loadCategoryTree(db),
  ]);
  const items = lines.map((line): CartLine => {
    const stock = availableStock(line, tree);
    return {
      product_id: line.product_id,
      name: line.name,
      unit_price: line.price,
      quantity: line.quantity,
      line_total: multiply(line.price, line.quantity),
      stock_quantity: stock,
      is_available: stock > 0,
      primary_image: images.get(line.product_id) ?? null,
    };
  });
  return {
    items,
    subtotal: sum(items.map((item) => item.line_total)),
    currency: shop.currency,
    item_count: items.reduce((total, item) => total + item.quantity, 0),
    ...token,
  };
}

/**
 * Forgotten guest carts are purged by age: every change makes the cart young
 * again. It also locks the cart row, and must come first in a transaction:
 * a line's insert takes a shared lock on the cart (its foreign key), and two
 * writers holding that and both asking for this one would deadlock.
 */
async function touch(db: Executor, cartId: number): Promise<void> {
  const [result] = await touchStatement(db, undefined).execute({ now: new Date(), id: cartId });
  // Merged into a user's cart (and deleted) by a login in another tab since we found it.
  if (result.affectedRows === 0) throw notFound('Cart');
}

const touchStatement = prepared(
  (db: Executor) =>
    db
      .update(carts)
      // A Date placeholder goes to mysql2 as it is, written in UTC (the pool's timezone).
      .set({ updated_at: sql`${sql.placeholder('now')}` })
      .where(eq(carts.id, sql.placeholder('id')))
      .prepare(),
  () => '',
);

/** The caller's cart; an empty one (and no new token) when there is none. */
export async function getCart(db: Database, owner: CartOwner, shop: Shop): Promise<CartOutput> {
  return readCart(db, await findCartId(db, owner), shop);
}

async function sellableProduct(db: Database, productId: number, tree: CategoryTree) {
  const [product] = await stockStatement(db, undefined).execute({ id: productId });
  return product && isSellable(product, tree) ? product : undefined;
}

const stockStatement = prepared(
  (db: Database) =>
    db
      .select({
        is_active: products.is_active,
        category_id: products.category_id,
        stock_quantity: products.stock_quantity,
      })
      .from(products)
      .where(eq(products.id, sql.placeholder('id')))
      .prepare(),
  () => '',
);

/**
 * Adds `quantity` to the product's line (a new line when there is none). The
 * cart and its token are created only once the product and the quantity pass.
 */
export async function addCartItem(
  db: Database,
  owner: CartOwner,
  input: AddCartItem,
  shop: Shop,
): Promise<CartOutput> {
  const tree = await loadCategoryTree(db);
  const product = await sellableProduct(db, input.product_id, tree);
  if (!product) throw productUnavailable('product_id');
  const existingCart = await findCartId(db, owner);
  let inCart = 0;
  if (existingCart !== null) {
    const [line] = await db
      .select({ quantity: cartItems.quantity })
      .from(cartItems)
      .where(and(eq(cartItems.cart_id, existingCart), eq(cartItems.product_id, input.product_id)));
    inCart = line?.quantity ?? 0;
  }
  const wanted = inCart + input.quantity;
  if (wanted > product.stock_quantity) throw outOfStock('quantity', product.stock_quantity);
  if (wanted > MAX_LINE_QUANTITY)
    throw invalidField('quantity', `At most ${MAX_LINE_QUANTITY} of one product per order`);

  const cart = await ensureCart(db, owner);
  await db.transaction(async (tx) => {
    await touch(tx, cart.id);
    await addLineStatement(tx, undefined).execute({
      cart_id: cart.id,
      product_id: input.product_id,
      quantity: input.quantity,
      now: new Date(),
    });
  });
  return readCart(db, cart.id, shop, { cartToken: cart.token, tree });
}

/** A new line, or more of the product on its line. */
const addLineStatement = prepared(
  (db: Executor) => {
    const quantity = sql.placeholder('quantity');
    return db
      .insert(cartItems)
      .values({
        cart_id: sql.placeholder('cart_id'),
        product_id: sql.placeholder('product_id'),
        quantity,
        ...timestamps,
      })
      .onDuplicateKeyUpdate({ set: { quantity: sql`${cartItems.quantity} + ${quantity}` } })
      .prepare();
  },
  () => '',
);

/** Sets a line's quantity; 0 removes it. A product not in the cart is a 404. */
export async function updateCartItem(
  db: Database,
  owner: CartOwner,
  productId: number,
  quantity: number,
  shop: Shop,
): Promise<CartOutput> {
  const cartId = await findCartId(db, owner);
  const lines = cartId === null ? [] : await loadLines(db, cartId);
  const index = lines.findIndex((line) => line.product_id === productId);
  if (cartId === null || index < 0) throw notFound('Cart line');
  if (quantity === 0) return removeCartItem(db, owner, productId, shop);

  const line = lines[index]!;
  const tree = await loadCategoryTree(db);
  if (!isSellable(line, tree)) throw productUnavailable(lineField(index));
  if (quantity > line.stock_quantity) throw outOfStock(lineField(index), line.stock_quantity);
  await db.transaction(async (tx) => {
    await touch(tx, cartId);
    await tx
      .update(cartItems)
      .set({ quantity })
      .where(and(eq(cartItems.cart_id, cartId), eq(cartItems.product_id, productId)));
  });
  return readCart(db, cartId, shop);
}

/** Removes the product's line; removing one that is not there is not an error. */
export async function removeCartItem(
  db: Database,
  owner: CartOwner,
  productId: number,
  shop: Shop,
): Promise<CartOutput> {
  const cartId = await findCartId(db, owner);
  if (cartId === null) return emptyCart(shop);
  await touch(db, cartId);
  await db
    .delete(cartItems)
    .where(and(eq(cartItems.cart_id, cartId), eq(cartItems.product_id, productId)));
  return readCart(db, cartId, shop);
}

/** Empties the cart; the cart (and a guest's token) stays. */
export async function clearCart(db: Database, owner: CartOwner, shop: Shop): Promise<CartOutput> {
  const cartId = await findCartId(db, owner);
  if (cartId !== null) {
    await touch(db, cartId);
    await db.delete(cartItems).where(eq(cartItems.cart_id, cartId));
  }
  return emptyCart(shop);
}

/**
 * At login: moves the guest cart's lines into the user's cart and deletes the
 * guest cart, in one transaction. A product in both adds up; every merged line
 * is capped by what can be ordered now (lines of unavailable or sold-out
 * products are dropped). An unknown or already merged token changes nothing.
 */
export async function mergeGuestCart(
  db: Database,
  guestToken: string,
  userId: number,
  shop: Shop,
): Promise<CartOutput> {
  if ((await findCartId(db, { token: guestToken })) === null) return getCart(db, { userId }, shop);
  const tree = await loadCategoryTree(db);
  const cartId = await userCartId(db, userId);
  await retryDeadlocks(() =>
    db.transaction(async (tx) => {
      // Locked, so two logins racing with one token merge it once.
      const guestCartId = await findCartId(tx, { token: guestToken }, { lock: true });
      if (guestCartId === null) return;
      await touch(tx, cartId);
      const own = await tx
        .select({ product_id: cartItems.product_id, quantity: cartItems.quantity })
        .from(cartItems)
        .where(eq(cartItems.cart_id, cartId))
        .for('update');
      const owned = new Map(own.map((line) => [line.product_id, line.quantity]));
      for (const line of await loadLines(tx, guestCartId)) {
        const merged = Math.min(
          (owned.get(line.product_id) ?? 0) + line.quantity,
          availableStock(line, tree),
          MAX_LINE_QUANTITY,
        );
        if (merged <= 0) continue;
        await tx
          .insert(cartItems)
          .values({ cart_id: cartId, product_id: line.product_id, quantity: merged })
          .onDuplicateKeyUpdate({ set: { quantity: merged } });
      }
      await tx.delete(carts).where(eq(carts.id, guestCartId));
    }),
  );
  return getCart(db, { userId }, shop);
}
