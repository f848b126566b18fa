import { randomBytes } from 'node:crypto';

import { loadConfig } from '@buybuy/config';
import { createTestDatabase, type TestDatabase } from '@buybuy/db/testing';
import { createLocalImageStorage } from '@buybuy/images';
import {
  createBullQueue,
  createEmbeddedQueue,
  defineJob,
  type JobQueue,
  queuePrefix,
  startBullWorker,
} from '@buybuy/jobs';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';

import { buildApp } from '../src/app';

/** These jobs never touch images. */
const unusedImages = createLocalImageStorage('/unused', 'http://unused.test');

/**
 * The failed set (and waiting, active, delayed) in `/metrics`, read at
 * scrape time, for both job queues: in the API process and on BullMQ.
 */
const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const keyPrefix = `test:jobs-metrics:${randomBytes(4).toString('hex')}`;
const retry = { attempts: 2, backoffMs: 20 };
let database: TestDatabase;
const cleanups: Array<() => Promise<unknown>> = [];

const broken = defineJob({
  name: 'broken',
  payload: z.object({ n: z.number() }),
  handler: async () => {
    throw new Error('always fails');
  },
});

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

async function appWith(jobs: () => JobQueue): Promise<FastifyInstance> {
  const config = { ...loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }) };
  const app = await buildApp({ config, db: database.db, logger: false, jobs });
  cleanups.push(() => app.close());
  return app;
}

async function jobSeries(app: FastifyInstance): Promise<Record<string, number>> {
  const response = await app.inject({ method: 'GET', url: '/metrics' });
  expect(response.statusCode).toBe(200);
  const series: Record<string, number> = {};
  for (const match of response.body.matchAll(
    /^buybuy_jobs\{queue="jobs",state="(\w+)"\} (\d+)$/gm,
  )) {
    series[match[1]!] = Number(match[2]);
  }
  return series;
}

async function waitFor(check: () => Promise<boolean>) {
  for (let waited = 0; waited < 15_000; waited += 25) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('timed out waiting');
}

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  const redis = new Redis(redisUrl);
  const keys = await redis.keys(`${queuePrefix(keyPrefix)}:*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
  await database.drop();
});

describe('jobs in /metrics', () => {
  it('counts the in-process queue, a job that failed every try included', async () => {
    let queue!: JobQueue;
    const app = await appWith(() => {
      queue = createEmbeddedQueue({
        definitions: [broken],
        deps: { db: database.db, log: silent, images: unusedImages },
        retry,
      });
      return queue;
    });
    expect(await jobSeries(app)).toEqual({ waiting: 0, active: 0, delayed: 0, failed: 0 });
    await queue.enqueue(broken, { n: 1 });
    await waitFor(async () => (await queue.counts()).failed === 1);
    expect(await jobSeries(app)).toEqual({ waiting: 0, active: 0, delayed: 0, failed: 1 });
  });

  it('counts the BullMQ queue in Redis, jobs waiting and the failed set', async () => {
    const target = { url: redisUrl };
    let queue!: JobQueue;
    const app = await appWith(() => {
      queue = createBullQueue({
        redis: target,
        redisKeyPrefix: keyPrefix,
        definitions: [broken],
        retry,
        log: silent,
      });
      return queue;
    });
    await queue.enqueue(broken, { n: 1 });
    await queue.enqueue(broken, { n: 2 });
    expect(await jobSeries(app)).toEqual({ waiting: 2, active: 0, delayed: 0, failed: 0 });

    const worker = await startBullWorker({
      redis: target,
      redisKeyPrefix: keyPrefix,
      definitions: [broken],
      deps: { db: database.db, log: silent, images: unusedImages },
      retry,
      concurrency: 2,
      lockMs: 5_000,
    });
    cleanups.push(worker.close);
    await waitFor(async () => (await queue.counts()).failed === 2);
    expect(await jobSeries(app)).toEqual({ waiting: 0, active: 0, delayed: 0, failed: 2 });
  });

  it('still serves /metrics, without the job series, while Redis cannot be reached', async () => {
    const warnings: string[] = [];
    const log = { ...silent, warn: (_fields: object, message: string) => warnings.push(message) };
    const app = await appWith(() =>
      createBullQueue({
        redis: { url: 'redis://127.0.0.1:1' },
        redisKeyPrefix: keyPrefix,
        definitions: [broken],
        retry,
        log,
      }),
    );
    const started = Date.now();
    expect(await jobSeries(app)).toEqual({});
    expect(Date.now() - started).toBeLessThan(5_000);
    // ioredis kept trying meanwhile: the outage is said once.
    expect(warnings).toEqual(['jobs: Redis is unavailable']);
  });

  it('has no job series for an app given no queue', async () => {
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
    const app = await buildApp({ config, db: database.db, logger: false });
    cleanups.push(() => app.close());
    expect(await jobSeries(app)).toEqual({});
  });
});
