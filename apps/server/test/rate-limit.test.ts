import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestApp, type TestApp } from './harness';

// A tight budget: 5 calls per caller, 3 credential attempts per IP and per email.
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ rateLimit: { enabled: true, windowSeconds: 60, max: 5, authMax: 3 } });
});
afterAll(() => t.close());

/** Each test calls from its own address, so budgets never leak between tests. */
let lastOctet = 10;
const nextIp = () => `10.0.0.${lastOctet++}`;

const rest = (ip: string, method: 'GET' | 'POST', url: string, body?: unknown) =>
  t.app.inject({
    method,
    url,
    remoteAddress: ip,
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) }),
  });

/** A tRPC request through the real adapter; several calls make one batched request (GET for queries). */
const trpcBatch = (
  ip: string,
  paths: string[],
  inputs: unknown[],
  type: 'query' | 'mutation' = 'query',
) => {
  const encoded = Object.fromEntries(inputs.map((input, i) => [i, { json: input }]));
  const url = `/trpc/${paths.join(',')}?batch=1`;
  return type === 'query'
    ? t.app.inject({
        method: 'GET',
        url: `${url}&input=${encodeURIComponent(JSON.stringify(encoded))}`,
        remoteAddress: ip,
      })
    : t.app.inject({
        method: 'POST',
        url,
        remoteAddress: ip,
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify(encoded),
      });
};

/** One unbatched tRPC query. */
const trpcQuery = (ip: string, path: string, input: unknown) =>
  t.app.inject({
    method: 'GET',
    url: `/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`,
    remoteAddress: ip,
  });

const rateLimited = { success: false, data: null, errors: [{ field: null, code: 'RATE_LIMITED' }] };

describe('the general budget', () => {
  it('limits /v1 calls: 429 RATE_LIMITED with Retry-After', async () => {
    const ip = nextIp();
    for (let i = 0; i < 5; i++)
      expect((await rest(ip, 'GET', '/v1/categories')).statusCode).toBe(200);
    const limited = await rest(ip, 'GET', '/v1/categories');
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject(rateLimited);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    // Another caller still has its own budget.
    expect((await rest(nextIp(), 'GET', '/v1/categories')).statusCode).toBe(200);
  });

  it('limits /trpc calls the same way, with the same code', async () => {
    const ip = nextIp();
    for (let i = 0; i < 5; i++)
      expect((await trpcQuery(ip, 'categories.list', {})).statusCode).toBe(200);
    const limited = await trpcQuery(ip, 'categories.list', {});
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(limited.json()).toMatchObject({
      error: { json: { data: { code: 'RATE_LIMITED', httpStatus: 429 } } },
    });
  });

  it('counts both faces against one budget', async () => {
    const ip = nextIp();
    for (let i = 0; i < 3; i++)
      expect((await rest(ip, 'GET', '/v1/categories')).statusCode).toBe(200);
    for (let i = 0; i < 2; i++)
      expect((await trpcQuery(ip, 'categories.list', {})).statusCode).toBe(200);
    expect((await rest(ip, 'GET', '/v1/categories')).statusCode).toBe(429);
    expect((await trpcQuery(ip, 'categories.list', {})).statusCode).toBe(429);
  });

  it('counts every call of one batched tRPC request', async () => {
    const ip = nextIp();
    const res = await trpcBatch(ip, Array(8).fill('categories.list'), Array(8).fill({}));
    const results = res.json() as {
      result?: unknown;
      error?: { json: { data: { code: string } } };
    }[];
    expect(results).toHaveLength(8);
    expect(results.filter((result) => result.result !== undefined)).toHaveLength(5);
    expect(
      results.filter((result) => result.error?.json.data.code === 'RATE_LIMITED'),
    ).toHaveLength(3);
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // The budget is spent for the next request too, on the other face.
    expect((await rest(ip, 'GET', '/v1/categories')).statusCode).toBe(429);
  });

  it("limits a batch sent by the typed client (the apps' path)", async () => {
    // The listening server sees the client at 127.0.0.1, which no other test here uses.
    const client = t.trpc();
    const settled = await Promise.allSettled(
      Array.from({ length: 7 }, () => client.categories.list.query({})),
    );
    expect(settled.filter((result) => result.status === 'fulfilled')).toHaveLength(5);
    const rejected = settled.filter(
      (result): result is PromiseRejectedResult => result.status === 'rejected',
    );
    expect(rejected).toHaveLength(2);
    for (const { reason } of rejected) {
      expect(reason).toBeInstanceOf(TRPCClientError);
      expect((reason as TRPCClientError<never>).data).toMatchObject({
        code: 'RATE_LIMITED',
        httpStatus: 429,
      });
    }
  });

  it('never limits /health, /ready, /openapi.json or /docs', async () => {
    const ip = nextIp();
    for (let i = 0; i < 8; i++) {
      for (const url of ['/health', '/ready', '/openapi.json'])
        expect((await rest(ip, 'GET', url)).statusCode, url).toBe(200);
    }
    expect((await rest(ip, 'GET', '/docs/')).statusCode).toBe(200);
    expect((await rest(ip, 'GET', '/v1/categories')).statusCode).toBe(200);
  });
});

describe('the credential budget', () => {
  const login = (ip: string, email: string) =>
    rest(ip, 'POST', '/v1/auth/login', { email, password: 'wrong-password' });

  it('is keyed by IP: a fourth attempt from one address is refused, whatever the email', async () => {
    const ip = nextIp();
    for (let i = 0; i < 3; i++)
      expect((await login(ip, `ip-${i}@example.com`)).statusCode).toBe(401);
    const limited = await login(ip, 'ip-3@example.com');
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject(rateLimited);
    expect(limited.headers['retry-after']).toBeDefined();
  });

  it('is keyed by email: a fourth attempt on one account is refused, whatever the address', async () => {
    for (let i = 0; i < 3; i++)
      expect((await login(nextIp(), 'Victim@Example.com')).statusCode).toBe(401);
    const limited = await login(nextIp(), ' victim@example.com ');
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject(rateLimited);
    expect(limited.headers['retry-after']).toBeDefined();
  });

  it('covers register and refresh too, and counts each call of a tRPC batch', async () => {
    const ip = nextIp();
    const res = await trpcBatch(
      ip,
      ['auth.login', 'auth.register', 'auth.refresh', 'auth.login'],
      [
        { email: 'batch@example.com', password: 'wrong-password' },
        { username: 'batcher', email: 'batcher@example.com', password: 'password123' },
        { refresh_token: 'not-a-token' },
        { email: 'batch2@example.com', password: 'wrong-password' },
      ],
      'mutation',
    );
    const results = res.json() as { error?: { json: { data: { code: string } } } }[];
    expect(results).toHaveLength(4);
    expect(results[3]?.error?.json.data.code).toBe('RATE_LIMITED');
    expect(results.slice(0, 3).map((result) => result.error?.json.data.code)).not.toContain(
      'RATE_LIMITED',
    );
    expect(res.headers['retry-after']).toBeDefined();
  });
});

describe('counts kept in the process (general budget)', () => {
  it('are sent to Redis when the app closes', async () => {
    // Another instance of the deployment, with room to count calls before asking Redis.
    const other = await startTestApp(
      { rateLimit: { enabled: true, windowSeconds: 60, max: 1000, authMax: 3 } },
      { sharedWith: t },
    );
    const ip = nextIp();
    for (let i = 0; i < 4; i++) {
      const res = await other.app.inject({
        method: 'GET',
        url: '/v1/categories',
        remoteAddress: ip,
      });
      expect(res.statusCode).toBe(200);
    }
    await other.close();
    expect(Number(await t.redis.get(`${t.keyPrefix}:rl:general:ip:${ip}`))).toBe(4);
  });
});
