import { randomBytes } from 'node:crypto';

import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';

import {
  createBullQueue,
  defineJob,
  queuePrefix,
  type RunningWorker,
  startBullWorker,
} from '../src';
import { depsWithout, recordingLogger, waitFor } from './support';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const keyPrefix = `test:jobs:${randomBytes(4).toString('hex')}`;
const retry = { attempts: 3, backoffMs: 100 };
const closing: Array<() => Promise<void>> = [];

const seen: string[] = [];
const tries: number[] = [];
const greet = defineJob({
  name: 'greet',
  payload: z.object({ who: z.string().min(1) }),
  handler: async ({ who }) => {
    seen.push(who);
  },
});
const flaky = defineJob({
  name: 'flaky',
  payload: z.object({ n: z.number() }),
  handler: async () => {
    tries.push(Date.now());
    throw new Error('still broken');
  },
});
const definitions = [greet, flaky];

async function worker(): Promise<RunningWorker & { deps: ReturnType<typeof depsWithout> }> {
  const deps = depsWithout();
  const running = await startBullWorker({
    redis: { url: redisUrl },
    redisKeyPrefix: keyPrefix,
    definitions,
    deps,
    retry,
    concurrency: 2,
    lockMs: 5_000,
  });
  closing.push(running.close);
  return { ...running, deps };
}

afterAll(async () => {
  for (const close of closing.reverse()) await close();
  const redis = new Redis(redisUrl);
  const keys = await redis.keys(`${queuePrefix(keyPrefix)}:*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

describe('the BullMQ queue (real Redis)', () => {
  const queue = createBullQueue({
    redis: { url: redisUrl },
    redisKeyPrefix: keyPrefix,
    definitions,
    retry,
    log: recordingLogger(),
  });
  closing.push(queue.close);

  it('keeps its keys under the shop prefix, in one hash tag', async () => {
    await queue.enqueue(greet, { who: 'queued' });
    const redis = new Redis(redisUrl);
    const keys = await redis.keys(`*${keyPrefix}*`);
    await redis.quit();
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) expect(key.startsWith(`{${keyPrefix}:bull}:jobs:`)).toBe(true);
    expect(await queue.counts()).toMatchObject({ waiting: 1, active: 0, failed: 0 });
  });

  it('refuses a bad payload before it reaches Redis', async () => {
    await expect(queue.enqueue(greet, { who: '' })).rejects.toThrow(z.ZodError);
    expect((await queue.counts()).waiting).toBe(1);
  });

  it('runs jobs in a worker through the same definitions', async () => {
    await worker();
    await queue.enqueue(greet, { who: 'Ada' });
    await waitFor(() => seen.length === 2);
    expect(seen.sort()).toEqual(['Ada', 'queued']);
    await waitFor(async () => (await queue.counts()).waiting === 0);
  });

  it('retries with exponential backoff, then the job is in the failed set', async () => {
    await queue.enqueue(flaky, { n: 7 });
    await waitFor(async () => (await queue.counts()).failed === 1);
    expect(tries).toHaveLength(3);
    expect(tries[1]! - tries[0]!).toBeGreaterThanOrEqual(100);
    expect(tries[2]! - tries[1]!).toBeGreaterThanOrEqual(200);
    const [failed] = await queue.failed();
    expect(failed).toMatchObject({
      name: 'flaky',
      payload: { n: 7 },
      error: 'still broken',
      tries: 3,
    });
    expect(await queue.counts()).toEqual({ waiting: 0, active: 0, delayed: 0, failed: 1 });
  });

  it('fails at once, without retries, a job whose payload no longer fits', async () => {
    // As if queued by an older release: straight into BullMQ, past enqueue's check.
    await queue.queue.add('greet', { who: 42 });
    await waitFor(async () => (await queue.counts()).failed === 2);
    const [failed] = await queue.failed();
    expect(failed).toMatchObject({ name: 'greet', tries: 1 });
    expect(failed!.error).toMatch(/Invalid payload/);
  });
});
