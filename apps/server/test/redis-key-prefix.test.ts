import { loadConfig } from '@buybuy/config';
import { categories } from '@buybuy/db';
import { createTestDatabase, type TestDatabase } from '@buybuy/db/testing';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildApp } from '../src/app';

// Two deployments (two databases) on one Redis, each with its default key prefix.
const shops: Array<{ db: TestDatabase; app: FastifyInstance; redis: Redis; prefix: string }> = [];
beforeAll(async () => {
  for (const name of ['Lamps', 'Chairs']) {
    const db = await createTestDatabase();
    await db.db.insert(categories).values({ name, slug: name.toLowerCase() });
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: db.url });
    const redis = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
    const app = await buildApp({ config, db: db.db, redis, logger: false });
    shops.push({ db, app, redis, prefix: config.redisKeyPrefix });
  }
});
afterAll(async () => {
  for (const { db, app, redis, prefix } of shops) {
    await app.close();
    const keys = [...(await redis.keys(`${prefix}:*`)), ...(await redis.keys(`{${prefix}:*`))];
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    await db.drop();
  }
});

const names = async (app: FastifyInstance) =>
  (await app.inject({ method: 'GET', url: '/v1/categories' }))
    .json<{ data: Array<{ name: string }> }>()
    .data.map((category) => category.name);

describe('REDIS_KEY_PREFIX', () => {
  it('keeps two servers with two databases on one Redis apart', async () => {
    const [lamps, chairs] = shops;
    expect(lamps!.prefix).not.toBe(chairs!.prefix);
    expect(await names(lamps!.app)).toEqual(['Lamps']);
    expect(await names(chairs!.app)).toEqual(['Chairs']);
    expect(await names(lamps!.app)).toEqual(['Lamps']);
    for (const { redis, prefix } of shops) {
      expect(await redis.keys(`{${prefix}:*`)).not.toEqual([]);
    }
  });
});
