import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

import { createAuth } from '@buybuy/auth';
import { type Config, loadConfig } from '@buybuy/config';
import { createDatabase, type DatabaseHandle, users } from '@buybuy/db';
import {
  createTestDatabase,
  startTcpProxy,
  type TcpProxy,
  type TestDatabase,
} from '@buybuy/db/testing';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

import { buildApp } from '../src/app';

/**
 * The primary goes away and comes back while the app runs: its pool reaches
 * the test's database through a TCP proxy this file cuts (connections
 * dropped, new ones refused: a restarting server) or black-holes (connections
 * accepted, never answered: a frozen or unreachable host), never the shared
 * server itself. Writes meanwhile get a 503 in the envelope with Retry-After
 * on both faces, and work again without restarting anything.
 */
let test: TestDatabase;
let proxy: TcpProxy;
let database: DatabaseHandle;
let app: FastifyInstance;
let url: string;
let admin: string;

/** The host and port of a mysql:// URL, for a proxy in front of that server. */
const serverOf = (databaseUrl: string) => {
  const { hostname, port } = new URL(databaseUrl);
  return { host: hostname, port: Number(port) };
};

beforeAll(async () => {
  test = await createTestDatabase();
  proxy = await startTcpProxy(serverOf(test.url));
  const base = loadConfig({ NODE_ENV: 'test', BCRYPT_COST: '4', LOG_LEVEL: 'silent' });
  const config: Config = {
    ...base,
    database: { ...base.database, url: proxy.urlFor(test.url), connectTimeoutMs: 500 },
  };
  database = createDatabase(config.database.url, {
    poolSize: 3,
    connectTimeoutMs: config.database.connectTimeoutMs,
  });
  app = await buildApp({ config, db: database.db, logger: false });
  url = await app.listen({ host: '127.0.0.1', port: 0 });
  const auth = createAuth({ db: test.db, ...config.auth });
  const [row] = await test.db
    .insert(users)
    .values({ username: 'admin', email: 'admin@example.com', password_hash: 'x', is_staff: true })
    .$returningId();
  admin = (await auth.signIn(row!.id)).access_token;
});

afterEach(() => proxy.restore());

afterAll(async () => {
  await app.close();
  await database.close();
  await proxy.close();
  await test.drop();
});

let created = 0;
/** A category created over REST. */
const createOverRest = () =>
  app.inject({
    method: 'POST',
    url: '/v1/categories',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
    payload: JSON.stringify({ name: `Outage ${++created}` }),
  });

/** The same over tRPC, on the wire as the SDK sends it (headers are what is checked). */
const createOverTrpc = () =>
  fetch(`${url}/trpc/categories.create`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
    body: JSON.stringify({ json: { name: `Outage ${++created}` } }),
  });

async function expectUnavailable() {
  const rest = await createOverRest();
  expect(rest.statusCode).toBe(503);
  expect(rest.headers['retry-after']).toBe('5');
  expect(rest.json()).toEqual({
    success: false,
    data: null,
    message: 'The database is unavailable, try again shortly',
    errors: [
      {
        field: null,
        code: 'SERVICE_UNAVAILABLE',
        message: 'The database is unavailable, try again shortly',
      },
    ],
    meta: {},
  });

  const trpc = await createOverTrpc();
  expect(trpc.status).toBe(503);
  expect(trpc.headers.get('retry-after')).toBe('5');
  const body = (await trpc.json()) as { error: { json: { data: Record<string, unknown> } } };
  expect(body.error.json.data).toMatchObject({ code: 'SERVICE_UNAVAILABLE', httpStatus: 503 });

  const ready = await app.inject({ method: 'GET', url: '/ready' });
  expect(ready.statusCode).toBe(503);
  expect(ready.json()).toMatchObject({ status: 'unavailable', database: 'down' });
}

async function expectWritesWork() {
  expect((await createOverRest()).statusCode).toBe(201);
  expect((await createOverTrpc()).status).toBe(200);
  expect((await app.inject({ method: 'GET', url: '/ready' })).statusCode).toBe(200);
}

describe('the primary goes away and comes back', () => {
  it('a restart: writes get 503 with Retry-After meanwhile, then work on the same pool', async () => {
    await expectWritesWork(); // the pool holds open connections, which the cut drops
    await proxy.cut();
    await expectUnavailable();
    await proxy.restore();
    await expectWritesWork();
  });

  it('a host that never answers: the connect timeout gives the 503 instead of a hang', async () => {
    await expectWritesWork();
    await proxy.blackhole();
    await expectUnavailable();
    await proxy.restore();
    await expectWritesWork();
  });
});

describe('a replica that does not answer when the server starts', () => {
  it('starts with it out of the rotation (/ready degraded) and takes it in once it answers', async () => {
    const replica = await startTcpProxy(serverOf(test.url));
    await replica.cut();
    const server = spawn(
      fileURLToPath(new URL('../node_modules/.bin/tsx', import.meta.url)),
      ['src/server.ts'],
      {
        cwd: fileURLToPath(new URL('..', import.meta.url)),
        env: {
          PATH: process.env.PATH,
          NODE_ENV: 'test',
          HOST: '127.0.0.1',
          PORT: '0',
          LOG_LEVEL: 'info',
          DATABASE_URL: test.url,
          DATABASE_REPLICA_URLS: replica.urlFor(test.url),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    server.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    server.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      const address = await vi.waitFor(
        () => {
          expect(server.exitCode, output).toBeNull();
          const found = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
          expect(found, output).toBeDefined();
          return found!;
        },
        { timeout: 60_000, interval: 200 },
      );
      expect(output).toContain('read replica does not answer: out of the rotation until it does');
      const ready = async () => {
        const response = await fetch(`${address}/ready`);
        return { status: response.status, body: (await response.json()) as unknown };
      };
      expect(await ready()).toEqual({
        status: 200,
        body: {
          status: 'degraded',
          database: 'ok',
          redis: 'disabled',
          replicas: { replica0: 'down' },
        },
      });
      await replica.restore();
      await vi.waitFor(
        async () =>
          expect(await ready()).toEqual({
            status: 200,
            body: { status: 'ok', database: 'ok', redis: 'disabled', replicas: { replica0: 'ok' } },
          }),
        { timeout: 20_000, interval: 200 },
      );
      expect(output).toContain('read replica back in the rotation');
    } finally {
      const exited = once(server, 'exit');
      server.kill('SIGTERM');
      await exited;
      await replica.close();
    }
  }, 90_000);
});
