import { categories, type Database, type Rows } from '@buybuy/db';
import * as schema from '@buybuy/db/schema';
import { seedCatalog } from '@buybuy/db/seed';
import { createTestDatabase, type TestDatabase } from '@buybuy/db/testing';
import { eq, isNull } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/mysql2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type ListProducts, listProductsInput } from '../src/products/schemas';
import { listProducts } from '../src/products/service';

/**
 * Every product-list query shape (each filter alone, each sort; the public
 * view, as the storefront asks) is EXPLAINed against 100k products, and none
 * may read the whole products table, neither the page nor its total.
 *
 * Lists filtered by category and stock alone take their total from
 * `product_counts` (kept by triggers on products): that statement must not
 * touch products at all. Price filters still COUNT(*) over products, answered
 * from an index alone (no row reads).
 *
 * Search reads the FULLTEXT index on (name, description) (migration 0007,
 * MATCH ... AGAINST in boolean mode): page and total alike, whatever the
 * sort or the other filters, and words the index cannot hold (short ones,
 * stopwords) are checked only on the rows it found. Words that also name a
 * category add that category's products, read apart through the category
 * index (an OR of the two would read the table).
 */
const PRODUCTS = 100_000;

interface PlanRow {
  table: string | null;
  type: string | null;
  key: string | null;
  rows: number | string | null;
  Extra: string | null;
}

interface Captured {
  sql: string;
  params: unknown[];
}

let db: TestDatabase;
let captured: Captured[] = [];
// The same pool, with drizzle's logger recording each statement listProducts sends.
let logged: Database;
const ids = { department: 0, leaf: 0 };
/** The department's own id and its descendants' (its products are in all of them). */
let department: number[] = [];
// How many rows product_counts holds: a sum over it may read them all, never more.
let counterRows = 0;

beforeAll(async () => {
  // The plans of the SQL path: searches through InnoDB FULLTEXT, as on a server
  // without Mroonga (the Mroonga path's statements: search-index.test.ts).
  db = await createTestDatabase({ searchIndex: false });
  await seedCatalog(db.db, { products: PRODUCTS });
  await db.pool.query('ANALYZE TABLE products, product_images, categories, product_counts');
  logged = drizzle(db.pool, {
    schema,
    mode: 'default',
    logger: { logQuery: (sql, params) => captured.push({ sql, params }) },
  });
  const [root] = await db.db
    .select({ id: categories.id })
    .from(categories)
    .where(isNull(categories.parent_id))
    .limit(1);
  ids.department = root!.id;
  const [subtree] = await db.pool.query<Rows<{ id: number }>>(
    `WITH RECURSIVE tree AS (SELECT id FROM categories WHERE id = ?
       UNION ALL SELECT c.id FROM categories c JOIN tree ON c.parent_id = tree.id)
     SELECT id FROM tree`,
    [ids.department],
  );
  department = subtree.map((row) => row.id);
  const [leaf] = await db.db
    .select({ id: categories.id })
    .from(categories)
    .where(eq(categories.slug, 'electronics-computers-laptops'));
  ids.leaf = leaf!.id;
  const [[counters]] = await db.pool.query<Rows<{ n: number }>>(
    'SELECT COUNT(*) AS n FROM product_counts',
  );
  counterRows = Number(counters!.n);
}, 180_000);
afterAll(() => db.drop());

/** The page and total statements listProducts sends for `input`, public visibility. */
async function statementsFor(input: Partial<ListProducts>) {
  captured = [];
  await listProducts(logged, listProductsInput.parse(input), { includeInactive: false });
  const onProducts = captured.filter((q) => /\bfrom [`"]?products[`"]?/i.test(q.sql));
  const count =
    onProducts.find((q) => /select count\(/i.test(q.sql)) ??
    captured.find((q) => /\bfrom [`"]?product_counts[`"]?/i.test(q.sql));
  const page = onProducts.find((q) => q !== count && /\blimit\b/i.test(q.sql));
  expect(page, 'the page statement').toBeDefined();
  expect(count, 'the total statement').toBeDefined();
  return { page: page!, count: count! };
}

async function explain({ sql, params }: Captured): Promise<PlanRow[]> {
  const [rows] = await db.pool.query(`EXPLAIN ${sql}`, params);
  return rows as PlanRow[];
}

const scansProducts = (plan: PlanRow[]) =>
  plan.some((row) => row.table === 'products' && row.type === 'ALL');
const describePlan = (plan: PlanRow[]) =>
  plan.map((row) => `${row.table}:${row.type}:${row.key}:${row.rows}:${row.Extra}`).join(' | ');

/** Where each shape's total comes from: the counters, or an index of products. */
type Counted = 'product_counts' | 'products index';
const SHAPES: Array<[string, Counted, () => Partial<ListProducts>]> = [
  ['no filter (newest)', 'product_counts', () => ({})],
  ['sort price_asc', 'product_counts', () => ({ sort: 'price_asc' })],
  ['sort price_desc', 'product_counts', () => ({ sort: 'price_desc' })],
  ['sort name', 'product_counts', () => ({ sort: 'name' })],
  ['a department (its whole subtree)', 'product_counts', () => ({ category_id: ids.department })],
  ['a leaf category', 'product_counts', () => ({ category_id: ids.leaf })],
  [
    'a leaf category by price',
    'product_counts',
    () => ({ category_id: ids.leaf, sort: 'price_asc' }),
  ],
  ['in_stock', 'product_counts', () => ({ in_stock: true })],
  ['out of stock', 'product_counts', () => ({ in_stock: false })],
  ['a leaf category in stock', 'product_counts', () => ({ category_id: ids.leaf, in_stock: true })],
  ['a deep page', 'product_counts', () => ({ page: 200, per_page: 50 })],
  ['min_price', 'products index', () => ({ min_price: '900.00' })],
  ['max_price', 'products index', () => ({ max_price: '20.00' })],
  [
    'a price band by price',
    'products index',
    () => ({ min_price: '100', max_price: '150', sort: 'price_asc' }),
  ],
];

describe(`product-list query plans on ${PRODUCTS} products`, () => {
  it.each(SHAPES)(
    '%s: the page does not scan products; the total comes from %s',
    async (_name, counted, input) => {
      const { page, count } = await statementsFor(input());
      const pagePlan = await explain(page);
      const countPlan = await explain(count);
      expect(scansProducts(pagePlan), `page: ${describePlan(pagePlan)}`).toBe(false);
      if (counted === 'product_counts') {
        // A sum over the counters: products is not read at all, and the rows
        // read are bounded by categories x 4, not by products.
        expect(
          countPlan.map((row) => row.table),
          `total: ${describePlan(countPlan)}`,
        ).toEqual(['product_counts']);
        expect(Number(countPlan[0]!.rows), `total: ${describePlan(countPlan)}`).toBeLessThanOrEqual(
          counterRows,
        );
      } else {
        expect(scansProducts(countPlan), `total: ${describePlan(countPlan)}`).toBe(false);
        // So the total stays cheap next to the page: counted from an index alone, no row reads.
        expect(countPlan[0]?.Extra ?? '', `total: ${describePlan(countPlan)}`).toContain(
          'Using index',
        );
      }
    },
  );

  it.each<[string, Partial<ListProducts>]>([
    ['by relevance', { search: 'quiet wireless' }],
    ['sorted by price', { search: 'wireless', sort: 'price_asc' }],
    ['with a short word beside', { search: 'tv wireless' }],
    ['in a category', { search: 'wireless', category_id: 0 }],
  ])('search %s: one statement, page and total, through the full-text index', async (_, input) => {
    const query = input.category_id === 0 ? { ...input, category_id: ids.department } : input;
    captured = [];
    await listProducts(logged, listProductsInput.parse(query), { includeInactive: false });
    // The page counts every match as it ranks them (count(*) over ()): no COUNT(*) of its own.
    const onProducts = captured.filter((q) => /\bfrom [`"]?products[`"]?/i.test(q.sql));
    expect(onProducts, 'one statement on products').toHaveLength(1);
    expect(onProducts[0]!.sql).toMatch(/count\(\*\) over \(\)/i);
    const plan = await explain(onProducts[0]!);
    expect(
      plan.filter((row) => row.table === 'products'),
      describePlan(plan),
    ).toEqual([expect.objectContaining({ type: 'fulltext', key: 'products_search_idx' })]);
  });

  it.each<[string, Partial<ListProducts>, string]>([
    ['a leaf by price', { sort: 'price_asc' }, 'products_category_active_price_idx'],
    ['a leaf by price, descending', { sort: 'price_desc' }, 'products_category_active_price_idx'],
    ['a leaf, newest first', { sort: 'newest' }, 'products_category_active_created_idx'],
    ['a leaf by name', { sort: 'name' }, 'products_category_active_name_idx'],
    ['a department by name', { sort: 'name' }, 'products_category_active_name_idx'],
    [
      'a leaf in a price band',
      { sort: 'price_asc', min_price: '100', max_price: '900' },
      'products_category_active_price_idx',
    ],
    ['a department by price', { sort: 'price_asc' }, 'products_category_active_price_idx'],
    [
      'a department in stock, newest first',
      { sort: 'newest', in_stock: true },
      'products_category_active_created_idx',
    ],
  ])('%s: each category read through its own range of %s', async (name, input, index) => {
    const category_id = name.includes('department') ? ids.department : ids.leaf;
    const { page } = await statementsFor({ ...input, category_id });
    const plan = await explain(page);
    const onProducts = plan.filter((row) => row.table === 'products');
    expect(onProducts.length, describePlan(plan)).toBeGreaterThan(0);
    for (const row of onProducts) {
      expect(row, describePlan(plan)).toMatchObject({ key: index });
      // The index holds the order: no category's rows are sorted, only the merged heads.
      expect(row.Extra ?? '', describePlan(plan)).not.toContain('filesort');
    }
  });

  it.each<[string, Partial<ListProducts>, string]>([
    ['price_asc', { sort: 'price_asc' }, 'p.price ASC, p.id ASC'],
    ['price_desc', { sort: 'price_desc' }, 'p.price DESC, p.id DESC'],
    ['newest', { sort: 'newest', in_stock: true }, 'p.created_at DESC, p.id DESC'],
    ['name', { sort: 'name' }, 'p.name ASC, p.id ASC'],
  ])(
    'a department by %s: the merged pages are the pages of the whole order',
    async (_, input, orderBy) => {
      // What the server answers when left to itself: the department's public products in order.
      const [order] = await db.pool.query<Rows<{ id: number }>>(
        `SELECT p.id FROM products p WHERE p.is_active = 1 AND p.category_id IN (${department.join(',')})
       ${input.in_stock ? 'AND p.stock_quantity > 0' : ''}
       ORDER BY ${orderBy}
       LIMIT 60`,
      );
      const pages = [];
      for (const page of [1, 2, 3]) {
        const listed = await listProducts(
          logged,
          listProductsInput.parse({ ...input, category_id: ids.department, page, per_page: 20 }),
          { includeInactive: false },
        );
        pages.push(...listed.items.map((item) => item.id));
      }
      expect(pages).toEqual(order.map((row) => row.id));
    },
  );

  it('search naming a category: each half through its own index, page and total', async () => {
    // `MATCH ... OR category_id IN (...)` would read the table: the full-text
    // matches and the category's other products are read apart (isSplit).
    captured = [];
    await listProducts(logged, listProductsInput.parse({ search: 'headphones' }), {
      includeInactive: false,
    });
    const onProducts = captured.filter((q) => /\bfrom [`"]?products[`"]?/i.test(q.sql));
    expect(onProducts.length, 'page and two counts').toBeGreaterThanOrEqual(3);
    for (const statement of onProducts) {
      const plan = await explain(statement);
      expect(scansProducts(plan), describePlan(plan)).toBe(false);
    }
  });
});
