import { randomBytes } from 'node:crypto';

import { type Database, schema } from '@buybuy/db';
import { createTestDatabase, type TestDatabase } from '@buybuy/db/testing';
import { drizzle } from 'drizzle-orm/mysql2';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import {
  type CacheEvent,
  type CatalogCache,
  createMemoryCache,
  createRedisCache,
  freshReads,
  singleFlight,
} from '../src/cache';
import { createCategory } from '../src/categories/service';
import { listProductsInput } from '../src/products/schemas';
import { createProduct, listProducts, updateProduct } from '../src/products/service';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const PUBLIC = { includeInactive: false };

let test: TestDatabase;
/** The test database, through a drizzle logger that counts every statement. */
let counted: Database;
let statements = 0;
let productId: number;
let redis: Redis;
const prefixes: string[] = [];

beforeAll(async () => {
  test = await createTestDatabase();
  counted = drizzle(test.pool, {
    schema,
    mode: 'default',
    logger: { logQuery: () => void (statements += 1) },
  });
  const category = await createCategory(test.db, { name: 'Lamps' });
  productId = (
    await createProduct(test.db, { name: 'Desk lamp', price: '20.00', category_id: category.id })
  ).id;
  redis = new Redis(REDIS_URL, { lazyConnect: true, enableOfflineQueue: false });
  await redis.connect();
});
afterAll(async () => {
  for (const prefix of prefixes) {
    const keys = await redis.keys(`{${prefix}:catalog}:*`);
    if (keys.length > 0) await redis.del(...keys);
  }
  redis.disconnect();
  await test.drop();
});

const input = listProductsInput.parse({});
const listPage = (cache: CatalogCache) =>
  cache.cached('products.list', input, () => listProducts(counted, input, PUBLIC));
const priceOnPage = async (cache: CatalogCache) => (await listPage(cache)).items[0]!.price;

function recorder() {
  const events: Array<[CacheEvent, string]> = [];
  return {
    events,
    onEvent: (event: CacheEvent, name: string) => void events.push([event, name]),
    count: (event: CacheEvent) => events.filter(([e]) => e === event).length,
  };
}

const newPrefix = () => {
  const prefix = `test:${randomBytes(6).toString('hex')}:cache`;
  prefixes.push(prefix);
  return prefix;
};
const redisCache = (
  client: Redis,
  keyPrefix: string,
  onEvent?: ReturnType<typeof recorder>['onEvent'],
) => createRedisCache({ redis: client, keyPrefix, ttlSeconds: 60, onEvent });

beforeEach(async () => {
  await updateProduct(test.db, productId, { price: '20.00' });
  statements = 0;
});

describe('single-flight', () => {
  it('runs one load for concurrent calls of one key, and a new one afterwards', async () => {
    const flight = singleFlight();
    let loads = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const load = async () => {
      loads += 1;
      await gate;
      return loads;
    };
    const calls = Array.from({ length: 10 }, () => flight.run('k', load));
    release();
    expect(await Promise.all(calls)).toEqual(Array(10).fill(1));
    expect(await flight.run('k', load)).toBe(2);
    expect(flight.size).toBe(0);
  });

  it('hands a failure to every waiter, and does not keep it', async () => {
    const flight = singleFlight();
    const failing = () => Promise.reject(new Error('database down'));
    const calls = [flight.run('k', failing), flight.run('k', failing)];
    for (const call of calls) await expect(call).rejects.toThrow('database down');
    expect(await flight.run('k', async () => 'back')).toBe('back');
  });
});

describe('fresh reads', () => {
  /** A value behind a slow read whose answers the test releases one by one. */
  function slowStore() {
    let value = 1;
    const answers: Array<() => void> = [];
    const read = () => {
      const seen = value; // what the store holds when the read is sent
      return new Promise<number>((resolve) => answers.push(() => resolve(seen)));
    };
    return {
      read,
      set: (next: number) => void (value = next),
      sent: () => answers.length,
      answer: async (n: number) => {
        answers[n]!();
        // Let the waiters' continuations run (the next read is sent in one).
        for (let tick = 0; tick < 5; tick++) await Promise.resolve();
      },
    };
  }

  it('never hands a caller an answer read before it asked, and shares one read per wave', async () => {
    const store = slowStore();
    const current = freshReads(store.read);
    const first = current();
    store.set(2); // a write that finished while the first read was on its way
    const wave = Array.from({ length: 50 }, () => current());
    expect(store.sent()).toBe(1);
    await store.answer(0);
    expect(await first).toBe(1);
    expect(store.sent()).toBe(2); // one read for the whole wave, sent after the first came back
    await store.answer(1);
    expect(await Promise.all(wave)).toEqual(Array(50).fill(2));
    const later = current();
    expect(store.sent()).toBe(3);
    await store.answer(2);
    expect(await later).toBe(2);
  });

  it('sends the next read after a failed one', async () => {
    let calls = 0;
    const current = freshReads(async () => {
      calls += 1;
      if (calls === 1) throw new Error('Redis went away');
      return calls;
    });
    const failing = current();
    const waiting = current();
    await expect(failing).rejects.toThrow('Redis went away');
    expect(await waiting).toBe(2);
  });
});

for (const kind of ['memory', 'redis'] as const) {
  describe(`the ${kind} cache`, () => {
    let cache: CatalogCache;
    let events: ReturnType<typeof recorder>;
    beforeEach(() => {
      events = recorder();
      cache =
        kind === 'memory'
          ? createMemoryCache({ ttlSeconds: 60, onEvent: events.onEvent })
          : redisCache(redis, newPrefix(), events.onEvent);
    });

    it('serves a hit without a single database statement', async () => {
      const first = await listPage(cache);
      expect(statements).toBeGreaterThan(0);
      statements = 0;
      expect(await listPage(cache)).toEqual(first);
      expect(statements).toBe(0);
      expect(events.count('hit')).toBe(1);
    });

    it('collapses concurrent misses of one key into one database query', async () => {
      // The cost of one uncached page, measured on a cache of its own.
      await listProducts(counted, input, PUBLIC);
      const onePage = statements;
      await cache.bumpCatalogGeneration(); // a generation exists, and nothing is cached
      statements = 0;
      const pages = await Promise.all(Array.from({ length: 20 }, () => listPage(cache)));
      expect(statements).toBe(onePage);
      expect(new Set(pages.map((page) => JSON.stringify(page))).size).toBe(1);
    });

    it('never serves the old value after a write bumped the generation', async () => {
      expect(await priceOnPage(cache)).toBe('20.00');
      await updateProduct(test.db, productId, { price: '25.50' });
      await cache.bumpCatalogGeneration();
      expect(await priceOnPage(cache)).toBe('25.50');
      expect(await priceOnPage(cache)).toBe('25.50');
      expect(events.count('hit')).toBe(1);
    });

    it('names a new current generation after every bump', async () => {
      const before = await cache.currentGeneration();
      await cache.bumpCatalogGeneration();
      const after = await cache.currentGeneration();
      expect(after).toEqual(expect.any(String));
      expect(after).not.toBe(before);
      expect(await cache.currentGeneration()).toBe(after);
    });

    it('drops a fill whose load started before the write (the race)', async () => {
      await cache.bumpCatalogGeneration();
      let release!: () => void;
      let loaded!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const readDone = new Promise<void>((resolve) => (loaded = resolve));
      // A reader reads the generation and the old row, then stalls before filling.
      const slow = cache.cached('products.list', input, async () => {
        const page = await listProducts(counted, input, PUBLIC);
        loaded();
        await gate;
        return page;
      });
      await readDone;
      await updateProduct(test.db, productId, { price: '30.00' });
      await cache.bumpCatalogGeneration();
      release();
      expect((await slow).items[0]!.price).toBe('20.00'); // it began before the write
      expect(await priceOnPage(cache)).toBe('30.00'); // every later reader misses it
      expect(await priceOnPage(cache)).toBe('30.00');
    });
  });
}

describe('the redis cache across instances', () => {
  it('is exact for a write made through another instance sharing the Redis', async () => {
    const prefix = newPrefix();
    const a = redisCache(redis, prefix);
    const b = redisCache(redis, prefix);
    expect(await priceOnPage(a)).toBe('20.00');
    statements = 0;
    expect(await priceOnPage(a)).toBe('20.00');
    expect(statements).toBe(0);
    await updateProduct(test.db, productId, { price: '21.00' });
    await b.bumpCatalogGeneration();
    expect(await priceOnPage(a)).toBe('21.00');
  });

  it('starts a generation when its key is missing (evicted), and does not trust older entries', async () => {
    const prefix = newPrefix();
    const cache = redisCache(redis, prefix);
    expect(await priceOnPage(cache)).toBe('20.00'); // starts a generation
    statements = 0;
    expect(await priceOnPage(cache)).toBe('20.00');
    expect(statements).toBe(0);
    await redis.del(`{${prefix}:catalog}:generation`);
    await updateProduct(test.db, productId, { price: '22.00' });
    expect(await priceOnPage(cache)).toBe('22.00');
  });
});

describe('the redis cache while Redis is away', () => {
  let client: Redis;
  afterEach(() => client.disconnect());

  it('reads from the database, logs once, and resumes with a fresh generation', async () => {
    client = new Redis(REDIS_URL, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
    });
    await client.connect();
    const warnings: string[] = [];
    const infos: string[] = [];
    const events = recorder();
    const prefix = newPrefix();
    const cache = createRedisCache({
      redis: client,
      keyPrefix: prefix,
      ttlSeconds: 60,
      onEvent: events.onEvent,
      log: { warn: (_object, message) => warnings.push(message), info: (m) => infos.push(m) },
    });
    await cache.bumpCatalogGeneration();
    expect(await priceOnPage(cache)).toBe('20.00');
    expect(await priceOnPage(cache)).toBe('20.00');
    expect(events.count('hit')).toBe(1);

    client.disconnect();
    // A write while Redis is away cannot bump; reads go to the database and stay exact.
    await updateProduct(test.db, productId, { price: '23.00' });
    await cache.bumpCatalogGeneration();
    expect(await priceOnPage(cache)).toBe('23.00');
    expect(await priceOnPage(cache)).toBe('23.00');
    expect(warnings).toHaveLength(1);
    expect(events.count('error')).toBeGreaterThan(0);
    const generation = await redis.get(`{${prefix}:catalog}:generation`);
    expect(await cache.currentGeneration()).toBeNull(); // nothing layered on top may be served

    await client.connect();
    // The entry from before the outage (price 20.00) is still in Redis: the recovery bump kills it.
    expect(await priceOnPage(cache)).toBe('23.00');
    expect(infos).toEqual(['Redis cache restored']);
    const restored = await cache.currentGeneration();
    expect(restored).toEqual(expect.any(String));
    expect(restored).not.toBe(generation);
    const hits = events.count('hit');
    statements = 0;
    expect(await priceOnPage(cache)).toBe('23.00');
    expect(events.count('hit')).toBe(hits + 1);
    expect(statements).toBe(0);
  });
});
