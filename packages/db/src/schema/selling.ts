import { sql } from 'drizzle-orm';
import {
  boolean,
  char,
  check,
  decimal,
  index,
  int,
  mysqlTable,
  primaryKey,
  uniqueIndex,
  varchar,
} from 'drizzle-orm/mysql-core';

import { products } from './catalog';
import { createdAt, id, ref, updatedAt } from './columns';
import { users } from './users';

/** Every status an order can be in; `orders.status` is CHECKed against this list. */
export const ORDER_STATUSES = [
  'pending_payment',
  'paid',
  'shipped',
  'delivered',
  'cancelled',
  'refunded',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

const statusList = ORDER_STATUSES.map((status) => `'${status}'`).join(', ');
/** CHECK text with bare column names, the form MariaDB and MySQL 8 both document (drizzle would qualify them). */
const checked = (expression: string) => sql.raw(expression);
const money = (name: string) => decimal(name, { precision: 12, scale: 2 });

/**
 * A shopping cart: a signed-in user's (one per user) or a guest's, named by an
 * unguessable token that only the guest holds; the database keeps its SHA-256,
 * like the sessions' refresh tokens.
 */
export const carts = mysqlTable(
  'carts',
  {
    id: id(),
    token_hash: varchar('token_hash', { length: 64 }),
    user_id: ref('user_id').references(() => users.id, { onDelete: 'cascade' }),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  (table) => [
    uniqueIndex('carts_token_hash_unique').on(table.token_hash),
    uniqueIndex('carts_user_id_unique').on(table.user_id),
    // Forgotten guest carts are purged by age.
    index('carts_updated_at_idx').on(table.updated_at),
  ],
);

/** One line per product; a deleted product takes its cart lines with it. */
export const cartItems = mysqlTable(
  'cart_items',
  {
    cart_id: ref('cart_id')
      .notNull()
      .references(() => carts.id, { onDelete: 'cascade' }),
    product_id: ref('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    quantity: int('quantity', { unsigned: true }).notNull(),
    created_at: createdAt(),
  },
  (table) => [
    primaryKey({ columns: [table.cart_id, table.product_id] }),
    index('cart_items_product_id_idx').on(table.product_id),
    check('cart_items_quantity_positive', checked('`quantity` > 0')),
  ],
);

/** Flat-rate shipping methods, edited by admins. */
export const shippingMethods = mysqlTable('shipping_methods', {
  id: id(),
  name: varchar('name', { length: 100 }).notNull(),
  price: money('price').notNull(),
  is_active: boolean('is_active').notNull().default(true),
  created_at: createdAt(),
  updated_at: updatedAt(),
});

/**
 * An order keeps its own copy of everything a later edit could change: the
 * shipping address, the shipping method's name and price, and each line's
 * product name and price (order_items). Deleting a user, a product or a
 * shipping method leaves the order readable.
 */
export const orders = mysqlTable(
  'orders',
  {
    id: id(),
    // "BB-" and 8 random Crockford base32 characters: nothing to learn from a neighbour's.
    number: varchar('number', { length: 16 }).notNull(),
    user_id: ref('user_id').references(() => users.id, { onDelete: 'set null' }),
    email: varchar('email', { length: 254 }).notNull(),
    status: varchar('status', { length: 20 }).$type<OrderStatus>().notNull(),
    subtotal: money('subtotal').notNull(),
    shipping_total: money('shipping_total').notNull(),
    total: money('total').notNull(),
    currency: char('currency', { length: 3 }).notNull(),
    shipping_full_name: varchar('shipping_full_name', { length: 200 }).notNull(),
    shipping_line1: varchar('shipping_line1', { length: 255 }).notNull(),
    shipping_line2: varchar('shipping_line2', { length: 255 }),
    shipping_city: varchar('shipping_city', { length: 120 }).notNull(),
    shipping_postal_code: varchar('shipping_postal_code', { length: 20 }).notNull(),
    shipping_country: varchar('shipping_country', { length: 120 }).notNull(),
    shipping_phone: varchar('shipping_phone', { length: 32 }),
    shipping_method_id: ref('shipping_method_id').references(() => shippingMethods.id, {
      onDelete: 'set null',
    }),
    shipping_method_name: varchar('shipping_method_name', { length: 100 }).notNull(),
    shipping_method_price: money('shipping_method_price').notNull(),
    // Which PaymentProvider takes the payment ('manual': an admin marks the order paid).
    payment_provider: varchar('payment_provider', { length: 32 }).notNull().default('manual'),
    tracking_number: varchar('tracking_number', { length: 100 }),
    // SHA-256 of the order token that lets a guest read and cancel the order.
    order_token_hash: varchar('order_token_hash', { length: 64 }).notNull(),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  (table) => [
    uniqueIndex('orders_number_unique').on(table.number),
    // The admin list's filters, each newest first.
    index('orders_status_created_idx').on(table.status, table.created_at),
    index('orders_email_idx').on(table.email),
    index('orders_created_at_idx').on(table.created_at),
    index('orders_user_created_idx').on(table.user_id, table.created_at),
    check('orders_status_check', checked(`\`status\` IN (${statusList})`)),
  ],
);

/** An order line, snapshotted: the product may change or go, the line stays as sold. */
export const orderItems = mysqlTable(
  'order_items',
  {
    id: id(),
    order_id: ref('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    product_id: ref('product_id').references(() => products.id, { onDelete: 'set null' }),
    name: varchar('name', { length: 255 }).notNull(),
    unit_price: money('unit_price').notNull(),
    quantity: int('quantity', { unsigned: true }).notNull(),
    line_total: money('line_total').notNull(),
  },
  (table) => [
    index('order_items_order_id_idx').on(table.order_id),
    index('order_items_product_id_idx').on(table.product_id),
    check('order_items_quantity_positive', checked('`quantity` > 0')),
  ],
);

/** Every status change of an order: who, when, from what to what, and why. */
export const orderStatusHistory = mysqlTable(
  'order_status_history',
  {
    id: id(),
    order_id: ref('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    // Null on the first row (the order being placed).
    from_status: varchar('from_status', { length: 20 }).$type<OrderStatus>(),
    to_status: varchar('to_status', { length: 20 }).$type<OrderStatus>().notNull(),
    // 'customer', 'admin:<user id>' or 'system'.
    actor: varchar('actor', { length: 64 }).notNull(),
    actor_user_id: ref('actor_user_id').references(() => users.id, { onDelete: 'set null' }),
    note: varchar('note', { length: 500 }),
    created_at: createdAt(),
  },
  (table) => [
    index('order_status_history_order_idx').on(table.order_id, table.id),
    check('order_status_history_to_check', checked(`\`to_status\` IN (${statusList})`)),
    check(
      'order_status_history_from_check',
      checked(`\`from_status\` IS NULL OR \`from_status\` IN (${statusList})`),
    ),
  ],
);

export type Cart = typeof carts.$inferSelect;
export type CartItem = typeof cartItems.$inferSelect;
export type ShippingMethod = typeof shippingMethods.$inferSelect;
export type Order = typeof orders.$inferSelect;
export type OrderItem = typeof orderItems.$inferSelect;
export type OrderStatusHistoryRow = typeof orderStatusHistory.$inferSelect;
