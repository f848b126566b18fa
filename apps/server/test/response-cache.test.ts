import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import { startTestApp, type TestApp } from './harness';

/**
 * The HTTP response cache in front of both faces: a repeated public read is
 * answered from the bytes stored for it, with no SQL and no procedure, and
 * yet the same headers, the same rate limit and the same freshness.
 */
let t: TestApp;
let admin: string;
let statements = 0;
const events: string[] = [];
let categoryId: number;
let productId: number;

beforeAll(async () => {
  t = await startTestApp(
    {},
    {
      onStatement: () => void (statements += 1),
      onCacheEvent: (event, name) => void events.push(`${event} ${name}`),
    },
  );
  admin = await t.tokenFor('responseadmin', { admin: true });
  const category = await t.rest('POST', '/v1/categories', {
    token: admin,
    body: { name: 'Kettles' },
  });
  categoryId = category.json().data.id;
  const product = await t.rest('POST', '/v1/products', {
    token: admin,
    body: { name: 'Kettle', price: '30.00', category_id: categoryId },
  });
  productId = product.json().data.id;
});
afterAll(async () => {
  await t?.close();
});

/** What a client can tell apart: everything but the per-response id and date. */
const visible = (res: LightMyRequestResponse) => {
  const { 'x-request-id': id, date, ...headers } = res.headers;
  expect(id).toBeTruthy();
  expect(date).toBeTruthy();
  return { status: res.statusCode, headers, body: res.body };
};

/** Requests a URL until it is stored, then once more, counting what the last one cost. */
async function storedThenRepeated(url: string, headers: Record<string, string> = {}) {
  const first = await t.rest('GET', url, { headers });
  await t.rest('GET', url, { headers });
  statements = 0;
  events.length = 0;
  const repeated = await t.rest('GET', url, { headers });
  return { first, repeated };
}

const trpcUrl = (path: string, input: unknown) =>
  `/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;

describe('the HTTP response cache', () => {
  it('answers a repeated REST read from the stored bytes, headers included, with no SQL', async () => {
    const url = `/v1/products?category_id=${categoryId}`;
    const { first, repeated } = await storedThenRepeated(url);
    expect(first.statusCode).toBe(200);
    expect(visible(repeated)).toEqual(visible(first));
    expect(repeated.headers['cache-control']).toBe('public, no-cache');
    expect(repeated.headers.vary).toBe('Origin, Authorization, X-API-Key');
    expect(statements).toBe(0);
    expect(events).toEqual(['hit http']);
  });

  it('does the same for tRPC calls and batches', async () => {
    const single = trpcUrl('products.byId', { id: productId });
    const once = await storedThenRepeated(single);
    expect(once.first.json().result.data.json.name).toBe('Kettle');
    // tRPC's own Vary fields join CORS's, never replace them.
    expect(once.first.headers.vary).toBe('Origin, trpc-accept, accept, Authorization, X-API-Key');
    expect(visible(once.repeated)).toEqual(visible(once.first));
    expect(events).toEqual(['hit http']);

    const batch = `/trpc/products.byId,categories.list?batch=1&input=${encodeURIComponent(
      JSON.stringify({ 0: { json: { id: productId } }, 1: { json: {} } }),
    )}`;
    const both = await storedThenRepeated(batch);
    expect(both.first.statusCode).toBe(200);
    expect(both.first.json()).toHaveLength(2);
    expect(visible(both.repeated)).toEqual(visible(both.first));
    expect(statements).toBe(0);
    expect(events).toEqual(['hit http']);
  });

  it('leaves streamed tRPC batches alone: a stream stays a stream, never served as JSON', async () => {
    const batch = `/trpc/products.byId?batch=1&input=${encodeURIComponent(
      JSON.stringify({ 0: { json: { id: productId } } }),
    )}`;
    const streamed = { 'trpc-accept': 'application/jsonl' };
    const { first, repeated } = await storedThenRepeated(batch, streamed);
    for (const res of [first, repeated]) {
      // JSON lines, chunked (tRPC keeps `Content-Type: application/json` for them).
      expect(res.headers['transfer-encoding']).toBe('chunked');
      expect(res.body.trim().split('\n').length).toBeGreaterThan(1);
    }
    expect(events).toEqual(['hit products.byId']); // the catalog cache, not this one
    const plain = await storedThenRepeated(batch);
    expect(plain.repeated.json()[0].result.data.json.name).toBe('Kettle');
    expect(events).toEqual(['hit http']);
  });

  it('answers 304 from the stored tag', async () => {
    const url = `/v1/products/${productId}`;
    const { first } = await storedThenRepeated(url);
    const etag = first.headers.etag as string;
    statements = 0;
    events.length = 0;
    const notModified = await t.rest('GET', url, { headers: { 'if-none-match': etag } });
    expect(notModified.statusCode).toBe(304);
    expect(notModified.body).toBe('');
    expect(notModified.headers.etag).toBe(etag);
    expect(notModified.headers['content-type']).toBeUndefined();
    expect(events).toEqual(['hit http']);
    expect(statements).toBe(0);
  });

  it('never stores or serves a request made with a token', async () => {
    const url = '/v1/products?include_inactive=true';
    const { first, repeated } = await storedThenRepeated(url, {
      authorization: `Bearer ${admin}`,
    });
    expect(first.statusCode).toBe(200);
    expect(repeated.headers['cache-control']).toBe('private, no-store');
    expect(statements).toBeGreaterThan(0);
    expect(events).toEqual([]);
    // The same URL without the token is the admin-only flag: still refused.
    expect((await t.rest('GET', url)).statusCode).toBe(403);
  });

  it('never stores a failure: a bad URL runs the validation every time', async () => {
    const url = '/v1/products?per_page=1000';
    for (let call = 0; call < 3; call++) {
      events.length = 0;
      const res = await t.rest('GET', url);
      expect(res.statusCode).toBe(400);
      expect(res.json().errors[0]).toMatchObject({ field: 'per_page', code: 'VALIDATION' });
      expect(events).toEqual(['miss http']);
    }
  });

  it('drops what it stored as soon as an admin write returns', async () => {
    const url = `/v1/products/${productId}`;
    await storedThenRepeated(url);
    const update = await t.rest('PUT', url, { token: admin, body: { price: '27.50' } });
    expect(update.statusCode).toBe(200);
    events.length = 0;
    const after = await t.rest('GET', url);
    expect(after.json().data.price).toBe('27.50');
    expect(events).toEqual(['miss http', 'miss products.byId']);
  });
});

describe('the HTTP response cache and rate limits', () => {
  let limited: TestApp;
  let id: number;
  beforeAll(async () => {
    limited = await startTestApp({ rateLimit: { ...t.config.rateLimit, max: 4 } });
    const token = await limited.tokenFor('limitadmin', { admin: true });
    const category = await limited.rest('POST', '/v1/categories', {
      token,
      body: { name: 'Cups' },
    });
    const product = await limited.rest('POST', '/v1/products', {
      token,
      body: { name: 'Cup', price: '3.00', category_id: category.json().data.id },
    });
    id = product.json().data.id;
  });
  afterAll(async () => {
    await limited?.close();
  });

  it('counts every stored answer, one call per procedure a URL names', async () => {
    const batch = `/trpc/products.byId,categories.list?batch=1&input=${encodeURIComponent(
      JSON.stringify({ 0: { json: { id } }, 1: { json: {} } }),
    )}`;
    const read = () => limited.rest('GET', batch);
    expect((await read()).statusCode).toBe(200); // 2 calls, stored
    expect((await read()).statusCode).toBe(200); // 4 calls, from the store
    const refused = await read();
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBeTruthy();
    expect(JSON.stringify(refused.json())).toContain('RATE_LIMITED');

    const counter = () => limited.redis.get(`${limited.keyPrefix}:rl:general:ip:127.0.0.1`);
    // The refused batch counted like any refused call (2), not twice over. The
    // limiter refused it in the process and sends the count within FLUSH_MS.
    await vi.waitFor(async () => expect(Number(await counter())).toBe(6), { timeout: 5000 });
  });
});

describe('the HTTP response cache past its TTL', () => {
  let short: TestApp;
  const httpEvents: string[] = [];
  let shortStatements = 0;
  let url = '';
  beforeAll(async () => {
    short = await startTestApp(
      { cache: { enabled: true, ttlSeconds: 2 } },
      {
        onStatement: () => void (shortStatements += 1),
        onCacheEvent: (event, name) => void (name === 'http' && httpEvents.push(event)),
      },
    );
    const token = await short.tokenFor('ttladmin', { admin: true });
    const category = await short.rest('POST', '/v1/categories', {
      token,
      body: { name: 'Pans' },
    });
    url = `/v1/products?category_id=${category.json().data.id}`;
  });
  afterAll(async () => {
    await short?.close();
  });

  it('lets one request refill an expired answer while the others still get it', async () => {
    const stored = await short.rest('GET', url);
    expect(stored.statusCode).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 2100)); // past the 2 s TTL
    httpEvents.length = 0;
    shortStatements = 0;

    const answers = await Promise.all([1, 2, 3, 4].map(() => short.rest('GET', url)));
    expect(answers.map((res) => res.statusCode)).toEqual([200, 200, 200, 200]);
    expect(new Set(answers.map((res) => res.body))).toEqual(new Set([stored.body]));
    expect(httpEvents.sort()).toEqual(['hit', 'hit', 'hit', 'miss']);
    expect(shortStatements).toBeGreaterThan(0); // the one refill read the database

    // Refilled: served from the store again, nothing run.
    httpEvents.length = 0;
    shortStatements = 0;
    expect((await short.rest('GET', url)).statusCode).toBe(200);
    expect(httpEvents).toEqual(['hit']);
    expect(shortStatements).toBe(0);
  });

  const pages = (n: number, from: number) =>
    Array.from({ length: n }, (_, i) => `${url}&page=${from + i}`);
  const pastTheTtl = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const eventsOf = async (urls: string[]) => {
    httpEvents.length = 0;
    const answers = await Promise.all(urls.map((page) => short.rest('GET', page)));
    expect(answers.map((res) => res.statusCode)).toEqual(urls.map(() => 200));
    return [...httpEvents].sort();
  };

  it('refills at most two expired answers at once, and serves the others as they are meanwhile', async () => {
    const urls = pages(5, 1);
    expect(await eventsOf(urls)).toEqual(['miss', 'miss', 'miss', 'miss', 'miss']); // stored
    await pastTheTtl(2100);

    // Five stored together expire together: two refill, three wait their turn.
    expect(await eventsOf(urls)).toEqual(['hit', 'hit', 'hit', 'miss', 'miss']);
    // The two are fresh again; two of the three others refill now.
    expect(await eventsOf(urls)).toEqual(['hit', 'hit', 'hit', 'miss', 'miss']);
    expect(await eventsOf(urls)).toEqual(['hit', 'hit', 'hit', 'hit', 'miss']);
    expect(await eventsOf(urls)).toEqual(['hit', 'hit', 'hit', 'hit', 'hit']);
  });

  it('serves an expired answer for no longer than its TTL again', async () => {
    const urls = pages(3, 11);
    expect(await eventsOf(urls)).toEqual(['miss', 'miss', 'miss']);
    await pastTheTtl(4200); // the 2 s TTL, then 2 s more

    expect(await eventsOf(urls)).toEqual(['miss', 'miss', 'miss']);
  });
});
