import {
  type AnyMySqlColumn,
  boolean,
  decimal,
  index,
  int,
  mysqlEnum,
  mysqlTable,
  primaryKey,
  text,
  uniqueIndex,
  varchar,
} from 'drizzle-orm/mysql-core';

import { createdAt, id, ref, updatedAt } from './columns';

export const categories = mysqlTable(
  'categories',
  {
    id: id(),
    name: varchar('name', { length: 150 }).notNull(),
    description: text('description'),
    slug: varchar('slug', { length: 160 }).notNull(),
    parent_id: ref('parent_id').references((): AnyMySqlColumn => categories.id, {
      onDelete: 'restrict',
    }),
    is_active: boolean('is_active').notNull().default(true),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  (table) => [
    uniqueIndex('categories_slug_unique').on(table.slug),
    index('categories_parent_id_idx').on(table.parent_id),
    index('categories_is_active_idx').on(table.is_active),
  ],
);

export const products = mysqlTable(
  'products',
  {
    id: id(),
    name: varchar('name', { length: 255 }).notNull(),
    description: text('description'),
    // Money is DECIMAL and travels as a string ("19.99"): never a float.
    price: decimal('price', { precision: 12, scale: 2 }).notNull(),
    category_id: ref('category_id')
      .notNull()
      .references(() => categories.id, { onDelete: 'restrict' }),
    stock_quantity: int('stock_quantity', { unsigned: true }).notNull().default(0),
    is_active: boolean('is_active').notNull().default(true),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  (table) => [
    index('products_category_id_idx').on(table.category_id),
    index('products_price_idx').on(table.price),
    index('products_is_active_idx').on(table.is_active),
    index('products_created_at_idx').on(table.created_at),
    index('products_category_active_price_idx').on(table.category_id, table.is_active, table.price),
    index('products_active_created_idx').on(table.is_active, table.created_at),
    // Each public sort and filter walks an index (packages/api/test/query-plans.test.ts).
    index('products_active_price_idx').on(table.is_active, table.price),
    index('products_active_name_idx').on(table.is_active, table.name),
    index('products_active_stock_idx').on(table.is_active, table.stock_quantity),
    index('products_category_active_created_idx').on(
      table.category_id,
      table.is_active,
      table.created_at,
    ),
    // A category's public products by name, in order (categoryPageStatement in packages/api).
    index('products_category_active_name_idx').on(table.category_id, table.is_active, table.name),
  ],
);

export const IMAGE_VARIANT_STATES = ['none', 'pending', 'ready'] as const;
export type ImageVariantState = (typeof IMAGE_VARIANT_STATES)[number];

export const productImages = mysqlTable(
  'product_images',
  {
    id: id(),
    product_id: ref('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    image_url: varchar('image_url', { length: 2048 }).notNull(),
    // A small variant for lists and grids; null for images hosted elsewhere.
    thumbnail_url: varchar('thumbnail_url', { length: 2048 }),
    alt_text: varchar('alt_text', { length: 255 }).notNull().default(''),
    // Which variants exist: 'ready', the URLs above are the display and thumbnail
    // variants; 'pending', an upload whose variants job has not run yet (both URLs
    // show the original until it has); 'none', an image hosted elsewhere.
    variants: mysqlEnum('variants', IMAGE_VARIANT_STATES).notNull().default('none'),
    is_primary: boolean('is_primary').notNull().default(false),
    // Display order among a product's images; the primary one is listed first regardless.
    position: int('position', { unsigned: true }).notNull().default(0),
    created_at: createdAt(),
  },
  (table) => [index('product_images_product_id_idx').on(table.product_id, table.position)],
);

/**
 * How many products each (category, active, in stock) bucket holds, so an
 * exact list total is a sum over a few rows instead of a COUNT(*) over an
 * index. Triggers on `products` (migration 0004_product_counts_triggers) keep
 * it exact in the same transaction as every product write; nothing else
 * writes it. Rows may stay at n = 0; they go with their category.
 */
export const productCounts = mysqlTable(
  'product_counts',
  {
    category_id: ref('category_id')
      .notNull()
      .references(() => categories.id, { onDelete: 'cascade' }),
    is_active: boolean('is_active').notNull(),
    // stock_quantity > 0
    in_stock: boolean('in_stock').notNull(),
    // Signed: a counter that ever drifted below zero shows it, instead of failing product writes.
    n: int('n').notNull(),
  },
  (table) => [primaryKey({ columns: [table.category_id, table.is_active, table.in_stock] })],
);

export type Category = typeof categories.$inferSelect;
export type Product = typeof products.$inferSelect;
export type ProductImage = typeof productImages.$inferSelect;
