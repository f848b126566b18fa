import { randomBytes } from 'node:crypto';

import type { ApiOptions } from '@buybuy/api';
import { createAuth } from '@buybuy/auth';
import { type Config, loadConfig } from '@buybuy/config';
import { users } from '@buybuy/db';
import { createTestDatabase, type TestDatabase } from '@buybuy/db/testing';
import type { FastifyInstance } from 'fastify';
import { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import { buildApp } from '../src/app';
import { createRedis, type RedisClient } from '../src/redis';
import { type LocalRedisCluster, startRedisCluster } from './support/redis-cluster';

/**
 * A real three-master Redis Cluster this file starts, and real apps whose
 * Redis is the ioredis Cluster that REDIS_CLUSTER_NODES builds.
 */
let cluster: LocalRedisCluster | undefined;
let db: TestDatabase | undefined;
const clients: RedisClient[] = [];
const apps: FastifyInstance[] = [];
let config: Config;

async function connectedClient(): Promise<RedisClient> {
  const made = createRedis({ redisUrl: undefined, redisClusterNodes: cluster!.nodes })!;
  clients.push(made.client);
  made.client.on('error', () => undefined);
  await made.client.connect();
  return made.client;
}

async function startApp(
  keyPrefix: string,
  options: { rateLimitMax?: number; onCacheEvent?: ApiOptions['onCacheEvent'] },
) {
  const redis = await connectedClient();
  const app = await buildApp({
    config: { ...config, rateLimit: { ...config.rateLimit, max: options.rateLimitMax ?? 10_000 } },
    db: db!.db,
    redis,
    keyPrefix,
    logger: false,
    onCacheEvent: options.onCacheEvent,
  });
  apps.push(app);
  return { app, redis };
}

beforeAll(async () => {
  [cluster, db] = await Promise.all([
    startRedisCluster({ timeoutMs: 60_000 }),
    createTestDatabase(),
  ]);
  const base = loadConfig({ NODE_ENV: 'test', BCRYPT_COST: '4', LOG_LEVEL: 'silent' });
  config = { ...base, database: { ...base.database, url: db.url } };
}, 120_000);

afterAll(async () => {
  await Promise.allSettled(apps.map((app) => app.close()));
  for (const client of clients) client.disconnect();
  await db?.drop().catch(() => undefined);
  await cluster?.stop();
}, 60_000);

describe('Redis Cluster (three real masters)', () => {
  it('builds an ioredis Cluster from REDIS_CLUSTER_NODES and reports it ready', async () => {
    const { app, redis } = await startApp(`test:${randomBytes(6).toString('hex')}`, {});
    expect(redis).toBeInstanceOf(Cluster);
    expect((redis as Cluster).nodes('master')).toHaveLength(3);
    const ready = await app.inject({ method: 'GET', url: '/ready' });
    expect(ready.json()).toMatchObject({ status: 'ok', redis: 'ok' });
  });

  it('limits calls through /v1 with counters in the cluster, shared by every instance', async () => {
    const keyPrefix = `test:${randomBytes(6).toString('hex')}`;
    const first = await startApp(keyPrefix, { rateLimitMax: 5 });
    for (let call = 1; call <= 5; call++) {
      expect((await first.app.inject({ method: 'GET', url: '/v1/products' })).statusCode).toBe(200);
    }
    const limited = await first.app.inject({ method: 'GET', url: '/v1/products' });
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ success: false, errors: [{ code: 'RATE_LIMITED' }] });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);

    // The counter is in the cluster (not the in-process insurance limiter), the
    // refused call too once sent (within FLUSH_MS: it was refused in the process)...
    const counter = () => first.redis.get(`${keyPrefix}:rl:general:ip:127.0.0.1`);
    await vi.waitFor(async () => expect(Number(await counter())).toBe(6), { timeout: 5000 });
    // ...so another instance on the same cluster finds the budget spent.
    const second = await startApp(keyPrefix, { rateLimitMax: 5 });
    expect((await second.app.inject({ method: 'GET', url: '/v1/products' })).statusCode).toBe(429);
  });

  it('counts the auth budget per IP and per email, keys that live on different slots', async () => {
    const keyPrefix = `test:${randomBytes(6).toString('hex')}`;
    const { app, redis } = await startApp(keyPrefix, {});
    const login = (email: string) =>
      app.inject({
        method: 'POST',
        url: '/v1/auth/login',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ email, password: 'wrong-password-1' }),
      });
    for (let call = 0; call < config.rateLimit.authMax; call++)
      expect((await login('nobody@example.com')).statusCode).toBe(401);
    expect((await login('nobody@example.com')).statusCode).toBe(429);
    const ipKey = `${keyPrefix}:rl:auth:ip:127.0.0.1`;
    const emailKey = `${keyPrefix}:rl:auth:email:nobody@example.com`;
    const cluster = redis as Cluster;
    expect(cluster.slots.length).toBeGreaterThan(0);
    expect(Number(await redis.get(ipKey))).toBeGreaterThan(config.rateLimit.authMax);
    expect(Number(await redis.get(emailKey))).toBeGreaterThanOrEqual(config.rateLimit.authMax);
  });

  it('caches the public catalog reads in the cluster and invalidates them on admin writes', async () => {
    const keyPrefix = `test:${randomBytes(6).toString('hex')}`;
    const events: string[] = [];
    const { app, redis } = await startApp(keyPrefix, {
      onCacheEvent: (event, name) => events.push(`${event} ${name}`),
    });
    const auth = createAuth({ db: db!.db, ...config.auth });
    const [row] = await db!.db
      .insert(users)
      .values({
        username: `admin${keyPrefix.slice(-6)}`,
        email: `admin-${keyPrefix.slice(-6)}@example.com`,
        password_hash: 'x',
        is_staff: true,
      })
      .$returningId();
    const admin = (await auth.signIn(row!.id)).access_token;
    const call = async (method: string, url: string, body?: unknown, token?: string) => {
      const response = await app.inject({
        method: method as 'GET',
        url,
        headers: {
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        payload: body === undefined ? undefined : JSON.stringify(body),
      });
      return response.json() as { data: Array<{ id: number; price: string }> & { id: number } };
    };

    const category = await call('POST', '/v1/categories', { name: 'Cluster' }, admin);
    const product = await call(
      'POST',
      '/v1/products',
      { name: 'Sharded', price: '10.00', category_id: category.data.id },
      admin,
    );
    const list = `/v1/products?category_id=${category.data.id}`;
    events.length = 0;
    const trpcList = `/trpc/products.list?input=${encodeURIComponent(
      JSON.stringify({ json: { category_id: category.data.id } }),
    )}`;
    const prices = async (url: string) => {
      const response = await app.inject({ method: 'GET', url });
      const body = response.json() as {
        data?: Array<{ price: string }>;
        result?: { data: { json: { items: Array<{ price: string }> } } };
      };
      return (body.data ?? body.result!.data.json.items).map((item) => item.price);
    };
    // Both layers: the HTTP response cache (`http`, per URL) in front of the catalog cache.
    const readBothFaces = async () => [
      await prices(list),
      await prices(list),
      await prices(trpcList),
      await prices(trpcList),
    ];
    const expectedEvents = [
      ...['miss http', 'miss products.list', 'hit http'],
      ...['miss http', 'hit products.list', 'hit http'],
    ];
    events.length = 0;
    expect(await readBothFaces()).toEqual(Array(4).fill(['10.00']));
    expect(events).toEqual(expectedEvents);
    expect(await redis.get(`{${keyPrefix}:cache:catalog}:generation`)).toBeTruthy();

    await call('PUT', `/v1/products/${product.data.id}`, { price: '12.50' }, admin);
    events.length = 0;
    expect(await readBothFaces()).toEqual(Array(4).fill(['12.50']));
    expect(events).toEqual(expectedEvents);
    expect(events.filter((event) => event.startsWith('error'))).toEqual([]);
  });
});
