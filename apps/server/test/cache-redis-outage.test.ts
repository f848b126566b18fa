import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';

import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestApp, type TestApp } from './harness';

/**
 * The app's Redis is a redis-server of this file's own, on a spare port,
 * stopped and started again mid-test: reads keep answering from the database
 * and caching resumes by itself.
 */
let port: number;
let server: ChildProcess | undefined;
let redis: Redis;
let t: TestApp;
let admin: string;
let hits = 0;
let errors = 0;

async function sparePort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port: free } = probe.address() as { port: number };
  probe.close();
  await once(probe, 'close');
  return free;
}

async function startRedis() {
  server = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
}

async function stopRedis() {
  const stopping = once(server!, 'exit');
  server!.kill('SIGKILL');
  await stopping;
  server = undefined;
}

/** Resolves once the client reports `status` (it retries on its own every 50 ms). */
async function clientStatus(status: 'ready' | 'down') {
  const reached = () => (status === 'ready' ? redis.status === 'ready' : redis.status !== 'ready');
  const event = status === 'ready' ? 'ready' : 'close';
  // Not events.once: it would reject on the 'error' events a reconnecting client emits.
  while (!reached()) await new Promise((resolve) => redis.once(event, resolve));
}

const priceOfFirst = async () => {
  const res = await t.rest('GET', '/v1/products');
  expect(res.statusCode).toBe(200);
  return res.json().data[0].price as string;
};

beforeAll(async () => {
  port = await sparePort();
  await startRedis();
  redis = new Redis({
    port,
    host: '127.0.0.1',
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => 50,
  });
  redis.on('error', () => undefined);
  // The server needs a moment to listen: the client retries until it does.
  redis.connect().catch(() => undefined);
  await clientStatus('ready');
  t = await startTestApp(
    {},
    {
      redis,
      onCacheEvent: (event) => {
        if (event === 'hit') hits += 1;
        if (event === 'error') errors += 1;
      },
    },
  );
  admin = await t.tokenFor('outageadmin', { admin: true });
  const category = await t.rest('POST', '/v1/categories', { token: admin, body: { name: 'Pens' } });
  await t.rest('POST', '/v1/products', {
    token: admin,
    body: { name: 'Pen', price: '1.00', category_id: category.json().data.id },
  });
});
afterAll(async () => {
  await t?.close();
  if (server) await stopRedis();
});

describe('the catalog cache when Redis goes away', () => {
  it('keeps serving from the database, reports Redis down, and resumes when it returns', async () => {
    expect(await priceOfFirst()).toBe('1.00');
    expect(await priceOfFirst()).toBe('1.00');
    expect(hits).toBe(1);

    await stopRedis();
    await clientStatus('down');
    expect(await priceOfFirst()).toBe('1.00');
    const ready = await t.app.inject({ method: 'GET', url: '/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ database: 'ok', redis: 'down' });
    expect(errors).toBeGreaterThan(0);

    // A write while Redis is away: later reads still see it.
    const id = (await t.rest('GET', '/v1/products')).json().data[0].id;
    const update = await t.rest('PUT', `/v1/products/${id}`, {
      token: admin,
      body: { price: '2.00' },
    });
    expect(update.statusCode).toBe(200);
    expect(await priceOfFirst()).toBe('2.00');
    expect(hits).toBe(1);

    await startRedis();
    await clientStatus('ready');
    expect((await t.app.inject({ method: 'GET', url: '/ready' })).json().redis).toBe('ok');
    expect(await priceOfFirst()).toBe('2.00');
    expect(await priceOfFirst()).toBe('2.00');
    expect(hits).toBe(2);
  });
});
