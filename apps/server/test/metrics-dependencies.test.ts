import { type Config, loadConfig } from '@buybuy/config';
import { createDatabase, type DatabaseHandle } from '@buybuy/db';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildApp } from '../src/app';
import { scrapeMetrics as scrape, startTestApp, type TestApp } from './harness';

/**
 * The series the dependency alerts read (infra/monitoring/alerts.yml):
 * readiness and each dependency's state at scrape time, and the Redis
 * client's errors, with real dependencies that answer and real ones that do not.
 */
let t: TestApp;
const cleanups: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await t.close();
});

async function waitFor(check: () => Promise<boolean>) {
  for (let waited = 0; waited < 15_000; waited += 50) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('timed out waiting');
}

const testConfig = (url: string): Config => {
  const base = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
  return { ...base, database: { ...base.database, url } };
};

describe('dependencies in /metrics', () => {
  it('says ready, and the database and Redis up, while they answer', async () => {
    const samples = await scrape(t.app);
    expect(samples.get('buybuy_ready')).toBe(1);
    expect(samples.get('buybuy_dependency_up{dependency="database"}')).toBe(1);
    expect(samples.get('buybuy_dependency_up{dependency="redis"}')).toBe(1);
    expect(samples.get('buybuy_redis_errors_total')).toBe(0);
    // One primary, no replicas: no replica series. No search engine: no search series.
    expect([...samples.keys()].some((name) => name.startsWith('buybuy_db_replica_'))).toBe(false);
    expect([...samples.keys()].some((name) => name.startsWith('buybuy_search_'))).toBe(false);
    expect(samples.has('buybuy_dependency_up{dependency="search_engine"}')).toBe(false);
  });

  it('counts the Redis client errors and says Redis down, still ready, while it cannot connect', async () => {
    const redis = new Redis('redis://127.0.0.1:1', {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      retryStrategy: () => 50,
    });
    const app = await buildApp({ config: testConfig(t.db.url), db: t.db.db, redis, logger: false });
    cleanups.push(async () => {
      await app.close();
      redis.disconnect();
    });
    redis.connect().catch(() => undefined);
    await waitFor(async () => ((await scrape(app)).get('buybuy_redis_errors_total') ?? 0) >= 2);
    const samples = await scrape(app);
    expect(samples.get('buybuy_dependency_up{dependency="redis"}')).toBe(0);
    expect(samples.get('buybuy_dependency_up{dependency="database"}')).toBe(1);
    expect(samples.get('buybuy_ready')).toBe(1);
    expect((await app.inject({ method: 'GET', url: '/ready' })).statusCode).toBe(200);
  });

  it('says not ready, and the database down, while the database cannot be reached', async () => {
    const unreachable: DatabaseHandle = createDatabase('mysql://root@127.0.0.1:1/buybuy');
    const app = await buildApp({
      config: testConfig('mysql://root@127.0.0.1:1/buybuy'),
      db: unreachable.db,
      logger: false,
    });
    cleanups.push(async () => {
      await app.close();
      await unreachable.close();
    });
    const samples = await scrape(app);
    expect(samples.get('buybuy_ready')).toBe(0);
    expect(samples.get('buybuy_dependency_up{dependency="database"}')).toBe(0);
    // Built without Redis: no Redis series at all.
    expect(samples.has('buybuy_dependency_up{dependency="redis"}')).toBe(false);
    expect(samples.has('buybuy_redis_errors_total')).toBe(false);
    expect((await app.inject({ method: 'GET', url: '/ready' })).statusCode).toBe(503);
  });
});
