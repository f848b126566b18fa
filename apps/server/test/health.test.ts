import { loadConfig } from '@buybuy/config';
import { createDatabase, type DatabaseHandle } from '@buybuy/db';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildApp } from '../src/app';
import { startTestApp, type TestApp } from './harness';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('GET /health', () => {
  it('says the process is alive, outside the envelope', async () => {
    const res = await t.rest('GET', '/health');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });
});

describe('GET /ready', () => {
  it('is 200 when the database and Redis answer', async () => {
    const res = await t.rest('GET', '/ready');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', database: 'ok', redis: 'ok' });
  });
});

describe('with dependencies down', () => {
  const closers: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const close of closers.reverse()) await close();
  });
  const appWith = async (options: { databaseUrl: string; redis?: Redis }) => {
    const handle: DatabaseHandle = createDatabase(options.databaseUrl, { poolSize: 1 });
    closers.push(() => handle.close());
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
    const app: FastifyInstance = await buildApp({
      config,
      db: handle.db,
      redis: options.redis,
      logger: false,
    });
    closers.push(() => app.close());
    return app;
  };

  it('/ready is 503 while the database is unreachable, and /health stays 200', async () => {
    const app = await appWith({ databaseUrl: 'mysql://root@127.0.0.1:1/buybuy' });
    const ready = await app.inject({ method: 'GET', url: '/ready' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toEqual({ status: 'unavailable', database: 'down', redis: 'disabled' });
    const health = await app.inject({ method: 'GET', url: '/health' });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toEqual({ status: 'ok' });
  });

  it('losing Redis degrades the service but keeps it ready', async () => {
    // A client that never reached its server, as during a Redis outage.
    const redis = new Redis('redis://127.0.0.1:1', {
      lazyConnect: true,
      enableOfflineQueue: false,
    });
    const outage: Error[] = [];
    redis.on('error', (error: Error) => outage.push(error));
    closers.push(async () => redis.disconnect());
    const app = await appWith({ databaseUrl: t.db.url, redis });
    const ready = await app.inject({ method: 'GET', url: '/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ok', database: 'ok', redis: 'down' });
    // Rate limits fall back to this process instead of failing the call.
    const list = await app.inject({ method: 'GET', url: '/v1/categories' });
    expect(list.statusCode).toBe(200);
  });
});
