import {
  createDatabase,
  type Database,
  hasSearchIndex,
  migrateDatabase,
  products,
  type Rows,
  schema,
  SEARCH_TABLE,
  syncSearchRows,
} from '@buybuy/db';
import { createTestDatabase, type TestDatabase } from '@buybuy/db/testing';
import { eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/mysql2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { listProductsInput } from '../src/products/schemas';
import { listProducts } from '../src/products/service';
import {
  ADMIN,
  expectSameSearchPages,
  expectSearchFollowsWrites,
  fillSearchCatalog,
  PUBLIC,
  SEARCH_CASES,
  type SearchCatalogIds,
  searchPage as page,
} from './fixtures/search-catalog';

/**
 * Search through the Mroonga index (packages/db/src/search-index.ts) against
 * the InnoDB FULLTEXT path it replaces where the server has Mroonga: the same
 * catalog in two databases, one with the index and one without, must give
 * the same products and the same totals for every search.
 */

let indexed: TestDatabase;
let plain: TestDatabase;
let ids: SearchCatalogIds;
beforeAll(async () => {
  [indexed, plain] = await Promise.all([
    createTestDatabase(),
    createTestDatabase({ searchIndex: false }),
  ]);
  ids = await fillSearchCatalog(indexed.db);
  await fillSearchCatalog(plain.db);
}, 60_000);
afterAll(() => Promise.all([indexed.drop(), plain.drop()]));

describe('the Mroonga search index', () => {
  it('is made where the server has Mroonga, and left out on request', async () => {
    expect(await hasSearchIndex(indexed.db)).toBe(true);
    expect(await hasSearchIndex(plain.db)).toBe(false);
    const [[count]] = await indexed.pool.query<Rows<{ n: number }>>(
      `SELECT COUNT(*) AS n FROM ${SEARCH_TABLE}`,
    );
    expect(Number(count!.n)).toBe(33);
  });

  it.each(SEARCH_CASES)('gives what the InnoDB path gives: %s', (_, raw) =>
    expectSameSearchPages(indexed.db, plain.db, ids, raw),
  );

  it('ranks the same matches by relevance, the named category after the text', async () => {
    for (const search of ['lamp', 'oak lamp', 'garden', 'headphones']) {
      const [viaIndex, viaInnodb] = await Promise.all([
        page(indexed.db, { search, per_page: 100 }),
        page(plain.db, { search, per_page: 100 }),
      ]);
      // The figures of relevance differ between the engines, the matches do not.
      expect(viaIndex.total).toBe(viaInnodb.total);
      expect([...viaIndex.ids].sort()).toEqual([...viaInnodb.ids].sort());
      expect(viaIndex.total).toBeGreaterThan(0);
    }
    // The text's match first (it is the oldest product), then the category's others, newest first.
    const named = await page(indexed.db, { search: 'headphones', per_page: 100 });
    const idOf = async (name: string) => {
      const [row] = await indexed.db
        .select({ id: products.id })
        .from(products)
        .where(eq(products.name, name));
      return row!.id;
    };
    expect(named.ids.slice(0, 3)).toEqual(
      await Promise.all(['Studio Headphones', 'Earbuds', 'Over-ear Cans'].map(idOf)),
    );
  });

  /** The indexed database through a handle that keeps every statement it sends. */
  function loggedIndexed() {
    const statements: string[] = [];
    const logged = drizzle(indexed.pool, {
      schema,
      mode: 'default',
      logger: { logQuery: (sql) => statements.push(sql) },
    });
    return { logged, statements };
  }

  it('answers a search in one Groonga statement and reads the page by primary key', async () => {
    const { logged, statements } = loggedIndexed();
    await listProducts(logged, listProductsInput.parse({ search: 'oak lamp' }), PUBLIC);
    expect(statements.filter((sql) => sql.includes('mroonga_command('))).toHaveLength(1);
    expect(statements.filter((sql) => /match\s*\(/i.test(sql))).toEqual([]);
    const byId = statements.find((sql) => /from `products` where `products`.`id` in/i.test(sql));
    expect(byId, statements.join('\n')).toBeDefined();
    const [plan] = await indexed.pool.query(`EXPLAIN ${byId!.replaceAll('?', '1')}`);
    expect(plan).toEqual([expect.objectContaining({ table: 'products', key: 'PRIMARY' })]);
  });

  it('reads the two halves of a search naming a category at once, a statement each', async () => {
    const { logged, statements } = loggedIndexed();
    let busy = 0;
    let most = 0;
    const acquire = () => (most = Math.max(most, ++busy));
    const release = () => busy--;
    indexed.pool.on('acquire', acquire).on('release', release);
    try {
      await listProducts(logged, listProductsInput.parse({ search: 'headphones' }), PUBLIC);
    } finally {
      indexed.pool.off('acquire', acquire).off('release', release);
    }
    expect(statements.filter((sql) => sql.includes('mroonga_command('))).toHaveLength(2);
    // The tree before them and the page's rows after them run alone.
    expect(most).toBe(2);
  });

  it('follows every product write: create, rename, hide, reprice, move, delete', async () => {
    await expectSearchFollowsWrites(indexed.db, ids);
  });

  it('puts back the search row of a write that was rolled back', async () => {
    const [row] = await indexed.db
      .select({ id: products.id })
      .from(products)
      .where(eq(products.name, 'Oak Table'));
    const id = row!.id;
    await expect(
      indexed.db.transaction(async (tx) => {
        await tx.update(products).set({ name: 'Zebra Table' }).where(eq(products.id, id));
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    // Mroonga kept what the rolled-back statement wrote...
    const [[kept]] = await indexed.pool.query<Rows<{ name: string }>>(
      `SELECT name FROM ${SEARCH_TABLE} WHERE id = ?`,
      [id],
    );
    expect(kept!.name).toBe('Zebra Table');
    // ...and the page, read from products, still shows the product as committed.
    const stale = await listProducts(
      indexed.db,
      listProductsInput.parse({ search: 'zebra' }),
      ADMIN,
    );
    expect(stale.items.map((item) => item.name)).toEqual(['Oak Table']);
    await syncSearchRows(indexed.db, [id]);
    expect(await page(indexed.db, { search: 'zebra' }, ADMIN)).toEqual({ ids: [], total: 0 });
    expect((await page(indexed.db, { search: 'oak table' }, ADMIN)).ids).toContain(id);
  });

  it('is made and filled for an existing catalog by the next migration', async () => {
    await migrateDatabase(plain.url);
    const handle = createDatabase(plain.url, { poolSize: 2 });
    try {
      expect(await hasSearchIndex(handle.db)).toBe(true);
      for (const query of [
        { search: 'lamp', sort: 'price_asc' },
        { search: 'headphones', sort: 'newest' },
      ]) {
        expect(await page(handle.db, query)).toEqual(await page(indexed.db, query));
      }
    } finally {
      await handle.close();
    }
  });

  it('reads short words and stopwords as word prefixes, and words of letters and digits as phrases', async () => {
    const made = [
      { name: 'Roof Rack', description: 'fits any car', price: '50.00', category_id: ids.lamps },
      {
        name: 'Wall Mount',
        description: 'holds 4K screens, one USB3 port',
        price: '30.00',
        category_id: ids.lamps,
      },
    ];
    await indexed.db.insert(products).values(made);
    await plain.db.insert(products).values(made);
    const names = async (db: Database, search: string) =>
      (
        await listProducts(db, listProductsInput.parse({ search, sort: 'newest' }), PUBLIC)
      ).items.map((item) => item.name);
    for (const [search, found] of [
      ['4k', ['Wall Mount']],
      ['usb3 port', ['Wall Mount']],
      ['roof', ['Roof Rack']],
      ['any car', ['Roof Rack']],
      // Every word a word prefix: "of" is no word's start here ("roof" ends with it).
      ['of', []],
    ] as const) {
      expect(await names(indexed.db, search), search).toEqual(found);
    }
    // The SQL path matches words InnoDB cannot index as substrings...
    expect(await names(plain.db, 'of')).toEqual(['Roof Rack']);
    // ...and a handle opened with searchIndex: false (SEARCH_INDEX=false) takes it, index or not.
    const sqlOnly = createDatabase(indexed.url, { poolSize: 1, searchIndex: false });
    try {
      expect(await hasSearchIndex(sqlOnly.db)).toBe(false);
      expect(await names(sqlOnly.db, 'of')).toEqual(['Roof Rack']);
    } finally {
      await sqlOnly.close();
    }
  });
});
