import {
  cartItems,
  type Database,
  duplicateKeyIndex,
  type Executor,
  orderItems,
  orders,
  orderStatusHistory,
  placeholders,
  placeholderValues,
  prepared,
  products,
  shippingMethods,
  waitForReplicas,
} from '@buybuy/db';
import { and, eq, inArray, type Placeholder, sql } from 'drizzle-orm';

import {
  isSellable,
  lineField,
  outOfStock,
  productUnavailable,
  type Sellable,
} from '../cart/availability';
import { type CartOwner, findCartId, loadLines, type StoredLine } from '../cart/service';
import { hashToken, newToken } from '../cart/token';
import { loadCategoryTree } from '../categories/service';
import { AppError, conflict, invalidField } from '../errors';
import { manualPayments, type PaymentProvider } from '../payments/service';
import { retryDeadlocks } from '../shared/deadlock';
import { fitsColumn, multiply, type Shop, sum } from '../shared/money';
import { toTimestamp } from '../shared/schemas';
import { newOrderNumber } from './number';
import type { OrderOutput, PlacedOrder, PlaceOrder } from './schemas';

/** Draws of a fresh order number after a collision (each has a 1 in ~10^12 chance). */
const NUMBER_ATTEMPTS = 5;

const cartEmpty = () => conflict('CART_EMPTY', 'Your cart is empty');

const shippingMethodNotFound = () =>
  invalidField(
    'shipping_method_id',
    'No such shipping method, or it is not offered any more',
    'SHIPPING_METHOD_NOT_FOUND',
  );

const orderTooLarge = () =>
  new AppError('BAD_REQUEST', 'VALIDATION', 'This order is too large to be placed at once', [
    { field: null, code: 'VALIDATION', message: 'The order total is over the largest amount' },
  ]);

/**
 * Takes a line's quantity from stock, or throws with the line's field. The
 * UPDATE itself checks the stock (no read-then-write), so of many concurrent
 * checkouts exactly as many succeed as there are units; it also holds the
 * product row until commit. updated_at is left alone: it is the admin's last
 * edit, not the last sale.
 */
async function takeStock(tx: Executor, line: StoredLine, index: number): Promise<void> {
  const [result] = await statements.takeStock(tx, undefined).execute({
    id: line.product_id,
    quantity: line.quantity,
  });
  if (result.affectedRows === 1) return;
  // Why not: a locking read sees the row as it is now, not as this transaction first saw it.
  const [now] = await statements.lockedStock(tx, undefined).execute({ id: line.product_id });
  if (!now?.is_active) throw productUnavailable(lineField(index));
  throw outOfStock(lineField(index), now.stock_quantity);
}

type NewOrder = Omit<typeof orders.$inferInsert, 'number' | 'id' | 'created_at' | 'updated_at'>;

/** Inserts the order under a fresh random number, drawing again on a collision. */
async function insertOrder(
  tx: Executor,
  values: NewOrder,
  placedAt: Date,
): Promise<{ id: number; number: string }> {
  for (let attempt = 1; ; attempt++) {
    try {
      const number = newOrderNumber();
      const [created] = await statements.insertOrder(tx, undefined).execute({
        ...ORDER_DEFAULTS,
        ...values,
        number,
        now: placedAt,
      });
      return { id: created!.id, number };
    } catch (error) {
      // A failed INSERT undoes only itself: the transaction goes on.
      if (attempt >= NUMBER_ATTEMPTS || duplicateKeyIndex(error) !== 'orders_number_unique')
        throw error;
    }
  }
}

/** A placeholder per key, for an insert built once (see `prepared`). */
function placeholdersFor<K extends string>(keys: readonly K[], suffix = '') {
  return Object.fromEntries(keys.map((key) => [key, sql.placeholder(`${key}${suffix}`)])) as Record<
    K,
    Placeholder
  >;
}

const ORDER_COLUMNS = [
  'user_id',
  'email',
  'status',
  'subtotal',
  'shipping_total',
  'total',
  'currency',
  'shipping_full_name',
  'shipping_line1',
  'shipping_line2',
  'shipping_city',
  'shipping_postal_code',
  'shipping_country',
  'shipping_phone',
  'shipping_method_id',
  'shipping_method_name',
  'shipping_method_price',
  'payment_provider',
  'order_token_hash',
  'number',
] as const satisfies ReadonlyArray<keyof typeof orders.$inferInsert>;

/** Optional columns, given as NULL when a new order leaves them out. */
const ORDER_DEFAULTS = { user_id: null, shipping_line2: null, shipping_phone: null };

const LINE_COLUMNS = ['product_id', 'name', 'unit_price', 'quantity', 'line_total'] as const;
type SoldLine = Pick<typeof orderItems.$inferInsert, (typeof LINE_COLUMNS)[number]>;

const lineValues = (line: SoldLine, i: number) =>
  Object.fromEntries(LINE_COLUMNS.map((key) => [`${key}${i}`, line[key]]));

const timestamps = { created_at: sql.placeholder('now'), updated_at: sql.placeholder('now') };

/** The statements of a checkout, built once per connection (see `prepared` in @buybuy/db). */
const statements = {
  shippingMethod: prepared(
    (tx: Executor) =>
      tx
        .select()
        .from(shippingMethods)
        .where(
          and(eq(shippingMethods.id, sql.placeholder('id')), eq(shippingMethods.is_active, true)),
        )
        .prepare(),
    () => '',
  ),
  takeStock: prepared(
    (tx: Executor) =>
      tx
        .update(products)
        .set({ stock_quantity: sql`${products.stock_quantity} - ${sql.placeholder('quantity')}` })
        .where(
          and(
            eq(products.id, sql.placeholder('id')),
            eq(products.is_active, true),
            sql`${products.stock_quantity} >= ${sql.placeholder('quantity')}`,
          ),
        )
        .prepare(),
    () => '',
  ),
  lockedStock: prepared(
    (tx: Executor) =>
      tx
        .select({ is_active: products.is_active, stock_quantity: products.stock_quantity })
        .from(products)
        .where(eq(products.id, sql.placeholder('id')))
        .for('update')
        .prepare(),
    () => '',
  ),
  lockedProducts: prepared(
    (tx: Executor, count: number) =>
      tx
        .select({ id: products.id, name: products.name, price: products.price })
        .from(products)
        .where(inArray(products.id, placeholders('id', count)))
        .for('update')
        .prepare(),
    String,
  ),
  insertOrder: prepared(
    (tx: Executor) =>
      tx
        .insert(orders)
        .values({ ...placeholdersFor(ORDER_COLUMNS), ...timestamps })
        .$returningId()
        .prepare(),
    () => '',
  ),
  insertLines: prepared(
    (tx: Executor, count: number) =>
      tx
        .insert(orderItems)
        .values(
          Array.from({ length: count }, (_, i) => ({
            ...placeholdersFor(LINE_COLUMNS, String(i)),
            order_id: sql.placeholder('order_id'),
          })),
        )
        .prepare(),
    String,
  ),
  insertPlaced: prepared(
    (tx: Executor) =>
      tx
        .insert(orderStatusHistory)
        .values({
          order_id: sql.placeholder('order_id'),
          from_status: null,
          to_status: 'pending_payment',
          actor: 'customer',
          actor_user_id: sql.placeholder('actor_user_id'),
          created_at: sql.placeholder('now'),
        })
        .prepare(),
    () => '',
  ),
  emptyCart: prepared(
    (tx: Executor) =>
      tx
        .delete(cartItems)
        .where(eq(cartItems.cart_id, sql.placeholder('cart_id')))
        .prepare(),
    () => '',
  ),
};

/**
 * Places an order from the caller's cart (see the rules at the top of
 * service.ts). Returns the order with its token, which is stored only as a
 * hash and shown this once. Any failure leaves stock, cart and orders as
 * they were.
 */
export async function placeOrder(
  db: Database,
  owner: CartOwner,
  input: PlaceOrder,
  shop: Shop,
  payments: PaymentProvider = manualPayments,
): Promise<PlacedOrder> {
  const tree = await loadCategoryTree(db);
  const orderToken = newToken();
  const userId = 'userId' in owner ? owner.userId : null;

  const order = await retryDeadlocks(() =>
    db.transaction(async (tx) => {
      const placedAt = new Date();
      // The cart row is locked first, so a double-clicked checkout of one cart
      // runs once: the second waits, then finds the cart empty. First, too,
      // because REPEATABLE READ takes its snapshot at the first plain read:
      // the reads below then see everything committed before the lock.
      const cartId = await findCartId(tx, owner, { lock: true });
      const [method] = await statements.shippingMethod(tx, undefined).execute({
        id: input.shipping_method_id,
      });
      if (!method) throw shippingMethodNotFound();
      const lines = cartId === null ? [] : await loadLines(tx, cartId);
      if (cartId === null || lines.length === 0) throw cartEmpty();
      lines.forEach((line: Sellable, index) => {
        if (!isSellable(line, tree)) throw productUnavailable(lineField(index));
      });

      // In product id order, so two checkouts sharing products lock them in one order.
      const byProduct = lines
        .map((line, index) => ({ line, index }))
        .sort((a, b) => a.line.product_id - b.line.product_id);
      for (const { line, index } of byProduct) await takeStock(tx, line, index);

      // Prices and names as they are now: a locking read, on rows this transaction holds.
      const current = await statements.lockedProducts(tx, lines.length).execute(
        placeholderValues(
          'id',
          lines.map((line) => line.product_id),
        ),
      );
      const byId = new Map(current.map((product) => [product.id, product]));
      const sold = lines.map((line) => {
        const product = byId.get(line.product_id)!;
        return {
          product_id: line.product_id,
          name: product.name,
          unit_price: product.price,
          quantity: line.quantity,
          line_total: multiply(product.price, line.quantity),
        };
      });
      const subtotal = sum(sold.map((line) => line.line_total));
      const total = sum([subtotal, method.price]);
      if (!fitsColumn(total)) throw orderTooLarge();

      const address = input.shipping_address;
      const { id, number } = await insertOrder(
        tx,
        {
          user_id: userId,
          email: input.email,
          status: 'pending_payment',
          subtotal,
          shipping_total: method.price,
          total,
          currency: shop.currency,
          shipping_full_name: address.full_name,
          shipping_line1: address.line1,
          shipping_line2: address.line2,
          shipping_city: address.city,
          shipping_postal_code: address.postal_code,
          shipping_country: address.country,
          shipping_phone: address.phone,
          shipping_method_id: method.id,
          shipping_method_name: method.name,
          shipping_method_price: method.price,
          payment_provider: payments.id,
          order_token_hash: hashToken(orderToken),
        },
        placedAt,
      );
      await statements
        .insertLines(tx, sold.length)
        .execute(
          Object.assign({ order_id: id }, ...sold.map((line, i) => lineValues(line, i))) as Record<
            string,
            unknown
          >,
        );
      await statements.insertPlaced(tx, undefined).execute({
        order_id: id,
        actor_user_id: userId,
        now: placedAt,
      });
      await statements.emptyCart(tx, undefined).execute({ cart_id: cartId });
      // The order as readOrder shows it, made from what was just written rather
      // than read back (three statements fewer; a test holds the two equal).
      const order: OrderOutput = {
        id,
        number,
        status: 'pending_payment',
        email: input.email,
        items: sold,
        subtotal,
        shipping_total: method.price,
        total,
        currency: shop.currency,
        shipping_address: {
          full_name: address.full_name,
          line1: address.line1,
          line2: address.line2 ?? null,
          city: address.city,
          postal_code: address.postal_code,
          country: address.country,
          phone: address.phone ?? null,
        },
        shipping_method: { id: method.id, name: method.name, price: method.price },
        payment_provider: payments.id,
        tracking_number: null,
        history: [
          {
            from_status: null,
            to_status: 'pending_payment',
            actor: 'customer',
            note: null,
            created_at: toTimestamp(placedAt),
          },
        ],
        created_at: toTimestamp(placedAt),
        updated_at: toTimestamp(placedAt),
      };
      return order;
    }),
  );
  // Stock changed: public reads on replicas must see it before we answer.
  await waitForReplicas(db);
  return {
    ...order,
    order_token: orderToken,
    payment_instructions: payments.instructions(order),
  };
}
