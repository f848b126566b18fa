import { categories, type Database, productCounts, products, type Rows, schema } from '@buybuy/db';
import { seedCatalog } from '@buybuy/db/seed';
import { createTestDatabase, productCountDrift, type TestDatabase } from '@buybuy/db/testing';
import { and, eq, isNull } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/mysql2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  createCategory,
  deleteCategory,
  loadCategoryTree,
  updateCategory,
} from '../src/categories/service';
import { listProductsInput } from '../src/products/schemas';
import { createProduct, deleteProduct, listProducts, updateProduct } from '../src/products/service';
import { appError } from './fixtures';

/**
 * List totals for category and stock filters come from `product_counts`,
 * which triggers on products keep exact. Every total here is checked against
 * the COUNT(*) path of the same list (a `min_price` of 0 keeps every product
 * but is counted over products), and the counters against COUNT(*) per bucket.
 */
let test: TestDatabase;
let statements: string[] = [];
// The same pool, with drizzle's logger recording the SQL listProducts sends.
let logged: Database;

const ADMIN = { includeInactive: true };
const PUBLIC = { includeInactive: false };
type Visibility = typeof ADMIN;
type Query = Record<string, unknown>;

beforeAll(async () => {
  test = await createTestDatabase();
  logged = drizzle(test.pool, {
    schema,
    mode: 'default',
    logger: { logQuery: (sql) => void statements.push(sql) },
  });
}, 60_000);
afterAll(() => test.drop());

async function listed(query: Query, visibility: Visibility) {
  statements = [];
  const page = await listProducts(logged, listProductsInput.parse(query), visibility);
  const counted = statements.some((sql) => /\bfrom `product_counts`/i.test(sql));
  return { total: page.pagination.total, counted };
}

/** The list's total, asserted to come from the counters and to equal COUNT(*). */
async function total(query: Query, visibility: Visibility = PUBLIC): Promise<number> {
  const fromCounters = await listed(query, visibility);
  const fromCount = await listed({ ...query, min_price: '0' }, visibility);
  expect(fromCounters.counted, `${JSON.stringify(query)} reads product_counts`).toBe(true);
  expect(fromCount.counted, `${JSON.stringify(query)} with a price counts products`).toBe(false);
  expect(fromCounters.total, JSON.stringify({ query, visibility })).toBe(fromCount.total);
  return fromCounters.total;
}

/** The four totals a category's list can show. */
async function totalsOf(categoryId: number) {
  return {
    public: await total({ category_id: categoryId }),
    in_stock: await total({ category_id: categoryId, in_stock: 'true' }),
    out_of_stock: await total({ category_id: categoryId, in_stock: 'false' }),
    admin: await total({ category_id: categoryId }, ADMIN),
  };
}

describe('totals on a seeded catalog', () => {
  const hidden: number[] = [];
  const shown: number[] = [];

  beforeAll(async () => {
    await seedCatalog(test.db, { products: 3000 });
    const departments = await test.db
      .select({ id: categories.id })
      .from(categories)
      .where(isNull(categories.parent_id))
      .orderBy(categories.id);
    // Hide one department (its whole subtree) and one mid-level category of another.
    const [hiddenDepartment, otherDepartment] = departments.map((row) => row.id);
    await updateCategory(test.db, hiddenDepartment!, { is_active: false });
    const [hiddenMiddle] = await test.db
      .select({ id: categories.id })
      .from(categories)
      .where(eq(categories.parent_id, otherDepartment!))
      .limit(1);
    await updateCategory(test.db, hiddenMiddle!.id, { is_active: false });

    const tree = await loadCategoryTree(test.db);
    for (const id of tree.byId.keys()) (tree.isPublic(id) ? shown : hidden).push(id);
  }, 120_000);

  it('seedCatalog leaves every counter exact', async () => {
    expect(await productCountDrift(test.pool)).toEqual([]);
    expect(hidden.length).toBeGreaterThan(3);
  });

  it('equals COUNT(*) for every category and stock filter, public and admin', async () => {
    const stock = [{}, { in_stock: 'true' }, { in_stock: 'false' }];
    const categoryFilters = (ids: number[]) => [{}, ...ids.map((id) => ({ category_id: id }))];
    const seen: number[] = [];
    const cases: Array<[Visibility, number[]]> = [
      [PUBLIC, shown],
      [ADMIN, [...shown, ...hidden]],
    ];
    for (const [visibility, ids] of cases) {
      for (const category of categoryFilters(ids))
        for (const inStock of stock)
          seen.push(await total({ ...category, ...inStock }, visibility));
    }
    // Not a comparison of zeros: most lists hold products.
    expect(seen.filter((n) => n > 0).length).toBeGreaterThan(seen.length / 2);
    const everything = await total({}, ADMIN);
    expect(everything).toBe(3000);
    expect(await total({})).toBeLessThan(everything);
  });

  it('hides the counters of hidden categories from the public total', async () => {
    const [[hiddenSum]] = await test.pool.query<Rows<{ n: string }>>(
      'SELECT COALESCE(SUM(n), 0) AS n FROM product_counts WHERE category_id IN (?) AND is_active = 1',
      [hidden],
    );
    expect(Number(hiddenSum!.n)).toBeGreaterThan(0);
    const [[active]] = await test.pool.query<Rows<{ n: number }>>(
      'SELECT COUNT(*) AS n FROM products WHERE is_active = 1',
    );
    expect(await total({})).toBe(Number(active!.n) - Number(hiddenSum!.n));
  });
});

describe('product writes keep the totals exact', () => {
  let a: number;
  let b: number;
  beforeAll(async () => {
    a = (await createCategory(test.db, { name: 'Counted A' })).id;
    b = (await createCategory(test.db, { name: 'Counted B' })).id;
  });

  it('counts a created product', async () => {
    expect(await totalsOf(a)).toEqual({ public: 0, in_stock: 0, out_of_stock: 0, admin: 0 });
    await createProduct(test.db, {
      name: 'Lamp',
      price: '10.00',
      category_id: a,
      stock_quantity: 5,
    });
    await createProduct(test.db, { name: 'Rug', price: '20.00', category_id: a });
    expect(await totalsOf(a)).toEqual({ public: 2, in_stock: 1, out_of_stock: 1, admin: 2 });
    expect(await productCountDrift(test.pool)).toEqual([]);
  });

  it('follows stock across zero, activity and moves, and not price changes', async () => {
    const product = await createProduct(test.db, {
      name: 'Mover',
      price: '5.00',
      category_id: a,
      stock_quantity: 5,
    });
    const bucket = () =>
      test.db
        .select({ category_id: productCounts.category_id, n: productCounts.n })
        .from(productCounts)
        .where(
          and(
            eq(productCounts.category_id, a),
            eq(productCounts.is_active, true),
            eq(productCounts.in_stock, true),
          ),
        );
    const before = await bucket();
    await updateProduct(test.db, product.id, { price: '7.50', stock_quantity: 4 });
    expect(await bucket()).toEqual(before);
    expect(await totalsOf(a)).toEqual({ public: 3, in_stock: 2, out_of_stock: 1, admin: 3 });

    await updateProduct(test.db, product.id, { stock_quantity: 0 });
    expect(await totalsOf(a)).toEqual({ public: 3, in_stock: 1, out_of_stock: 2, admin: 3 });
    await updateProduct(test.db, product.id, { stock_quantity: 5 });
    expect(await totalsOf(a)).toEqual({ public: 3, in_stock: 2, out_of_stock: 1, admin: 3 });

    await updateProduct(test.db, product.id, { is_active: false });
    expect(await totalsOf(a)).toEqual({ public: 2, in_stock: 1, out_of_stock: 1, admin: 3 });
    expect(await total({ category_id: a, in_stock: 'true' }, ADMIN)).toBe(2);
    await updateProduct(test.db, product.id, { is_active: true });
    expect(await totalsOf(a)).toEqual({ public: 3, in_stock: 2, out_of_stock: 1, admin: 3 });

    await updateProduct(test.db, product.id, { category_id: b });
    expect(await totalsOf(a)).toEqual({ public: 2, in_stock: 1, out_of_stock: 1, admin: 2 });
    expect(await totalsOf(b)).toEqual({ public: 1, in_stock: 1, out_of_stock: 0, admin: 1 });

    // Every dimension at once: category, activity and stock.
    await updateProduct(test.db, product.id, {
      category_id: a,
      is_active: false,
      stock_quantity: 0,
    });
    expect(await totalsOf(a)).toEqual({ public: 2, in_stock: 1, out_of_stock: 1, admin: 3 });
    expect(await totalsOf(b)).toEqual({ public: 0, in_stock: 0, out_of_stock: 0, admin: 0 });

    await deleteProduct(test.db, product.id);
    expect(await totalsOf(a)).toEqual({ public: 2, in_stock: 1, out_of_stock: 1, admin: 2 });
    expect(await productCountDrift(test.pool)).toEqual([]);
  });

  it('locks no counter row for a stock change that stays above zero', async () => {
    const product = await createProduct(test.db, {
      name: 'Busy',
      price: '5.00',
      category_id: b,
      stock_quantity: 10,
    });
    const lockCounter = (connection: {
      query: (sql: string, values: unknown[]) => Promise<unknown>;
    }) =>
      connection.query(
        'SELECT n FROM product_counts WHERE category_id = ? AND is_active = 1 AND in_stock = 1 FOR UPDATE NOWAIT',
        [b],
      );
    const seller = await test.pool.getConnection();
    const other = await test.pool.getConnection();
    try {
      await seller.query('START TRANSACTION');
      await seller.query('UPDATE products SET stock_quantity = 9, price = 6 WHERE id = ?', [
        product.id,
      ]);
      // Another transaction takes the counter row at once: the sale left it alone.
      await other.query('START TRANSACTION');
      await lockCounter(other);
      await other.query('ROLLBACK');

      // The last unit changes the bucket, so that sale does hold the row until it commits.
      await seller.query('UPDATE products SET stock_quantity = 0 WHERE id = ?', [product.id]);
      await other.query('START TRANSACTION');
      const refused = await lockCounter(other).then(
        () => undefined,
        (error: unknown) => error as { errno?: number },
      );
      // MariaDB answers NOWAIT with 1205 (lock wait timeout), MySQL 8 with 3572 (ER_LOCK_NOWAIT).
      expect([1205, 3572]).toContain(refused?.errno);
    } finally {
      await other.query('ROLLBACK');
      await seller.query('ROLLBACK');
      other.release();
      seller.release();
    }
    expect(await totalsOf(b)).toEqual({ public: 1, in_stock: 1, out_of_stock: 0, admin: 1 });
    await deleteProduct(test.db, product.id);
  });

  it('leaves the counters as they were when the transaction rolls back', async () => {
    const before = await totalsOf(a);
    let insideTransaction: number | undefined;
    const failed = await test.db
      .transaction(async (tx) => {
        await tx.insert(products).values({ name: 'Never', price: '1.00', category_id: a });
        const [row] = await tx
          .select({ n: productCounts.n })
          .from(productCounts)
          .where(
            and(
              eq(productCounts.category_id, a),
              eq(productCounts.is_active, true),
              eq(productCounts.in_stock, false),
            ),
          );
        insideTransaction = row?.n;
        throw new Error('rolled back');
      })
      .catch((error: unknown) => error);
    expect(failed).toEqual(new Error('rolled back'));
    // The trigger did count it inside the transaction, and the rollback took that back.
    expect(insideTransaction).toBe(before.out_of_stock + 1);
    expect(await totalsOf(a)).toEqual(before);
    expect(await productCountDrift(test.pool)).toEqual([]);
  });

  it('lets an emptied category be deleted, with its counter rows', async () => {
    const emptied = (await createCategory(test.db, { name: 'Emptied' })).id;
    const product = await createProduct(test.db, {
      name: 'Leaving',
      price: '3.00',
      category_id: emptied,
      stock_quantity: 1,
    });
    const countersOf = (categoryId: number) =>
      test.db
        .select({ n: productCounts.n })
        .from(productCounts)
        .where(eq(productCounts.category_id, categoryId));
    expect((await appError(deleteCategory(test.db, emptied))).code).toBe('CATEGORY_NOT_EMPTY');

    await updateProduct(test.db, product.id, { category_id: a });
    expect(await countersOf(emptied)).toEqual([{ n: 0 }]);
    expect(await deleteCategory(test.db, emptied)).toBeNull();
    expect(await countersOf(emptied)).toEqual([]);
    expect(await productCountDrift(test.pool)).toEqual([]);
  });
});
