import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { sessions, users } from '@buybuy/db';
import { createTestDatabase, type TestDatabase } from '@buybuy/db/testing';
import { createBullQueue, jobDefinitions, queuePrefix, sweepSchedules } from '@buybuy/jobs';
import { Redis } from 'ioredis';
import { build } from 'tsup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import tsupConfig from '../tsup.config';
import { slowJob } from './fixtures/slow-job';

const root = fileURLToPath(new URL('..', import.meta.url));
// The bundle `pnpm build` makes, built into a folder of this test's own (under node_modules, so
// it finds the package's dependencies as dist/worker.js does).
const outDir = join(root, 'node_modules', '.cache', `worker-test-${process.pid}`);
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const keyPrefix = `test:worker:${randomBytes(4).toString('hex')}`;
const redis = new Redis(redisUrl);
let database: TestDatabase;
const children = new Set<ChildProcess>();

const queue = createBullQueue({
  redis: { url: redisUrl },
  redisKeyPrefix: keyPrefix,
  definitions: [...jobDefinitions, slowJob],
  log: { info: () => undefined, warn: () => undefined, error: () => undefined },
});

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function start(args: string[], env: Record<string, string | undefined> = {}): Started {
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      DATABASE_URL: database.url,
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: keyPrefix,
      JOBS_LOCK_SECONDS: '2',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      children.delete(child);
      resolve(code);
    }),
  );
  return { child, output: () => output, exited };
}

const slowWorker = (env?: Record<string, string | undefined>) =>
  start(['--import', 'tsx', 'test/fixtures/slow-worker.ts'], env);

async function waitFor<T>(check: () => Promise<T>, timeoutMs = 40_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() - started > timeoutMs) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const list = (key: string) => redis.lrange(key, 0, -1);

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await queue.close();
  const keys = await redis.keys(`*${keyPrefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
  await database.drop();
  await rm(outDir, { recursive: true, force: true });
});

// Each test starts real worker processes (tsx or a fresh tsup build): on a
// loaded machine a start alone can take several seconds, so the tests get
// two minutes instead of the preset's thirty seconds.
describe('apps/worker', { timeout: 120_000 }, () => {
  it('refuses to start without Redis, saying the API runs jobs itself then', async () => {
    const worker = start(['--import', 'tsx', 'src/worker.ts'], { REDIS_URL: undefined });
    expect(await worker.exited).toBe(1);
    expect(worker.output()).toMatch(/set REDIS_URL .*Without Redis the API runs the jobs itself/);
  });

  it('a worker killed mid-job leaves the job to the next worker, which runs it to the end', async () => {
    const key = `${keyPrefix}:killed`;
    await queue.enqueue(slowJob, { key, ms: 1500 });
    const first = slowWorker();
    await waitFor(async () => (await list(`${key}:started`)).length === 1);
    first.child.kill('SIGKILL');
    await first.exited;
    expect(await list(`${key}:done`)).toEqual([]);

    const second = slowWorker();
    const secondPid = String(second.child.pid);
    await waitFor(async () => (await list(`${key}:done`)).length === 1);
    expect(await list(`${key}:started`)).toEqual([String(first.child.pid), secondPid]);
    expect(await list(`${key}:done`)).toEqual([secondPid]);
    await waitFor(async () => (await queue.counts()).active === 0);
    expect(await queue.counts()).toMatchObject({ waiting: 0, failed: 0 });

    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });

  it('on SIGTERM finishes the job under way, then stops with one line', async () => {
    const key = `${keyPrefix}:graceful`;
    const worker = slowWorker();
    await waitFor(async () => worker.output().includes('worker started'));
    await queue.enqueue(slowJob, { key, ms: 1000 });
    await waitFor(async () => (await list(`${key}:started`)).length === 1);
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    expect(await list(`${key}:done`)).toEqual([String(worker.child.pid)]);
    expect(worker.output()).toMatch(/stopped on SIGTERM: jobs under way finished/);
    expect(await queue.counts()).toMatchObject({ waiting: 0, active: 0, failed: 0 });
  });

  it('built with tsup, schedules the sweeps and runs them', async () => {
    const options = Array.isArray(tsupConfig) ? tsupConfig[0] : tsupConfig;
    if (typeof options !== 'object') throw new Error('tsup.config.ts should export one object');
    await build({ ...options, outDir, silent: true, sourcemap: false });
    const [user] = await database.db
      .insert(users)
      .values({ username: 'ann', email: 'ann@example.com', password_hash: 'x' })
      .$returningId();
    const expired = randomBytes(32).toString('hex');
    const live = randomBytes(32).toString('hex');
    await database.db.insert(sessions).values([
      { id: expired, userId: user!.id, familyId: 'f1', expiresAt: new Date(Date.now() - 1000) },
      { id: live, userId: user!.id, familyId: 'f2', expiresAt: new Date(Date.now() + 3600_000) },
    ]);
    const worker = start([join(outDir, 'worker.js')]);
    await waitFor(async () => {
      const rows = await database.db.select({ id: sessions.id }).from(sessions);
      return rows.length === 1 && rows[0]!.id === live;
    });
    const schedulers = await queue.queue.getJobSchedulers();
    // Every sweep, and only the sweeps: the other jobs are enqueued by the API, never scheduled.
    expect(schedulers.map((scheduler) => scheduler.name).sort()).toEqual(
      sweepSchedules({ guestCartRetentionDays: 30 })
        .map((schedule) => schedule.job.name)
        .sort(),
    );
    expect(await redis.keys(`${queuePrefix(keyPrefix)}:*`)).not.toEqual([]);
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
  });
});
