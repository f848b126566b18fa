import { Writable } from 'node:stream';

import type { AppRouter } from '@buybuy/api';
import type { Config } from '@buybuy/config';
import { users } from '@buybuy/db';
import { createTRPCClient, httpLink } from '@trpc/client';
import { eq, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import superjson from 'superjson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildApp } from '../src/app';
import { startTestApp, type TestApp } from './harness';

/**
 * Production's request log: one JSON record per request, with the request
 * id the client got back, the route (as /metrics names it), status,
 * duration and the caller; failures logged with the same request id. A
 * production-configured app of its own, really listening, on the harness's
 * database (which also makes the users and their tokens), its log stream
 * read here.
 */
type LogRecord = Record<string, unknown> & { msg: string; reqId?: string; level: number };

let t: TestApp;
let app: FastifyInstance;
let url: string;
let token: string;
let userId: number;
const records: LogRecord[] = [];

beforeAll(async () => {
  t = await startTestApp();
  const config: Config = {
    ...t.config,
    env: 'production',
    logLevel: 'info',
    // Answers come from the database each time: a 500 below must not be served from a cache.
    cache: { ...t.config.cache, enabled: false },
  };
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        records.push(JSON.parse(line) as LogRecord);
      }
      done();
    },
  });
  app = await buildApp({
    config,
    db: t.db.db,
    redis: t.redis,
    keyPrefix: t.keyPrefix,
    logger: { stream },
  });
  url = await app.listen({ host: '127.0.0.1', port: 0 });
  token = await t.tokenFor('logged-shopper');
  const [user] = await t.db.db
    .select({ id: users.id })
    .from(users)
    .where(eq(users.username, 'logged-shopper'));
  userId = user!.id;
});

afterAll(async () => {
  await app.close();
  await t.close();
});

/** The records of one request, found by the request id its response carried. */
const recordsOf = (requestId: string | null) => {
  expect(requestId).toMatch(/\S/);
  return records.filter((record) => record.reqId === requestId);
};

type Client = ReturnType<typeof createTRPCClient<AppRouter>>;

/** A tRPC call over HTTP, one call per request: whether it succeeded, and the request id it got back. */
async function trpcCall(
  headers: Record<string, string>,
  call: (client: Client) => Promise<unknown>,
) {
  let requestId: string | null = null;
  const client = createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: `${url}/trpc`,
        transformer: superjson,
        headers: () => headers,
        fetch: async (input, init) => {
          const response = await fetch(input, init);
          requestId = response.headers.get('x-request-id');
          return response;
        },
      }),
    ],
  });
  const outcome = await call(client).then(
    () => 'ok',
    () => 'failed',
  );
  return { requestId: requestId as string | null, outcome };
}

describe('the production request log', () => {
  it('is one record per REST call: request id, route pattern, status, duration and the signed-in user', async () => {
    const response = await fetch(`${url}/v1/products?per_page=2&search=lamp`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(200);
    const mine = recordsOf(response.headers.get('x-request-id'));
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({
      msg: 'request completed',
      level: 30,
      method: 'GET',
      path: '/v1/products',
      face: 'rest',
      route: '/v1/products',
      status: 200,
      durationMs: expect.any(Number),
      userId,
    });
    // The query (search words, tRPC inputs) and the token stay out of the log.
    expect(JSON.stringify(mine[0])).not.toContain('lamp');
    expect(JSON.stringify(records)).not.toContain(token);
  });

  it('names a REST route by its pattern, never the raw path, and has no user for an anonymous call', async () => {
    const response = await fetch(`${url}/v1/products/987654`);
    expect(response.status).toBe(404);
    const [record, ...more] = recordsOf(response.headers.get('x-request-id'));
    expect(more).toEqual([]);
    expect(record).toMatchObject({
      path: '/v1/products/987654',
      route: '/v1/products/{id}',
      status: 404,
    });
    expect(record).not.toHaveProperty('userId');
  });

  it('is one record per tRPC call, named by its procedure, with the user', async () => {
    const { requestId, outcome } = await trpcCall({ authorization: `Bearer ${token}` }, (client) =>
      client.users.profile.query({}),
    );
    expect(outcome).toBe('ok');
    const mine = recordsOf(requestId);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({
      msg: 'request completed',
      path: '/trpc/users.profile',
      face: 'trpc',
      route: 'users.profile',
      status: 200,
      userId,
    });
  });

  it("names the API key and the admin it acts for on a third party's call", async () => {
    const admin = await t.tokenFor('key-owner', { admin: true });
    const created = await t.rest('POST', '/v1/api-keys', {
      token: admin,
      body: { name: 'ERP sync', scopes: ['catalog:read'] },
    });
    expect(created.statusCode, created.body).toBe(201);
    const key = created.json().data as { id: number; secret: string };
    const [owner] = await t.db.db
      .select({ id: users.id })
      .from(users)
      .where(eq(users.username, 'key-owner'));

    const response = await fetch(`${url}/v1/categories`, { headers: { 'x-api-key': key.secret } });
    expect(response.status).toBe(200);
    expect(recordsOf(response.headers.get('x-request-id'))).toMatchObject([
      { route: '/v1/categories', status: 200, userId: owner!.id, apiKeyId: key.id },
    ]);
    expect(JSON.stringify(records)).not.toContain(key.secret);
  });

  it('keeps the request id a proxy sent, and logs nothing for probes and scrapes that succeed', async () => {
    const before = records.length;
    for (const path of ['/health', '/ready', '/metrics']) {
      expect((await fetch(`${url}${path}`)).status).toBe(200);
    }
    expect(records.slice(before)).toEqual([]);

    const response = await fetch(`${url}/v1/categories`, {
      headers: { 'x-request-id': 'edge-7f3a' },
    });
    expect(response.headers.get('x-request-id')).toBe('edge-7f3a');
    expect(recordsOf('edge-7f3a')).toMatchObject([{ route: '/v1/categories', status: 200 }]);
  });

  it('logs a failure, cause included, under the request id the client saw, on both faces', async () => {
    // A real failure: the table the call reads is gone.
    await t.db.db.execute(sql`RENAME TABLE shipping_methods TO shipping_methods_away`);
    try {
      const rest = await fetch(`${url}/v1/shipping-methods`);
      expect(rest.status).toBe(500);
      const restId = rest.headers.get('x-request-id');
      expect(JSON.stringify(await rest.json())).not.toContain('shipping_methods');
      const restRecords = recordsOf(restId);
      expect(restRecords.map((record) => record.msg)).toEqual([
        'REST call failed',
        'request completed',
      ]);
      expect(restRecords[0]).toMatchObject({
        level: 50,
        err: { message: expect.stringContaining('shipping_methods') },
      });
      expect(restRecords[1]).toMatchObject({ route: '/v1/shipping-methods', status: 500 });

      const { requestId, outcome } = await trpcCall({}, (client) =>
        client.shippingMethods.list.query({}),
      );
      expect(outcome).toBe('failed');
      const trpcRecords = recordsOf(requestId);
      expect(trpcRecords.map((record) => record.msg)).toEqual([
        'tRPC call failed',
        'request completed',
      ]);
      expect(trpcRecords[0]).toMatchObject({ level: 50, path: 'shippingMethods.list' });
      expect(trpcRecords[1]).toMatchObject({
        face: 'trpc',
        route: 'shippingMethods.list',
        status: 500,
      });
    } finally {
      await t.db.db.execute(sql`RENAME TABLE shipping_methods_away TO shipping_methods`);
    }
  });
});
