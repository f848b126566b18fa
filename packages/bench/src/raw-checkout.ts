import { createHash, randomBytes } from 'node:crypto';

import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Pool, PoolConnection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';

/**
 * The checkout's reference point: `POST /raw/cart/items` (a new guest cart
 * with one line) and `POST /raw/orders` (that cart placed as an order) send
 * the very statements `addCartItem` and `placeOrder` send for a guest's
 * one-line order, in the same order and the same transactions (copied from
 * the db's `onQuery` log), through plain mysql2. The rules the API checks in
 * code (sellable, stock, totals in exact cents) are checked here too, in a
 * few lines, so the gap to the API is what its layers cost, not skipped work.
 * Only what the bench does is covered: a fresh guest cart, no signed-in user.
 */
const TREE = 'select `id`, `name`, `slug`, `parent_id`, `is_active` from `categories`';
const PRODUCT =
  'select `is_active`, `category_id`, `stock_quantity` from `products` where `products`.`id` = ?';
const NEW_CART =
  'insert into `carts` (`id`, `token_hash`, `user_id`, `created_at`, `updated_at`) values (default, ?, default, ?, ?)';
const TOUCH_CART = 'update `carts` set `updated_at` = ? where `carts`.`id` = ?';
const ADD_LINE =
  'insert into `cart_items` (`cart_id`, `product_id`, `quantity`, `created_at`) values (?, ?, ?, ?) on duplicate key update `quantity` = `cart_items`.`quantity` + ?';
const LINES =
  'select `cart_items`.`product_id`, `cart_items`.`quantity`, `products`.`name`, `products`.`price`, `products`.`stock_quantity`, `products`.`is_active`, `products`.`category_id` from `cart_items` inner join `products` on `products`.`id` = `cart_items`.`product_id` where `cart_items`.`cart_id` = ? order by `cart_items`.`created_at` asc, `cart_items`.`product_id` asc';
const primaryImages = (n: number) =>
  'select `id`, `product_id`, `image_url`, `thumbnail_url`, `alt_text`, `variants`, `is_primary`, `position`, `created_at` from `product_images` where (`product_images`.`product_id` in (' +
  placeholders(n) +
  ') and `product_images`.`is_primary` = ?)';
const LOCK_CART = 'select `id` from `carts` where `carts`.`token_hash` = ? for update';
const SHIPPING_METHOD =
  'select `id`, `name`, `price`, `is_active`, `created_at`, `updated_at` from `shipping_methods` where (`shipping_methods`.`id` = ? and `shipping_methods`.`is_active` = ?)';
const TAKE_STOCK =
  'UPDATE `products` SET `products`.`stock_quantity` = `products`.`stock_quantity` - ? WHERE `products`.`id` = ? AND `products`.`is_active` AND `products`.`stock_quantity` >= ?';
const STOCK_NOW =
  'select `is_active`, `stock_quantity` from `products` where `products`.`id` = ? for update';
const currentProducts = (n: number) =>
  'select `id`, `name`, `price` from `products` where `products`.`id` in (' +
  placeholders(n) +
  ') for update';
const INSERT_ORDER =
  'insert into `orders` (`id`, `number`, `user_id`, `email`, `status`, `subtotal`, `shipping_total`, `total`, `currency`, `shipping_full_name`, `shipping_line1`, `shipping_line2`, `shipping_city`, `shipping_postal_code`, `shipping_country`, `shipping_phone`, `shipping_method_id`, `shipping_method_name`, `shipping_method_price`, `payment_provider`, `tracking_number`, `order_token_hash`, `created_at`, `updated_at`) values (default, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, default, ?, ?, ?, default, ?, ?, ?, ?, default, ?, ?, ?)';
const insertItems = (n: number) =>
  'insert into `order_items` (`id`, `order_id`, `product_id`, `name`, `unit_price`, `quantity`, `line_total`) values ' +
  Array(n).fill('(default, ?, ?, ?, ?, ?, ?)').join(', ');
const INSERT_HISTORY =
  'insert into `order_status_history` (`id`, `order_id`, `from_status`, `to_status`, `actor`, `actor_user_id`, `note`, `created_at`) values (default, ?, ?, ?, ?, ?, default, ?)';
const EMPTY_CART = 'delete from `cart_items` where `cart_items`.`cart_id` = ?';

function placeholders(n: number) {
  return Array(n).fill('?').join(', ');
}

/** A refusal the API would answer with this status and code. */
class Refused extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly field: string | null,
  ) {
    super(code);
  }
}

interface Line extends RowDataPacket {
  product_id: number;
  quantity: number;
  name: string;
  price: string;
  stock_quantity: number;
  is_active: number;
  category_id: number;
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
const cents = (amount: string) => BigInt(amount.replace('.', ''));
const money = (value: bigint) => {
  const text = value.toString().padStart(3, '0');
  return `${text.slice(0, -2)}.${text.slice(-2)}`;
};
const ORDER_NUMBER_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
function orderNumber() {
  let bits = BigInt(`0x${randomBytes(5).toString('hex')}`);
  let chars = '';
  for (let i = 0; i < 8; i++) {
    chars = ORDER_NUMBER_ALPHABET[Number(bits & 31n)]! + chars;
    bits >>= 5n;
  }
  return `BB-${chars}`;
}

/** Ids of the categories the public sees: active, with every ancestor active. */
function publicCategories(rows: RowDataPacket[]): Set<number> {
  const byId = new Map(rows.map((row) => [row.id as number, row]));
  const seen = new Set<number>();
  for (const row of rows) {
    let node: RowDataPacket | undefined = row;
    while (node?.is_active) node = node.parent_id === null ? undefined : byId.get(node.parent_id);
    if (row.is_active && node === undefined) seen.add(row.id as number);
  }
  return seen;
}

const sellable = (
  product: { is_active: number; category_id: number } | undefined,
  open: Set<number>,
) => !!product && !!product.is_active && open.has(product.category_id);

/** Runs `work` in one transaction on one connection; a deadlock victim runs again (as the API's retryDeadlocks). */
async function transaction<T>(pool: Pool, work: (conn: PoolConnection) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const conn = await pool.getConnection();
    try {
      await conn.query('begin');
      const result = await work(conn);
      await conn.query('commit');
      return result;
    } catch (error) {
      await conn.query('rollback');
      if (attempt >= 4 || (error as { code?: string }).code !== 'ER_LOCK_DEADLOCK') throw error;
    } finally {
      conn.release();
    }
  }
}

function envelope(reply: FastifyReply, status: number, data: unknown) {
  return reply.code(status).send({ success: true, data, message: 'OK', errors: [], meta: {} });
}

function refusal(reply: FastifyReply, error: unknown) {
  if (!(error instanceof Refused)) throw error;
  return reply.code(error.status).send({
    success: false,
    data: null,
    message: error.code,
    errors: [{ field: error.field, code: error.code, message: error.code }],
    meta: {},
  });
}

export function registerRawCheckout(app: FastifyInstance, pool: Pool) {
  const rows = async (conn: Pool | PoolConnection, sql: string, values: unknown[]) =>
    (await conn.query<RowDataPacket[]>(sql, values))[0];
  const write = async (conn: Pool | PoolConnection, sql: string, values: unknown[]) =>
    (await conn.query<ResultSetHeader>(sql, values))[0];

  /** `addCartItem` for a guest without a cart: checks, new cart, the line, then the cart as shown. */
  app.post<{ Body: { product_id: number; quantity: number } }>(
    '/raw/cart/items',
    async (request, reply) => {
      const { product_id: productId, quantity } = request.body;
      try {
        const open = publicCategories(await rows(pool, TREE, []));
        const [product] = await rows(pool, PRODUCT, [productId]);
        if (!sellable(product as Line | undefined, open))
          throw new Refused(409, 'PRODUCT_UNAVAILABLE', 'product_id');
        if (quantity > product!.stock_quantity) throw new Refused(409, 'OUT_OF_STOCK', 'quantity');
        const token = randomBytes(32).toString('base64url');
        const now = new Date();
        const cart = await write(pool, NEW_CART, [hashToken(token), now, now]);
        const cartId = cart.insertId;
        await transaction(pool, async (conn) => {
          await write(conn, TOUCH_CART, [new Date(), cartId]);
          await write(conn, ADD_LINE, [cartId, productId, quantity, new Date(), quantity]);
        });
        const lines = (await rows(pool, LINES, [cartId])) as Line[];
        const ids = lines.map((line) => line.product_id);
        // The tree read for the check serves the answer too, as in addCartItem.
        const images = await rows(pool, primaryImages(ids.length), [...ids, true]);
        const items = lines.map((line) => ({
          product_id: line.product_id,
          name: line.name,
          unit_price: line.price,
          quantity: line.quantity,
          line_total: money(cents(line.price) * BigInt(line.quantity)),
          stock_quantity: sellable(line, open) ? line.stock_quantity : 0,
          primary_image: images.find((image) => image.product_id === line.product_id) ?? null,
        }));
        return envelope(reply, 200, {
          items,
          subtotal: money(items.reduce((total, item) => total + cents(item.line_total), 0n)),
          currency: 'USD',
          item_count: items.reduce((total, item) => total + item.quantity, 0),
          cart_token: token,
        });
      } catch (error) {
        return refusal(reply, error);
      }
    },
  );

  /** `placeOrder` for a guest: the same transaction; the answer made from what it wrote. */
  app.post<{
    Body: {
      email: string;
      shipping_method_id: number;
      shipping_address: Record<string, string>;
    };
  }>('/raw/orders', async (request, reply) => {
    const input = request.body;
    const token = request.headers['x-cart-token'];
    try {
      if (typeof token !== 'string') throw new Refused(409, 'CART_EMPTY', null);
      const open = publicCategories(await rows(pool, TREE, []));
      const orderToken = randomBytes(32).toString('base64url');
      const order = await transaction(pool, async (conn) => {
        const [cart] = await rows(conn, LOCK_CART, [hashToken(token)]);
        const [method] = await rows(conn, SHIPPING_METHOD, [input.shipping_method_id, true]);
        if (!method) throw new Refused(400, 'SHIPPING_METHOD_NOT_FOUND', 'shipping_method_id');
        const lines = cart ? ((await rows(conn, LINES, [cart.id])) as Line[]) : [];
        if (!cart || lines.length === 0) throw new Refused(409, 'CART_EMPTY', null);
        lines.forEach((line, index) => {
          if (!sellable(line, open))
            throw new Refused(409, 'PRODUCT_UNAVAILABLE', `items.${index}.quantity`);
        });
        const byProduct = lines
          .map((line, index) => ({ line, index }))
          .sort((a, b) => a.line.product_id - b.line.product_id);
        for (const { line, index } of byProduct) {
          const taken = await write(conn, TAKE_STOCK, [
            line.quantity,
            line.product_id,
            line.quantity,
          ]);
          if (taken.affectedRows === 1) continue;
          const [now] = await rows(conn, STOCK_NOW, [line.product_id]);
          const field = `items.${index}.quantity`;
          throw new Refused(409, now?.is_active ? 'OUT_OF_STOCK' : 'PRODUCT_UNAVAILABLE', field);
        }
        const ids = lines.map((line) => line.product_id);
        const current = await rows(conn, currentProducts(ids.length), ids);
        const sold = lines.map((line) => {
          const product = current.find((row) => row.id === line.product_id)!;
          const lineTotal = cents(product.price) * BigInt(line.quantity);
          return { line, product, lineTotal };
        });
        const subtotal = sold.reduce((total, line) => total + line.lineTotal, 0n);
        const address = input.shipping_address;
        const now = new Date();
        const number = orderNumber();
        const total = money(subtotal + cents(method.price));
        const inserted = await write(conn, INSERT_ORDER, [
          number,
          null,
          input.email,
          'pending_payment',
          money(subtotal),
          method.price,
          total,
          'USD',
          address.full_name,
          address.line1,
          address.city,
          address.postal_code,
          address.country,
          method.id,
          method.name,
          method.price,
          'manual',
          hashToken(orderToken),
          now,
          now,
        ]);
        await write(
          conn,
          insertItems(sold.length),
          sold.flatMap(({ line, product, lineTotal }) => [
            inserted.insertId,
            line.product_id,
            product.name,
            product.price,
            line.quantity,
            money(lineTotal),
          ]),
        );
        await write(conn, INSERT_HISTORY, [
          inserted.insertId,
          null,
          'pending_payment',
          'customer',
          null,
          now,
        ]);
        await write(conn, EMPTY_CART, [cart.id]);
        const at = now.toISOString();
        return {
          id: inserted.insertId,
          number,
          status: 'pending_payment',
          email: input.email,
          items: sold.map(({ line, product, lineTotal }) => ({
            product_id: line.product_id,
            name: product.name,
            unit_price: product.price,
            quantity: line.quantity,
            line_total: money(lineTotal),
          })),
          subtotal: money(subtotal),
          shipping_total: method.price,
          total,
          currency: 'USD',
          shipping_address: { line2: null, phone: null, ...address },
          shipping_method: { id: method.id, name: method.name, price: method.price },
          payment_provider: 'manual',
          tracking_number: null,
          history: [
            {
              from_status: null,
              to_status: 'pending_payment',
              actor: 'customer',
              note: null,
              created_at: at,
            },
          ],
          created_at: at,
          updated_at: at,
        };
      });
      return envelope(reply, 201, { ...order, order_token: orderToken });
    } catch (error) {
      return refusal(reply, error);
    }
  });
}
