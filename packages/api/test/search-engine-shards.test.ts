import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import {
  type Database,
  openSearchEngine,
  products,
  type Rows,
  type SearchEngine,
  useSearchEngine,
} from '@buybuy/db';
import {
  createTestDatabase,
  startTestSearchd,
  type TestDatabase,
  type TestSearchd,
} from '@buybuy/db/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

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
 * The search engine's index in two shards (`?shards=2`: `products_0` and
 * `products_1` behind the distributed index `products`, searched on two
 * threads at once; docs/architecture.md, "Shards"): a real `searchd`
 * serving them, against the Mroonga path in another database holding the
 * same catalog. Every product in its own shard, the same pages.
 */

let searchd: TestSearchd;
let fed: TestDatabase;
let indexed: TestDatabase;
let engine: SearchEngine;
let ids: SearchCatalogIds;
const failures: Array<{ during: string; error: unknown }> = [];
const run = promisify(execFile);

beforeAll(async () => {
  [searchd, fed, indexed] = await Promise.all([
    startTestSearchd({ shards: 2 }),
    createTestDatabase(),
    createTestDatabase(),
  ]);
  ids = await fillSearchCatalog(fed.db);
  await fillSearchCatalog(indexed.db);
  engine = await openSearchEngine({
    primary: fed.pool,
    url: searchd.url,
    onError: (error, during) => failures.push({ during, error }),
    feedEveryMs: 50,
    retryAfterMs: 300,
  });
  useSearchEngine(fed.db, engine);
  await engine.started;
}, 60_000);
afterAll(async () => {
  await engine?.close();
  await Promise.all([searchd?.stop(), fed?.drop(), indexed?.drop()]);
});

/** The ids each shard holds, read from the shard itself. */
async function shardContents() {
  const read = async (shard: string) => {
    const [rows] = await engine.pool.query<Rows<{ id: number }>>(
      `SELECT id FROM ${shard} ORDER BY id ASC LIMIT 10000 OPTION max_matches=10000`,
    );
    return rows.map((row) => Number(row.id));
  };
  return { even: await read('products_0'), odd: await read('products_1') };
}

/** Every product in the shard its id says (`id % 2`), and each once: the catalog, split. */
async function expectEachInItsShard() {
  const { even, odd } = await shardContents();
  expect(even.every((id) => id % 2 === 0)).toBe(true);
  expect(odd.every((id) => id % 2 === 1)).toBe(true);
  const [catalog] = await fed.pool.query<Rows<{ id: number }>>(
    'SELECT id FROM products ORDER BY id',
  );
  expect([...even, ...odd].sort((a, b) => a - b)).toEqual(catalog.map((row) => Number(row.id)));
  return { even, odd };
}

describe('a search engine in two shards', () => {
  it('is filled shard by shard, and searched through the distributed index', async () => {
    expect(failures).toEqual([]);
    expect(engine.ready).toBe(true);
    expect(engine.address.shards).toBe(2);
    const { even, odd } = await expectEachInItsShard();
    expect(even.length).toBeGreaterThan(10);
    expect(odd.length).toBeGreaterThan(10);
    expect(await engine.count()).toBe(even.length + odd.length);
    const spy = vi.spyOn(engine.pool, 'query');
    try {
      expect((await page(fed.db, { search: 'oak' })).total).toBeGreaterThan(0);
      expect(spy.mock.calls.map(([sql]) => String(sql))).toEqual([
        expect.stringMatching(/^SELECT id, WEIGHT\(\) AS score, .* FROM `products` WHERE MATCH/),
      ]);
    } finally {
      spy.mockRestore();
    }
  });

  it.each(SEARCH_CASES)('gives what the Mroonga path gives: %s', (_, raw) =>
    expectSameSearchPages(fed.db, indexed.db, ids, raw),
  );

  it('ranks across the shards as one index does: by occurrences, then newest, then id', async () => {
    for (const search of ['lamp', 'oak lamp', 'cable', 'number 1']) {
      const [viaEngine, viaMroonga] = await Promise.all([
        page(fed.db, { search, per_page: 100 }),
        page(indexed.db, { search, per_page: 100 }),
      ]);
      expect(viaEngine.total, search).toBe(viaMroonga.total);
      expect([...viaEngine.ids].sort(), search).toEqual([...viaMroonga.ids].sort());
      // Where both shards hold matches, the page holds even and odd ids.
      if (viaEngine.total > 3)
        expect(new Set(viaEngine.ids.map((id) => id % 2)), search).toEqual(new Set([0, 1]));
    }
    const cable = await page(fed.db, { search: 'cable', per_page: 100 }, ADMIN);
    const [rows] = await fed.pool.query<Rows<{ id: number; name: string }>>(
      `SELECT id, name FROM products WHERE id IN (${cable.ids.join(', ')})`,
    );
    const names = cable.ids.map((id) => rows.find((row) => Number(row.id) === id)!.name);
    // The two saying "cable" three times come first, from whichever shard.
    expect(names.slice(0, 2)).toEqual(['Folding Cable', 'Brass Cable']);
  });

  it('writes each product to its own shard: create, rename, hide, reprice, move, delete', async () => {
    await expectSearchFollowsWrites(fed.db, ids);
    await expectEachInItsShard();
    expect(failures).toEqual([]);
  });

  it('merges a deep page from both shards past the default window of 1,000 matches', async () => {
    const bulk = Array.from({ length: 1_100 }, (_, n) => ({
      name: `Bulk Crate ${n}`,
      description: null,
      price: `${1 + (n % 90)}.00`,
      category_id: ids.lamps,
      created_at: new Date(Date.UTC(2025, 0, 1, 0, n)),
    }));
    await fed.db.insert(products).values(bulk);
    await indexed.db.insert(products).values(bulk);
    expect(await engine.feed()).toBe(true);
    const names = async (db: Database, query: Record<string, unknown>) => {
      const found = await listProducts(db, listProductsInput.parse(query), PUBLIC);
      return { names: found.items.map((item) => item.name), total: found.pagination.total };
    };
    for (const sort of ['newest', 'price_desc', 'relevance']) {
      const query = { search: 'crate', sort, per_page: 100, page: 11 };
      const [viaEngine, viaMroonga] = await Promise.all([
        names(fed.db, query),
        names(indexed.db, query),
      ]);
      expect(viaEngine.total).toBe(1_100);
      expect(viaEngine.names).toHaveLength(100);
      expect(viaEngine, sort).toEqual(viaMroonga);
    }
  });

  it('is made whole again by `search:rebuild`, shard by shard', async () => {
    const before = await page(fed.db, { search: 'lamp', per_page: 100 }, ADMIN);
    // One shard lost products; the other holds one the catalog does not.
    await engine.pool.query('DELETE FROM products_1 WHERE id < 30');
    await engine.pool.query(
      "REPLACE INTO products_0 (id, name, description, category, price_cents, category_id, is_active, created_at) VALUES (999998, 'Ghost Lamp', '', 'cat1', 100, 1, 1, 0)",
    );
    expect(await page(fed.db, { search: 'lamp', per_page: 100 }, ADMIN)).not.toEqual(before);
    const { stderr } = await run(
      process.execPath,
      ['--import', 'tsx', 'src/cli/search-rebuild.ts'],
      {
        cwd: fileURLToPath(new URL('../../db', import.meta.url)),
        env: { ...process.env, DATABASE_URL: fed.url, SEARCH_ENGINE_URL: searchd.url },
      },
    );
    expect(stderr).toMatch(/rebuilt from products: \d+ products/);
    await expectEachInItsShard();
    expect(await page(fed.db, { search: 'lamp', per_page: 100 }, ADMIN)).toEqual(before);
  });

  it('refuses to start where the engine’s indexes and the URL disagree', async () => {
    const wrong = async (url: string) => {
      const told: unknown[] = [];
      const mismatched = await openSearchEngine({
        primary: fed.pool,
        url,
        onError: (error) => told.push(error),
      });
      await mismatched.started;
      await mismatched.close();
      expect(mismatched.ready, url).toBe(false);
      expect(told, url).toHaveLength(1);
      return String(told[0]);
    };
    const base = searchd.url.replace(/\?.*/, '');
    expect(await wrong(`${base}?shards=3`)).toMatch(
      /no real-time index products_2 \(.* asks for 3 shards\): its configuration and SEARCH_ENGINE_URL must agree/,
    );
    expect(await wrong(base)).toMatch(/no real-time index products \(.* asks for one index\)/);
  });
});
