import { Writable } from 'node:stream';

import { type Config, loadConfig } from '@buybuy/config';
import { categories, products } from '@buybuy/db';
import { createTestDatabase, type TestDatabase } from '@buybuy/db/testing';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildApp } from '../src/app';
import { operationOf } from '../src/plugins/metrics';

// Its own app (not the harness) to read the logs: JSON lines into `logs`.
let db: TestDatabase;
let app: FastifyInstance;
let config: Config;
let productId: number;
const logs: Array<Record<string, unknown>> = [];
const stream = new Writable({
  write(chunk: Buffer, _encoding, done) {
    for (const line of chunk.toString().split('\n').filter(Boolean)) logs.push(JSON.parse(line));
    done();
  },
});

beforeAll(async () => {
  db = await createTestDatabase();
  const base = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'warn', SLOW_QUERY_MS: '1' });
  config = {
    ...base,
    database: { ...base.database, url: db.url },
    rateLimit: { enabled: true, windowSeconds: 60, max: 3, authMax: 3 },
  };
  app = await buildApp({ config, db: db.db, logger: { stream } });
  const [category] = await db.db
    .insert(categories)
    .values({ name: 'Lamps', slug: 'lamps' })
    .$returningId();
  const [product] = await db.db
    .insert(products)
    .values({ name: 'Desk lamp', price: '19.99', category_id: category!.id, stock_quantity: 4 })
    .$returningId();
  productId = product!.id;
});
afterAll(async () => {
  await app.close();
  await db.drop();
});

/** Each caller its own address, so the tight budget is spent only where a test means to. */
let octet = 10;
const get = (url: string, ip = `10.1.0.${octet++}`) =>
  app.inject({ method: 'GET', url, remoteAddress: ip });

const scrape = async () => {
  const res = await get('/metrics');
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.body;
};

/** The value of one series, found by its name and every label given. */
const valueOf = (body: string, name: string, labels: Record<string, string>) => {
  const line = body
    .split('\n')
    .find(
      (row) =>
        row.startsWith(`${name}{`) &&
        Object.entries(labels).every(([key, value]) => row.includes(`${key}="${value}"`)),
    );
  return line === undefined ? undefined : Number(line.split(' ').pop());
};

describe('GET /metrics', () => {
  it('labels REST calls by route pattern and tRPC calls by procedure, never by raw URL', async () => {
    expect((await get(`/v1/products/${productId}`)).statusCode).toBe(200);
    expect((await get('/v1/products?per_page=5')).statusCode).toBe(200);
    const input = encodeURIComponent(JSON.stringify({ json: { per_page: 5 } }));
    expect((await get(`/trpc/products.list?input=${input}`)).statusCode).toBe(200);
    expect((await get('/health')).statusCode).toBe(200);
    expect((await get('/no/such/page')).statusCode).toBe(404);

    const body = await scrape();
    const rest = { face: 'rest', method: 'GET', status: '200' };
    expect(
      valueOf(body, 'buybuy_http_requests_total', { ...rest, route: '/v1/products/{id}' }),
    ).toBe(1);
    expect(valueOf(body, 'buybuy_http_requests_total', { ...rest, route: '/v1/products' })).toBe(1);
    expect(
      valueOf(body, 'buybuy_http_requests_total', { face: 'trpc', route: 'products.list' }),
    ).toBe(1);
    expect(valueOf(body, 'buybuy_http_requests_total', { face: 'other', route: '/health' })).toBe(
      1,
    );
    expect(valueOf(body, 'buybuy_http_requests_total', { face: 'other', route: 'unmatched' })).toBe(
      1,
    );
    expect(
      valueOf(body, 'buybuy_http_request_duration_seconds_count', {
        face: 'rest',
        route: '/v1/products/{id}',
      }),
    ).toBe(1);
    expect(body).not.toContain(`/v1/products/${productId}"`);
  });

  it('labels a tRPC batch by each procedure it calls, never by the combination', async () => {
    const before = await scrape();
    // Summed over statuses: a batch with a failing call answers 207.
    const count = (body: string) =>
      body
        .split('\n')
        .filter((row) => row.startsWith('buybuy_http_requests_total{'))
        .filter((row) => row.includes('face="trpc"') && row.includes('route="categories.list"'))
        .reduce((sum, row) => sum + Number(row.split(' ').pop()), 0);
    const input = encodeURIComponent(JSON.stringify({ 0: { json: {} }, 1: { json: {} } }));
    for (const names of ['categories.list,products.list', 'users.profile,categories.list']) {
      await get(`/trpc/${names}?batch=1&input=${input}`);
    }
    await get(`/trpc/categories.list,no.such,other.thing?batch=1&input=${input}`);
    const body = await scrape();
    expect(body).not.toMatch(/route="[^"]*,/);
    expect(count(body)).toBe(count(before) + 3);
    expect(valueOf(body, 'buybuy_http_requests_total', { face: 'trpc', route: 'unknown' })).toBe(1);
  });

  it('reports database statement time and the pool', async () => {
    const body = await scrape();
    expect(
      valueOf(body, 'buybuy_db_query_duration_seconds_count', {
        pool: 'primary',
        operation: 'select',
        outcome: 'ok',
      }),
    ).toBeGreaterThan(0);
    for (const state of ['total', 'free', 'in_use', 'limit']) {
      expect(
        valueOf(body, 'buybuy_db_pool_connections', { pool: 'primary', state }),
      ).toBeGreaterThanOrEqual(0);
    }
    expect(valueOf(body, 'buybuy_db_pool_connections', { state: 'limit' })).toBe(5);
    expect(valueOf(body, 'buybuy_db_pool_queued_requests', { pool: 'primary' })).toBe(0);
    expect(body).toContain('# TYPE buybuy_cache_events_total counter');
  });

  it('counts rate-limit rejections by budget', async () => {
    const before = valueOf(await scrape(), 'buybuy_rate_limit_rejections_total', {
      bucket: 'general',
    });
    const ip = '10.9.9.9';
    for (let i = 0; i < 3; i++) expect((await get('/v1/products', ip)).statusCode).toBe(200);
    expect((await get('/v1/products', ip)).statusCode).toBe(429);
    const body = await scrape();
    expect(valueOf(body, 'buybuy_rate_limit_rejections_total', { bucket: 'general' })).toBe(
      (before ?? 0) + 1,
    );
    expect(
      valueOf(body, 'buybuy_http_requests_total', { route: '/v1/products', status: '429' }),
    ).toBe(1);
  });

  it('is neither rate limited nor enveloped', async () => {
    for (let i = 0; i < 5; i++) {
      const res = await get('/metrics', '10.8.8.8');
      expect(res.statusCode).toBe(200);
      expect(res.body).not.toContain('"success"');
    }
  });
});

describe('slow queries', () => {
  it('are logged by SQL shape, without parameter values', async () => {
    const secret = 'needle-4f1c9e';
    await db.db.execute(sql`SELECT SLEEP(0.02), ${secret} AS echo`);
    const res = await get(`/v1/products?search=${secret}&min_price=12.34`);
    expect(res.statusCode).toBe(200);

    const slow = logs.filter((line) => line.msg === 'slow query');
    expect(slow.length).toBeGreaterThan(0);
    const sleep = slow.find((line) => String(line.sql).includes('SLEEP'));
    expect(sleep).toMatchObject({ sql: 'SELECT SLEEP(0.02), ? AS echo', pool: 'primary' });
    expect(sleep!.durationMs as number).toBeGreaterThanOrEqual(15);
    const all = JSON.stringify(logs);
    expect(all).not.toContain(secret);
    expect(all).not.toContain('12.34');
  });
});

describe('GET /metrics with METRICS_TOKEN', () => {
  const token = 'scrape-token-0123456789';
  let guarded: FastifyInstance;
  beforeAll(async () => {
    guarded = await buildApp({
      config: { ...config, metrics: { ...config.metrics, token } },
      db: db.db,
      logger: false,
    });
  });
  afterAll(() => guarded.close());

  it('answers only the scraper holding the token', async () => {
    for (const authorization of [undefined, 'Bearer wrong', `Bearer ${token}x`, token]) {
      const res = await guarded.inject({
        method: 'GET',
        url: '/metrics',
        headers: authorization ? { authorization } : {},
      });
      expect(res.statusCode, String(authorization)).toBe(401);
      expect(res.json()).toMatchObject({ success: false, errors: [{ code: 'UNAUTHORIZED' }] });
      expect(res.body).not.toContain('buybuy_');
    }
    const scraped = await guarded.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(scraped.statusCode).toBe(200);
    expect(scraped.body).toContain('buybuy_http_requests_total');
  });
});

describe('operationOf', () => {
  // What the regular expression it replaced said, for every statement kind and spelling.
  const byExpression = (text: string) => {
    const verb = /^\s*(\w+)/.exec(text)?.[1]?.toLowerCase() ?? 'other';
    return ['select', 'insert', 'update', 'delete'].includes(verb) ? verb : 'other';
  };
  it.each([
    'select `id` from `products`',
    'SELECT 1',
    '  \n\tSelect count(*) from x',
    'insert into `orders` (`id`) values (?)',
    'INSERT INTO t VALUES (1)',
    'update `products` set `stock_quantity` = `stock_quantity` - ?',
    'delete from `cart_items` where `cart_id` = ?',
    'select(1)',
    'selected',
    'select_x from t',
    'deleteX',
    'upd',
    'replace into t values (1)',
    'START TRANSACTION',
    'COMMIT',
    'with x as (select 1) select * from x',
    '',
    '   ',
    '(select 1)',
    'SELECT\n1',
  ])('reads %j as the expression did', (text) => {
    expect(operationOf(text)).toBe(byExpression(text));
  });
});
