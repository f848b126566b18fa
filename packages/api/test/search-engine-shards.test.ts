import { openSearchEngine, type Rows } from '@buybuy/db';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import {
  ADMIN,
  expectSameSearchPages,
  expectSearchFollowsWrites,
  SEARCH_CASES,
  searchPage as page,
} from './fixtures/search-catalog';
import {
  type EngineBesideMroonga,
  engineBesideMroonga,
  expectDeepPagesAlike,
  runSearchRebuild,
} from './fixtures/search-engine';

/**
 * The search engine's index in two shards (`?shards=2`: `products_0` and
 * `products_1` behind the distributed index `products`, searched on two
 * threads at once; docs/architecture.md, "Shards"): a real `searchd`
 * serving them, against the Mroonga path in another database holding the
 * same catalog. Every product in its own shard, the same pages.
 */

/** The two-shard engine and the two databases (fixtures/search-engine.ts). */
let t: EngineBesideMroonga;
beforeAll(async () => {
  t = await engineBesideMroonga({ shards: 2 });
}, 60_000);
afterAll(() => t?.close());

/** The ids each shard holds, read from the shard itself. */
async function shardContents() {
  const read = async (shard: string) => {
    const [rows] = await t.engine.pool.query<Rows<{ id: number }>>(
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
  const [catalog] = await t.fed.pool.query<Rows<{ id: number }>>(
    'SELECT id FROM products ORDER BY id',
  );
  expect([...even, ...odd].sort((a, b) => a - b)).toEqual(catalog.map((row) => Number(row.id)));
  return { even, odd };
}

describe('a search engine in two shards', () => {
  it('is filled shard by shard, and searched through the distributed index', async () => {
    expect(t.failures).toEqual([]);
    expect(t.engine.ready).toBe(true);
    expect(t.engine.address.shards).toBe(2);
    const { even, odd } = await expectEachInItsShard();
    expect(even.length).toBeGreaterThan(10);
    expect(odd.length).toBeGreaterThan(10);
    expect(await t.engine.count()).toBe(even.length + odd.length);
    const spy = vi.spyOn(t.engine.pool, 'query');
    try {
      expect((await page(t.fed.db, { search: 'oak' })).total).toBeGreaterThan(0);
      expect(spy.mock.calls.map(([sql]) => String(sql))).toEqual([
        expect.stringMatching(/^SELECT id, WEIGHT\(\) AS score, .* FROM `products` WHERE MATCH/),
      ]);
    } finally {
      spy.mockRestore();
    }
  });

  it.each(SEARCH_CASES)('gives what the Mroonga path gives: %s', (_, raw) =>
    expectSameSearchPages(t.fed.db, t.indexed.db, t.ids, raw),
  );

  it('ranks across the shards as one index does: by occurrences, then newest, then id', async () => {
    for (const search of ['lamp', 'oak lamp', 'cable', 'number 1']) {
      const [viaEngine, viaMroonga] = await Promise.all([
        page(t.fed.db, { search, per_page: 100 }),
        page(t.indexed.db, { search, per_page: 100 }),
      ]);
      expect(viaEngine.total, search).toBe(viaMroonga.total);
      expect([...viaEngine.ids].sort(), search).toEqual([...viaMroonga.ids].sort());
      // Where both shards hold matches, the page holds even and odd ids.
      if (viaEngine.total > 3)
        expect(new Set(viaEngine.ids.map((id) => id % 2)), search).toEqual(new Set([0, 1]));
    }
    const cable = await page(t.fed.db, { search: 'cable', per_page: 100 }, ADMIN);
    const [rows] = await t.fed.pool.query<Rows<{ id: number; name: string }>>(
      `SELECT id, name FROM products WHERE id IN (${cable.ids.join(', ')})`,
    );
    const names = cable.ids.map((id) => rows.find((row) => Number(row.id) === id)!.name);
    // The two saying "cable" three times come first, from whichever shard.
    expect(names.slice(0, 2)).toEqual(['Folding Cable', 'Brass Cable']);
  });

  it('writes each product to its own shard: create, rename, hide, reprice, move, delete', async () => {
    await expectSearchFollowsWrites(t.fed.db, t.ids);
    await expectEachInItsShard();
    expect(t.failures).toEqual([]);
  });

  it('merges a deep page from both shards past the default window of 1,000 matches', () =>
    expectDeepPagesAlike(t, t.engine));

  it('is made whole again by `search:rebuild`, shard by shard', async () => {
    const before = await page(t.fed.db, { search: 'lamp', per_page: 100 }, ADMIN);
    // One shard lost products; the other holds one the catalog does not.
    await t.engine.pool.query('DELETE FROM products_1 WHERE id < 30');
    await t.engine.pool.query(
      "REPLACE INTO products_0 (id, name, description, category, price_cents, category_id, is_active, created_at) VALUES (999998, 'Ghost Lamp', '', 'cat1', 100, 1, 1, 0)",
    );
    expect(await page(t.fed.db, { search: 'lamp', per_page: 100 }, ADMIN)).not.toEqual(before);
    expect(await runSearchRebuild(t.fed.url, t.searchd.url)).toMatch(
      /rebuilt from products: \d+ products/,
    );
    await expectEachInItsShard();
    expect(await page(t.fed.db, { search: 'lamp', per_page: 100 }, ADMIN)).toEqual(before);
  });

  it('is never used where the engine’s indexes and the URL disagree, and says which index is missing', async () => {
    const wrong = async (url: string) => {
      const told: unknown[] = [];
      const mismatched = await openSearchEngine({
        primary: t.fed.pool,
        url,
        onError: (error) => told.push(error),
      });
      await mismatched.started;
      await mismatched.close();
      expect(mismatched.ready, url).toBe(false);
      expect(told, url).toHaveLength(1);
      return String(told[0]);
    };
    const base = t.searchd.url.replace(/\?.*/, '');
    expect(await wrong(`${base}?shards=3`)).toMatch(
      /no real-time index products_2 \(.* asks for 3 shards\): its configuration and SEARCH_ENGINE_URL must agree/,
    );
    expect(await wrong(base)).toMatch(/no real-time index products \(.* asks for one index\)/);
  });
});
