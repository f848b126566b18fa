import { randomBytes } from 'node:crypto';

import { createTestDatabase, type TestDatabase } from '@buybuy/db/testing';
import { createLocalImageStorage } from '@buybuy/images';
import { createBullQueue, defineJob, type JobQueue, startBullWorker } from '@buybuy/jobs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';

import { type LocalRedisCluster, startRedisCluster } from './support/redis-cluster';

/** These jobs never touch images. */
const unusedImages = createLocalImageStorage('/unused', 'http://unused.test');

/**
 * Jobs on a Redis Cluster (REDIS_CLUSTER_NODES): BullMQ's scripts touch
 * several keys of a queue at once, which a cluster allows only on one slot;
 * the queue prefix's hash tag puts them there.
 */
let cluster: LocalRedisCluster;
let database: TestDatabase;
const cleanups: Array<() => Promise<unknown>> = [];
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
const keyPrefix = `test:jobs-cluster:${randomBytes(4).toString('hex')}`;
const done: number[] = [];

const record = defineJob({
  name: 'record',
  payload: z.object({ n: z.number() }),
  handler: async ({ n }) => {
    if (n < 0) throw new Error('negative');
    done.push(n);
  },
});

beforeAll(async () => {
  [cluster, database] = await Promise.all([startRedisCluster(), createTestDatabase()]);
}, 120_000);

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await cluster.stop();
  await database.drop();
});

describe('jobs on a Redis Cluster', () => {
  it('are queued, run by a worker, retried, and kept as failed', async () => {
    const target = { clusterNodes: cluster.nodes };
    const retry = { attempts: 2, backoffMs: 20 };
    const queue: JobQueue = createBullQueue({
      redis: target,
      redisKeyPrefix: keyPrefix,
      definitions: [record],
      retry,
      log: silent,
    });
    cleanups.push(queue.close);
    const worker = await startBullWorker({
      redis: target,
      redisKeyPrefix: keyPrefix,
      definitions: [record],
      deps: { db: database.db, log: silent, images: unusedImages },
      retry,
      concurrency: 2,
      lockMs: 5_000,
    });
    cleanups.push(worker.close);

    for (const n of [1, 2, 3, -1]) await queue.enqueue(record, { n });
    for (let waited = 0; (await queue.counts()).failed < 1 || done.length < 3; waited += 50) {
      if (waited > 20_000) throw new Error(`timed out: ${JSON.stringify(await queue.counts())}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(done.sort()).toEqual([1, 2, 3]);
    expect(await queue.counts()).toEqual({ waiting: 0, active: 0, delayed: 0, failed: 1 });
    expect((await queue.failed())[0]).toMatchObject({ payload: { n: -1 }, tries: 2 });
  });
});
