import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { count, eq, sum } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { migrationsFolder } from '../src/migrate';
import type { Rows } from '../src/rows';
import { categories, productCounts, productImages, products, users } from '../src/schema';
import { seedCatalog } from '../src/seed';
import { createTestDatabase, productCountDrift, type TestDatabase } from '../src/testing';

let test: TestDatabase;
beforeAll(async () => {
  test = await createTestDatabase();
});
afterAll(() => test.drop());

describe('migrations', () => {
  it('create every index of the architecture document', async () => {
    const [rows] = await test.pool.query<Rows<{ t: string; i: string; cols: string }>>(
      `SELECT TABLE_NAME AS t, INDEX_NAME AS i, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) AS cols
         FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? GROUP BY t, i`,
      [test.name],
    );
    const indexed = new Set(rows.map((r) => `${r.t}(${r.cols})`));
    for (const expected of [
      'users(email)',
      'users(username)',
      'products(category_id)',
      'products(price)',
      'products(is_active)',
      'products(created_at)',
      'products(category_id,is_active,price)',
      'products(is_active,created_at)',
      'categories(slug)',
      'categories(parent_id)',
      'categories(is_active)',
    ]) {
      expect(indexed, expected).toContain(expected);
    }
  });

  it('keep product_counts with AFTER triggers for each kind of product write', async () => {
    const [rows] = await test.pool.query<Rows<{ name: string; timing: string; event: string }>>(
      `SELECT TRIGGER_NAME AS name, ACTION_TIMING AS timing, EVENT_MANIPULATION AS event
         FROM information_schema.TRIGGERS WHERE EVENT_OBJECT_SCHEMA = ? AND EVENT_OBJECT_TABLE = 'products'
        ORDER BY name`,
      [test.name],
    );
    expect(rows.filter((row) => row.name.startsWith('products_count_'))).toEqual([
      { name: 'products_count_delete', timing: 'AFTER', event: 'DELETE' },
      { name: 'products_count_insert', timing: 'AFTER', event: 'INSERT' },
      { name: 'products_count_update', timing: 'AFTER', event: 'UPDATE' },
    ]);
    // And the Mroonga search index's, where the server has the engine (search-index.ts).
    const [engines] = await test.pool.query<Rows<{ n: number }>>(
      "SELECT COUNT(*) AS n FROM information_schema.ENGINES WHERE ENGINE = 'Mroonga' AND SUPPORT IN ('YES', 'DEFAULT')",
    );
    const search = Number(engines[0]!.n) > 0;
    expect(rows.filter((row) => !row.name.startsWith('products_count_'))).toEqual(
      search
        ? [
            { name: 'products_search_delete', timing: 'AFTER', event: 'DELETE' },
            { name: 'products_search_insert', timing: 'AFTER', event: 'INSERT' },
            { name: 'products_search_update', timing: 'AFTER', event: 'UPDATE' },
          ]
        : [],
    );
  });

  it('store timestamps in UTC', async () => {
    await test.db.insert(categories).values({ name: 'Clock', slug: 'clock' });
    const [row] = await test.db.select().from(categories).where(eq(categories.slug, 'clock'));
    const [[now]] = await test.pool.query<Rows<{ now: Date }>>('SELECT UTC_TIMESTAMP(3) AS now');
    expect(Math.abs(row!.created_at.getTime() - now!.now.getTime())).toBeLessThan(60_000);
    await test.db.delete(categories).where(eq(categories.slug, 'clock'));
  });
});

describe('seedCatalog', () => {
  it('makes a tree several levels deep, demo users, and products', async () => {
    const lines: string[] = [];
    await seedCatalog(test.db, { products: 1500, log: (line) => lines.push(line) });

    const [{ n: productCount }] = (await test.db.select({ n: count() }).from(products)) as [
      { n: number },
    ];
    expect(productCount).toBe(1500);
    // Pictures are drawn only into a given image store (seed.test.ts): none here.
    const [{ n: imageCount }] = (await test.db.select({ n: count() }).from(productImages)) as [
      { n: number },
    ];
    expect(imageCount).toBe(0);
    const admins = await test.db.select().from(users).where(eq(users.is_staff, true));
    expect(admins.map((u) => u.email)).toEqual(['admin@buybuy.dev']);

    // depth: a leaf's parent has a parent
    const [[depth]] = await test.pool.query<Rows<{ n: number }>>(
      `SELECT COUNT(*) AS n FROM categories c JOIN categories p ON c.parent_id = p.id WHERE p.parent_id IS NOT NULL`,
    );
    expect(Number(depth!.n)).toBeGreaterThan(10);
    expect(lines.join('')).toContain('1500/1500 products');
  });

  it('counts every seeded product in product_counts (its inserts fire the triggers)', async () => {
    expect(await productCountDrift(test.pool)).toEqual([]);
    const [{ n }] = (await test.db.select({ n: sum(productCounts.n) }).from(productCounts)) as [
      { n: string | null },
    ];
    expect(Number(n)).toBe(1500);
  });

  it('tops up to the requested size instead of duplicating', async () => {
    await seedCatalog(test.db, { products: 1600 });
    const [{ n }] = (await test.db.select({ n: count() }).from(products)) as [{ n: number }];
    expect(n).toBe(1600);
    const [[dupes]] = await test.pool.query<Rows<{ d: number }>>(
      'SELECT COUNT(*) - COUNT(DISTINCT slug) AS d FROM categories',
    );
    expect(Number(dupes!.d)).toBe(0);
    expect(await productCountDrift(test.pool)).toEqual([]);
  });
});

describe('the product_counts migration', () => {
  it('backfills exact counters for the products that existed before it, overwriting stale ones', async () => {
    // Back to the state before 0004 ran, with wrong counters on top: no triggers, one bucket missing, one off.
    for (const event of ['insert', 'update', 'delete'])
      await test.pool.query(`DROP TRIGGER products_count_${event}`);
    const [[first]] = await test.pool.query<
      Rows<{ category_id: number; is_active: number; in_stock: number }>
    >(
      'SELECT category_id, is_active, in_stock FROM product_counts WHERE n > 0 ORDER BY category_id LIMIT 1',
    );
    await test.pool.query(
      'DELETE FROM product_counts WHERE category_id = ? AND is_active = ? AND in_stock = ?',
      [first!.category_id, first!.is_active, first!.in_stock],
    );
    await test.pool.query('UPDATE product_counts SET n = 999 WHERE n > 0 LIMIT 1');
    expect(await productCountDrift(test.pool)).toHaveLength(2);

    const migration = await readFile(
      join(migrationsFolder, '0004_product_counts_triggers.sql'),
      'utf8',
    );
    for (const statement of migration.split('--> statement-breakpoint'))
      await test.pool.query(statement);

    expect(await productCountDrift(test.pool)).toEqual([]);
    // The triggers are back too: a new product is counted.
    const [category] = await test.db.select({ id: categories.id }).from(categories).limit(1);
    await test.db
      .insert(products)
      .values({ name: 'After', price: '1.00', category_id: category!.id });
    expect(await productCountDrift(test.pool)).toEqual([]);
  });
});
