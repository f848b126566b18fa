import { openSearchEngine, type SearchEngine, useSearchEngine } from '@buybuy/db';
import { startTestSearchd, type TestSearchd } from '@buybuy/db/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import { scrapeMetrics, startTestApp, type TestApp } from './harness';

/**
 * The server with a search engine (SEARCH_ENGINE_URL; packages/db's
 * search-engine.ts): a real searchd beside the real app. Searches on both
 * faces go to it, an admin's write is found by the next search, and while
 * it is away /ready says so and searches still answer, from the database.
 */

let t: TestApp;
let searchd: TestSearchd;
let engine: SearchEngine;
let admin: string;
const failures: string[] = [];

beforeAll(async () => {
  [t, searchd] = await Promise.all([startTestApp(), startTestSearchd()]);
  admin = await t.tokenFor('engine-admin', { admin: true });
  const category = await t.rest('POST', '/v1/categories', {
    token: admin,
    body: { name: 'Lamps' },
  });
  for (const name of ['Oak Desk Lamp', 'Brass Floor Lamp', 'Oak Shelf']) {
    const res = await t.rest('POST', '/v1/products', {
      token: admin,
      body: { name, price: '20.00', category_id: category.json().data.id, stock_quantity: 5 },
    });
    expect(res.statusCode).toBe(201);
  }
  engine = await openSearchEngine({
    primary: t.db.pool,
    url: searchd.url,
    onError: (_, during) => failures.push(during),
    feedEveryMs: 50,
    retryAfterMs: 300,
  });
  await engine.started;
  useSearchEngine(t.db.db, engine);
}, 60_000);
afterAll(async () => {
  await engine?.close();
  await Promise.all([t?.close(), searchd?.stop()]);
});

/** For states reached within a few feed ticks: generous, as a full CI run loads the machine. */
const WAIT = { timeout: 10_000, interval: 100 };

const names = async (search: string) => {
  const res = await t.rest('GET', `/v1/products?search=${encodeURIComponent(search)}`);
  expect(res.statusCode).toBe(200);
  return res.json().data.map((product: { name: string }) => product.name) as string[];
};

describe('a server with a search engine', () => {
  it('says so in /ready', async () => {
    const res = await t.rest('GET', '/ready');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      status: 'ok',
      database: 'ok',
      redis: 'ok',
      search_engine: 'ok',
    });
  });

  it('says so in /metrics: up, in use, nothing waiting in its queue', async () => {
    const samples = await scrapeMetrics(t.app);
    expect(samples.get('buybuy_dependency_up{dependency="search_engine"}')).toBe(1);
    expect(samples.get('buybuy_search_engine_in_use{index="products"}')).toBe(1);
    expect(samples.get('buybuy_search_queue_entries{index="products"}')).toBe(0);
    expect(samples.get('buybuy_search_queue_oldest_seconds{index="products"}')).toBe(0);
  });

  it('says filling while the engine answers but is not filled yet, and down when it does not answer', async () => {
    const filling = await openSearchEngine({ primary: t.db.pool, url: searchd.url, start: false });
    const gone = await openSearchEngine({
      primary: t.db.pool,
      url: 'sphinxql://127.0.0.1:1/products',
      start: false,
    });
    try {
      useSearchEngine(t.db.db, filling);
      expect((await t.rest('GET', '/ready')).json()).toMatchObject({
        status: 'degraded',
        search_engine: 'filling',
      });
      let samples = await scrapeMetrics(t.app);
      expect(samples.get('buybuy_dependency_up{dependency="search_engine"}')).toBe(1);
      expect(samples.get('buybuy_search_engine_in_use{index="products"}')).toBe(0);

      // Not even filling: the alert that it is down must fire, not the one that it is unused.
      useSearchEngine(t.db.db, gone);
      const res = await t.rest('GET', '/ready');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ status: 'degraded', search_engine: 'down' });
      samples = await scrapeMetrics(t.app);
      expect(samples.get('buybuy_dependency_up{dependency="search_engine"}')).toBe(0);
    } finally {
      useSearchEngine(t.db.db, engine);
      await Promise.all([filling.close(), gone.close()]);
    }
  });

  it('answers searches on both faces from the engine', async () => {
    const asked = vi.spyOn(engine.pool, 'query');
    try {
      expect((await names('oak')).sort()).toEqual(['Oak Desk Lamp', 'Oak Shelf']);
      const viaTrpc = await t.trpc().products.list.query({ search: 'oak lamp' });
      expect(viaTrpc.items.map((item) => item.name)).toEqual(['Oak Desk Lamp']);
      expect(asked).toHaveBeenCalledTimes(2);
    } finally {
      asked.mockRestore();
    }
  });

  it("finds an admin's new product in the next search", async () => {
    const [lamp] = (await t.rest('GET', '/v1/products?search=floor')).json().data as Array<{
      id: number;
      category: { id: number };
    }>;
    const created = await t.rest('POST', '/v1/products', {
      token: admin,
      body: { name: 'Walnut Lamp', price: '35.00', category_id: lamp!.category.id },
    });
    expect(created.statusCode).toBe(201);
    expect(await names('walnut')).toEqual(['Walnut Lamp']);
    const renamed = await t.rest('PUT', `/v1/products/${created.json().data.id}`, {
      token: admin,
      body: { name: 'Cherry Lamp' },
    });
    expect(renamed.statusCode).toBe(200);
    expect(await names('walnut')).toEqual([]);
    expect(await names('cherry')).toEqual(['Cherry Lamp']);
  });

  it('stays ready while the engine is away: degraded, and searches read from the database', async () => {
    await searchd.kill();
    try {
      const res = await t.rest('GET', '/ready');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ status: 'degraded', search_engine: 'down' });
      // A text not searched before: no stored answer stands in for the search.
      expect(await names('desk')).toEqual(['Oak Desk Lamp']);
      // Told by this search, or before it by a feed tick that found the engine's connection closed.
      expect(failures).not.toEqual([]);
      // A write meanwhile waits in the queue, and /metrics says how long.
      const [desk] = (await t.rest('GET', '/v1/products?search=desk')).json().data as Array<{
        id: number;
      }>;
      const renamed = await t.rest('PUT', `/v1/products/${desk!.id}`, {
        token: admin,
        body: { name: 'Oak Writing Desk Lamp' },
      });
      expect(renamed.statusCode).toBe(200);
      await vi.waitFor(async () => {
        const samples = await scrapeMetrics(t.app);
        expect(samples.get('buybuy_dependency_up{dependency="search_engine"}')).toBe(0);
        expect(samples.get('buybuy_search_engine_in_use{index="products"}')).toBe(0);
        expect(samples.get('buybuy_search_queue_entries{index="products"}')).toBeGreaterThanOrEqual(
          1,
        );
        expect(samples.get('buybuy_search_queue_oldest_seconds{index="products"}')).toBeGreaterThan(
          0.2,
        );
        // The engine is tried again every 300 ms here, so "in use" blinks until the next failure.
      }, WAIT);
    } finally {
      await searchd.restart();
    }
    await vi.waitFor(async () => {
      expect((await t.rest('GET', '/ready')).json()).toMatchObject({
        status: 'ok',
        search_engine: 'ok',
      });
      const samples = await scrapeMetrics(t.app);
      expect(samples.get('buybuy_search_engine_in_use{index="products"}')).toBe(1);
      expect(samples.get('buybuy_search_queue_entries{index="products"}')).toBe(0);
    }, WAIT);
    expect(await names('writing')).toEqual(['Oak Writing Desk Lamp']);
  });
});
