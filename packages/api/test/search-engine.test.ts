import {
  openSearchEngine,
  products,
  type Rows,
  SEARCH_QUEUE_TABLE,
  type SearchEngine,
  syncSearchRows,
  useSearchEngine,
} from '@buybuy/db';
import type { TestDatabase, TestSearchd } from '@buybuy/db/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import { createProduct, updateProduct } from '../src/products/service';
import {
  ADMIN,
  expectSameSearchPages,
  expectSearchFollowsWrites,
  SEARCH_CASES,
  type SearchCatalogIds,
  searchPage as page,
} from './fixtures/search-catalog';
import {
  type EngineBesideMroonga,
  engineBesideMroonga,
  expectDeepPagesAlike,
  runSearchRebuild,
} from './fixtures/search-engine';

/**
 * Search through a search engine of its own (packages/db/src/search-engine.ts,
 * products/engine-search.ts): a real `searchd` (Debian's Sphinx 2.2) fed
 * from a database of its own, against the Mroonga path in another database
 * holding the same catalog. Same products, same totals, same order.
 */

let setup: EngineBesideMroonga;
let searchd: TestSearchd;
let fed: TestDatabase;
let indexed: TestDatabase;
let engine: SearchEngine;
let ids: SearchCatalogIds;
let failures: EngineBesideMroonga['failures'];

beforeAll(async () => {
  setup = await engineBesideMroonga();
  ({ searchd, fed, indexed, engine, ids, failures } = setup);
}, 60_000);
afterAll(() => setup?.close());

/** The statements the engine was sent while `work` ran. */
async function engineStatements(work: () => Promise<unknown>) {
  const spy = vi.spyOn(engine.pool, 'query');
  try {
    await work();
    return spy.mock.calls.map(([sql]) => String(sql));
  } finally {
    spy.mockRestore();
  }
}

/** A lamp of that name, as the API takes it. */
const aLamp = (name: string) => ({
  name,
  description: null,
  price: '12.00',
  category_id: ids.lamps,
});

/** A product made through the API in the engine's database, and alike in Mroonga's. */
async function madeInBoth(product: Parameters<typeof createProduct>[1]) {
  await createProduct(fed.db, product);
  await indexed.db.insert(products).values(product);
}

describe('the search engine', () => {
  it('is filled from the catalog when it starts empty, and then answers searches', async () => {
    expect(engine.ready).toBe(true);
    expect(await engine.count()).toBe(33);
    expect(failures).toEqual([]);
    const statements = await engineStatements(() => page(fed.db, { search: 'oak' }));
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatch(/^SELECT id, WEIGHT\(\) AS score/);
  });

  it.each(SEARCH_CASES)('gives what the Mroonga path gives: %s', (_, raw) =>
    expectSameSearchPages(fed.db, indexed.db, ids, raw),
  );

  it('ranks the same matches by how often the words occur, then newest', async () => {
    const [rows] = await fed.pool.query<
      Rows<{ id: number; name: string; description: string | null; created_at: Date }>
    >('SELECT id, name, description, created_at FROM products WHERE is_active = 1');
    /** A word's occurrences as word starts in the name and the description. */
    const occurrences = (text: string | null, words: string[]) =>
      (text ?? '')
        .toLowerCase()
        .split(/[^\p{L}\p{N}]+/u)
        .filter((token) => words.some((word) => token.startsWith(word))).length;
    for (const search of ['lamp', 'oak lamp', 'garden', 'cable', 'number 1']) {
      const [viaEngine, viaMroonga] = await Promise.all([
        page(fed.db, { search, per_page: 100 }),
        page(indexed.db, { search, per_page: 100 }),
      ]);
      expect(viaEngine.total, search).toBe(viaMroonga.total);
      expect([...viaEngine.ids].sort(), search).toEqual([...viaMroonga.ids].sort());
      expect(viaEngine.total).toBeGreaterThan(0);
      const words = search.split(' ');
      const score = (row: (typeof rows)[number]) =>
        occurrences(row.name, words) + occurrences(row.description, words);
      const expected = rows
        .filter((row) => viaEngine.ids.includes(Number(row.id)))
        .sort(
          (a, b) =>
            score(b) - score(a) ||
            b.created_at.getTime() - a.created_at.getTime() ||
            Number(b.id) - Number(a.id),
        )
        .map((row) => Number(row.id));
      expect(viaEngine.ids, search).toEqual(expected);
    }
    // Products saying "cable" three times come first, ahead of newer ones saying it twice.
    const cable = (await page(fed.db, { search: 'cable', per_page: 100 })).ids.map((id) =>
      rows.find((row) => Number(row.id) === id)!,
    );
    expect(cable.map((row) => row.name).slice(0, 2)).toEqual(['Folding Cable', 'Brass Cable']);
    expect(cable[2]!.created_at.getTime()).toBeGreaterThan(cable[1]!.created_at.getTime());
  });

  it('reads the two halves of a search naming a category at once', async () => {
    let busy = 0;
    let most = 0;
    const acquire = () => (most = Math.max(most, ++busy));
    const release = () => busy--;
    engine.pool.on('acquire', acquire).on('release', release);
    try {
      const statements = await engineStatements(() => page(fed.db, { search: 'headphones' }));
      expect(statements).toHaveLength(2);
      expect(statements[1]).toContain(`@category (cat${ids.headphones})`);
    } finally {
      engine.pool.off('acquire', acquire).off('release', release);
    }
    expect(most).toBe(2);
  });

  it('reads short words as word prefixes and words of letters and digits as phrases, as Groonga does', async () => {
    const made = [
      { name: 'Roof Rack', description: 'fits any car', price: '50.00', category_id: ids.lamps },
      {
        name: 'Wall Mount',
        description: 'holds 4K screens, one USB3 port',
        price: '30.00',
        category_id: ids.lamps,
      },
      { name: 'Cable Reel', description: 'usb 3 and usb 2', price: '9.00', category_id: ids.lamps },
    ];
    for (const product of made) await madeInBoth(product);
    for (const search of ['4k', 'usb3 port', 'usb3', 'roof', 'any car', 'of', 'cab']) {
      const [viaEngine, viaMroonga] = await Promise.all([
        page(fed.db, { search, sort: 'newest' }),
        page(indexed.db, { search, sort: 'newest' }),
      ]);
      expect(viaEngine, search).toEqual(viaMroonga);
    }
    expect((await page(fed.db, { search: 'usb3' })).total).toBe(2);
    expect((await page(fed.db, { search: 'of' })).total).toBe(0);
  });

  it('leaves a word of a script it does not read to the database', async () => {
    await madeInBoth(aLamp('Tokyo 東京 Lantern'));
    for (const search of ['東京', 'lantern 東京']) {
      const statements = await engineStatements(async () => {
        const [viaEngine, viaMroonga] = await Promise.all([
          page(fed.db, { search, sort: 'newest' }),
          page(indexed.db, { search, sort: 'newest' }),
        ]);
        expect(viaEngine.total, search).toBe(1);
        expect(viaEngine.total).toBe(viaMroonga.total);
      });
      expect(statements, search).toEqual([]);
    }
    // Greek, Cyrillic and accented Latin are the engine's own, case and accents folded.
    await madeInBoth(aLamp('Lampe Électrique Москва'));
    for (const search of ['electrique', 'ÉLECTRIQUE', 'москва']) {
      const statements = await engineStatements(async () =>
        expect((await page(fed.db, { search })).total, search).toBe(1),
      );
      expect(statements, search).toHaveLength(1);
    }
    expect(failures).toEqual([]);
  });

  it('has every product write through the API before the write returns: create, rename, hide, reprice, move, delete', async () => {
    await expectSearchFollowsWrites(fed.db, ids);
    const [[catalog]] = await fed.pool.query<Rows<{ n: number }>>(
      'SELECT COUNT(*) AS n FROM products',
    );
    expect(await engine.count()).toBe(Number(catalog!.n));
  });

  it('takes writes made outside the API from the queue within a feed tick', async () => {
    const [row] = await fed.db
      .select({ id: products.id })
      .from(products)
      .where(eq(products.name, 'Brass Stand'));
    await fed.pool.query("UPDATE products SET name = 'Velvet Stand' WHERE id = ?", [row!.id]);
    await vi.waitFor(
      async () =>
        expect(await page(fed.db, { search: 'velvet' }, ADMIN)).toEqual({
          ids: [row!.id],
          total: 1,
        }),
      { timeout: 5_000, interval: 50 },
    );
    expect(await page(fed.db, { search: 'brass stand' }, ADMIN)).toEqual({ ids: [], total: 0 });
    // A stock move (every sale) is not a search's business: it queues nothing.
    await fed.pool.query('UPDATE products SET stock_quantity = stock_quantity + 1 WHERE id = ?', [
      row!.id,
    ]);
    const [queued] = await fed.pool.query<Rows<{ n: number }>>(
      `SELECT COUNT(*) AS n FROM ${SEARCH_QUEUE_TABLE}`,
    );
    expect(Number(queued[0]!.n)).toBe(0);
  });

  it('queues nothing for a write that was rolled back', async () => {
    const [row] = await fed.db
      .select({ id: products.id })
      .from(products)
      .where(eq(products.name, 'Oak Table'));
    await expect(
      fed.db.transaction(async (tx) => {
        await tx.update(products).set({ name: 'Zebra Table' }).where(eq(products.id, row!.id));
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await engine.feed()).toBe(true);
    expect(await page(fed.db, { search: 'zebra' }, ADMIN)).toEqual({ ids: [], total: 0 });
    // This database's Mroonga table kept the rolled-back name (it takes no part
    // in transactions); the API would put it back, as here (search-index.ts).
    await syncSearchRows(fed.db, [row!.id]);
    expect((await page(fed.db, { search: 'oak table' }, ADMIN)).ids).toContain(row!.id);
  });

  it('ends up holding what the database holds when writes race the feed', async () => {
    const [rows] = await fed.pool.query<Rows<{ id: number }>>(
      "SELECT id FROM products WHERE name LIKE 'Quiet %' ORDER BY id",
    );
    const targets = rows.map((row) => Number(row.id));
    // Ten rounds of renames, each product renamed by several writers at once,
    // while the feed runs every 50 ms and the API feeds after each write.
    const words = ['Amber', 'Birch', 'Cedar', 'Dune', 'Ember'];
    await Promise.all(
      Array.from({ length: 10 }, (_, round) =>
        Promise.all(
          targets.map((id, i) =>
            updateProduct(fed.db, id, { name: `${words[(round + i) % words.length]} Quiet ${id}` }),
          ),
        ),
      ),
    );
    expect(await engine.feed()).toBe(true);
    const [final] = await fed.pool.query<Rows<{ id: number; name: string }>>(
      `SELECT id, name FROM products WHERE id IN (${targets.join(', ')})`,
    );
    for (const product of final) {
      const word = product.name.split(' ')[0]!.toLowerCase();
      const found = await page(fed.db, { search: `${word} quiet`, per_page: 100 }, ADMIN);
      expect(found.ids, product.name).toContain(Number(product.id));
      // The other words each name had are gone from it.
      for (const other of words.filter((each) => each.toLowerCase() !== word)) {
        const stale = await page(fed.db, { search: `${other} quiet ${product.id}` }, ADMIN);
        expect(stale.ids, `${other} ${product.name}`).not.toContain(Number(product.id));
      }
    }
    expect(failures).toEqual([]);
  });

  it('answers from the database while the engine is away, and catches up when it is back', async () => {
    await searchd.kill();
    let back = false;
    try {
      const whileAway = await page(fed.db, { search: 'lamp', sort: 'price_asc' });
      expect(whileAway).toEqual(await page(indexed.db, { search: 'lamp', sort: 'price_asc' }));
      // Told by this search, or before it by a feed tick that found the engine's connection closed.
      expect(failures).not.toEqual([]);
      // The next searches go straight to the database: one failure, not one each.
      const skipped = await engineStatements(async () =>
        expect(await page(fed.db, { search: 'oak', sort: 'newest' })).toEqual(
          await page(indexed.db, { search: 'oak', sort: 'newest' }),
        ),
      );
      expect(skipped).toEqual([]);
      // A write while it is away: committed and queued. The engine that comes
      // back is checked as at start (it may be a new, empty one): those tries fail meanwhile, and are told.
      const created = await createProduct(fed.db, aLamp('Pewter Lamp'));
      const [queued] = await fed.pool.query<Rows<{ product_id: number }>>(
        `SELECT product_id FROM ${SEARCH_QUEUE_TABLE}`,
      );
      expect(queued.map((entry) => Number(entry.product_id))).toContain(created.id);
      await vi.waitFor(() => expect(failures.map((failure) => failure.during)).toContain('fill'), {
        timeout: 5_000,
      });
      await searchd.restart();
      back = true;
      // Back, and checked as at start: the engine answers the search, and has the write.
      await vi.waitFor(() => expect(engine.searchable()).toBe(true), {
        timeout: 10_000,
        interval: 50,
      });
      const asked = await engineStatements(async () =>
        expect(await page(fed.db, { search: 'pewter' })).toEqual({ ids: [created.id], total: 1 }),
      );
      expect(asked).toHaveLength(1);
    } finally {
      if (!back) await searchd.restart();
      failures.length = 0;
    }
  });

  it('is made whole again by `search:rebuild` (an index that lost products, or holds one gone)', async () => {
    const before = await page(fed.db, { search: 'lamp', per_page: 100 }, ADMIN);
    // Half of it lost, and a product it still holds that the catalog does not.
    await engine.pool.query('DELETE FROM products WHERE id < 20');
    await engine.pool.query(
      "REPLACE INTO products (id, name, description, category, price_cents, category_id, is_active, created_at) VALUES (999999, 'Ghost Lamp', '', 'cat1', 100, 1, 1, 0)",
    );
    expect(await page(fed.db, { search: 'lamp', per_page: 100 }, ADMIN)).not.toEqual(before);
    const stderr = await runSearchRebuild(fed.url, searchd.url);
    const [[catalog]] = await fed.pool.query<Rows<{ n: number }>>(
      'SELECT COUNT(*) AS n FROM products',
    );
    expect(stderr).toContain(`rebuilt from products: ${catalog!.n} products`);
    expect(await engine.count()).toBe(Number(catalog!.n));
    expect(await page(fed.db, { search: 'lamp', per_page: 100 }, ADMIN)).toEqual(before);
  });

  it('is filled again when it comes back without its index (a volume lost), searches reading the database until then', async () => {
    const search = () => page(fed.db, { search: 'lamp', per_page: 100 }, ADMIN);
    const before = await search();
    const [[catalog]] = await fed.pool.query<Rows<{ n: number }>>(
      'SELECT COUNT(*) AS n FROM products',
    );
    await searchd.kill();
    try {
      // The search that finds it away reads the database.
      expect(await search()).toEqual(before);
    } finally {
      await searchd.restart({ lost: true });
    }
    // Every search until the engine is trusted again: the whole answer, never the empty index's.
    const deadline = Date.now() + 10_000;
    while (!engine.searchable()) {
      expect(Date.now()).toBeLessThan(deadline);
      expect(await search()).toEqual(before);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await engine.count()).toBe(Number(catalog!.n));
    const asked = await engineStatements(async () => expect(await search()).toEqual(before));
    expect(asked).not.toEqual([]);
    expect(failures).not.toEqual([]);
    failures.length = 0;
  });

  it('is filled once when two instances find it empty at once', async () => {
    const other = await openSearchEngine({
      primary: fed.pool,
      url: searchd.url,
      feedEveryMs: 50,
      retryAfterMs: 300,
    });
    try {
      await other.started;
      expect(other.ready).toBe(true);
      const [[catalog]] = await fed.pool.query<Rows<{ n: number }>>(
        'SELECT COUNT(*) AS n FROM products',
      );
      const writes = [engine, other].map((each) => vi.spyOn(each.pool, 'query'));
      try {
        await searchd.kill();
        await searchd.restart({ lost: true });
        await vi.waitFor(
          () => expect([engine, other].map((each) => each.searchable())).toEqual([true, true]),
          { timeout: 10_000, interval: 50 },
        );
        expect(await engine.count()).toBe(Number(catalog!.n));
        // One batch of this catalog's products, written by one of the two.
        const replaces = writes
          .flatMap((spy) => spy.mock.calls)
          .filter(([sql]) => String(sql).startsWith('REPLACE INTO'));
        expect(replaces).toHaveLength(1);
      } finally {
        writes.forEach((spy) => spy.mockRestore());
      }
    } finally {
      await other.close();
      failures.length = 0;
    }
  });
});

describe('a deep page', () => {
  it('reaches past the engine’s default window of 1,000 matches', () =>
    expectDeepPagesAlike(setup, engine));
});

describe('closing', () => {
  it('waits for the feed under way, which stops at its batch: the rest stays queued for the next start', async () => {
    // More than one feed batch queued by raw SQL, so a feed has several to take.
    await fed.pool.query(
      "INSERT INTO products (name, price, category_id) SELECT CONCAT('Closing Kettle ', seq), 5.00, ? FROM seq_1_to_2500",
      [ids.lamps],
    );
    const feeding = engine.feed();
    await engine.close();
    expect(await feeding).toBe(true);
    expect(failures).toEqual([]);
    const [[queued]] = await fed.pool.query<Rows<{ n: number }>>(
      `SELECT COUNT(*) AS n FROM ${SEARCH_QUEUE_TABLE}`,
    );
    expect(Number(queued!.n)).toBeGreaterThan(0);

    // Opened again, it finds the index short of the catalog and fills it.
    setup.engine = engine = await openSearchEngine({
      primary: fed.pool,
      url: searchd.url,
      onError: (error, during) => failures.push({ during, error }),
    });
    useSearchEngine(fed.db, engine);
    await engine.started;
    expect(engine.ready).toBe(true);
    expect(await page(fed.db, { search: 'closing kettle' }, ADMIN)).toMatchObject({ total: 2_500 });
    expect(failures).toEqual([]);
  });
});
