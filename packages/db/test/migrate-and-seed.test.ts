import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { categories, productImages, products, users } from '../src/schema';
import { seedCatalog } from '../src/seed';
import { createTestDatabase, type TestDatabase } from '../src/testing';

let test: TestDatabase;
beforeAll(async () => {
  test = await createTestDatabase();
});
afterAll(() => test.drop());

describe('migrations', () => {
  it('create every index of the architecture document', async () => {
    const [rows] = (await test.pool.query(
      `SELECT TABLE_NAME AS t, INDEX_NAME AS i, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) AS cols
         FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? GROUP BY t, i`,
      [test.name],
    )) as unknown as [{ t: string; i: string; cols: string }[]];
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

  it('store timestamps in UTC', async () => {
    await test.db.insert(categories).values({ name: 'Clock', slug: 'clock' });
    const [row] = await test.db.select().from(categories).where(eq(categories.slug, 'clock'));
    const [[now]] = (await test.pool.query('SELECT UTC_TIMESTAMP(3) AS now')) as unknown as [
      [{ now: Date }],
    ];
    expect(Math.abs(row!.created_at.getTime() - now.now.getTime())).toBeLessThan(60_000);
    await test.db.delete(categories).where(eq(categories.slug, 'clock'));
  });
});

describe('seedCatalog', () => {
  it('makes a tree several levels deep, demo users, and products with images', async () => {
    const lines: string[] = [];
    await seedCatalog(test.db, { products: 1500, log: (line) => lines.push(line) });

    const [{ n: productCount }] = (await test.db.select({ n: count() }).from(products)) as [
      { n: number },
    ];
    expect(productCount).toBe(1500);
    const [{ n: imageCount }] = (await test.db.select({ n: count() }).from(productImages)) as [
      { n: number },
    ];
    expect(imageCount).toBe(3000);
    const admins = await test.db.select().from(users).where(eq(users.is_staff, true));
    expect(admins.map((u) => u.email)).toEqual(['admin@buybuy.dev']);

    // depth: a leaf's parent has a parent
    const [[depth]] = (await test.pool.query(
      `SELECT COUNT(*) AS n FROM categories c JOIN categories p ON c.parent_id = p.id WHERE p.parent_id IS NOT NULL`,
    )) as unknown as [[{ n: number }]];
    expect(Number(depth.n)).toBeGreaterThan(10);
    expect(lines.join('')).toContain('1500/1500 products');
  });

  it('tops up to the requested size instead of duplicating', async () => {
    await seedCatalog(test.db, { products: 1600 });
    const [{ n }] = (await test.db.select({ n: count() }).from(products)) as [{ n: number }];
    expect(n).toBe(1600);
    const [[dupes]] = (await test.pool.query(
      'SELECT COUNT(*) - COUNT(DISTINCT slug) AS d FROM categories',
    )) as unknown as [[{ d: number }]];
    expect(Number(dupes.d)).toBe(0);
  });
});
