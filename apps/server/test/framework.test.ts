import { loadConfig } from '@buybuy/config';
import { createDatabase, type DatabaseHandle } from '@buybuy/db';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildApp } from '../src/app';
import { startTestApp, type TestApp } from './harness';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ bodyLimitBytes: 2048 });
});
afterAll(() => t.close());

const failure = (code: string) => ({
  success: false,
  data: null,
  errors: [{ field: null, code }],
  meta: {},
});

describe('errors Fastify raises before a procedure runs wear the envelope', () => {
  it('malformed JSON is a 400 MALFORMED_JSON', async () => {
    const res = await t.rest('POST', '/v1/auth/login', {
      body: undefined,
      headers: { 'content-type': 'application/json' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject(failure('MALFORMED_JSON'));

    const broken = await t.app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"email": ',
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json()).toMatchObject(failure('MALFORMED_JSON'));
    expect(broken.json().message).toEqual(expect.any(String));
  });

  it('a body over the configured limit is a 413 PAYLOAD_TOO_LARGE', async () => {
    const res = await t.rest('POST', '/v1/auth/login', {
      body: { email: 'a@example.com', password: 'x'.repeat(4096) },
    });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject(failure('PAYLOAD_TOO_LARGE'));
  });

  it('a body that is not JSON is a 415 UNSUPPORTED_MEDIA_TYPE, known or unknown to Fastify', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/v1/auth/login',
        headers: { 'content-type': type },
        payload: 'email=a',
      });
      expect(res.statusCode, type).toBe(415);
      expect(res.json()).toMatchObject(failure('UNSUPPORTED_MEDIA_TYPE'));
      expect(res.json().message).toBe('Send the body as application/json');
    }
    const none = await t.app.inject({ method: 'PUT', url: '/v1/users/profile' });
    expect(none.statusCode).toBe(415);
    expect(none.json()).toMatchObject(failure('UNSUPPORTED_MEDIA_TYPE'));
  });

  it('accepts application/json with a charset', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      payload: JSON.stringify({ email: 'nobody@example.com', password: 'password123' }),
    });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ success: false, errors: [{ code: 'INVALID_CREDENTIALS' }] });
  });

  it('an unknown /v1 route is a 404 NOT_FOUND', async () => {
    for (const url of ['/v1/nope', '/v1/products/1/nope', '/v1', '/v1/']) {
      const res = await t.rest('GET', url);
      expect(res.statusCode, url).toBe(404);
      expect(res.json()).toMatchObject(failure('NOT_FOUND'));
    }
    const post = await t.rest('POST', '/v1/nope', { body: {} });
    expect(post.statusCode).toBe(404);
    expect(post.json()).toMatchObject(failure('NOT_FOUND'));
  });

  it('a known path with the wrong method is a 405 METHOD_NOT_ALLOWED with an Allow header', async () => {
    const cases: [method: string, url: string, allow: string][] = [
      ['PATCH', '/v1/users/profile', 'GET, PUT'],
      ['DELETE', '/v1/auth/login', 'POST'],
      ['GET', '/v1/auth/login/', 'POST'],
      ['POST', '/v1/categories/12', 'GET, PUT, DELETE'],
      ['PATCH', '/v1/products', 'GET, POST'],
    ];
    for (const [method, url, allow] of cases) {
      const res = await t.app.inject({
        method: method as 'GET',
        url,
        headers: { 'content-type': 'application/json' },
        payload: '{}',
      });
      expect(res.statusCode, `${method} ${url}`).toBe(405);
      expect(res.headers.allow).toBe(allow);
      expect(res.json()).toMatchObject(failure('METHOD_NOT_ALLOWED'));
    }
  });

  it('paths work with and without a trailing slash', async () => {
    const plain = await t.rest('GET', '/v1/categories');
    const slashed = await t.rest('GET', '/v1/categories/');
    expect(plain.statusCode).toBe(200);
    expect(slashed.statusCode).toBe(200);
    expect(slashed.json()).toEqual(plain.json());
    expect((await t.rest('GET', '/v1/users/profile/')).json()).toMatchObject(
      failure('UNAUTHORIZED'),
    );
    expect((await t.rest('GET', '/health/')).statusCode).toBe(200);
  });

  it('unknown routes outside /v1 are enveloped 404s too', async () => {
    const res = await t.rest('GET', '/nope');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject(failure('NOT_FOUND'));
  });

  it('a URL the router cannot read is an enveloped 400', async () => {
    const res = await t.rest('GET', '/v1/%E0%A4%A');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject(failure('BAD_REQUEST'));
  });

  it('leaves the tRPC face unwrapped', async () => {
    const categories = await t.trpc().categories.list.query({});
    expect(Array.isArray(categories)).toBe(true);
  });

  it('serves a batch of many tRPC calls in one request (a long path segment)', async () => {
    const client = t.trpc();
    const results = await Promise.all(
      Array.from({ length: 40 }, () => client.categories.list.query({})),
    );
    expect(results).toHaveLength(40);
  });
});

describe('request ids', () => {
  it('echoes a sane x-request-id and makes one otherwise', async () => {
    const given = await t.rest('GET', '/health', { headers: { 'x-request-id': 'edge-1234.abc' } });
    expect(given.headers['x-request-id']).toBe('edge-1234.abc');
    const made = await t.rest('GET', '/v1/nope');
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const garbage = await t.rest('GET', '/health', {
      headers: { 'x-request-id': 'x'.repeat(300) },
    });
    expect(garbage.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('server-side failures', () => {
  const apps: { app: FastifyInstance; handle: DatabaseHandle }[] = [];
  const appOn = async (url: string) => {
    const handle = createDatabase(url, { poolSize: 1 });
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      RATE_LIMIT_ENABLED: 'false',
    });
    const app = await buildApp({ config, db: handle.db, logger: false });
    apps.push({ app, handle });
    return app;
  };
  afterAll(async () => {
    for (const { app, handle } of apps) {
      await app.close();
      await handle.close();
    }
  });

  it('a 500 carries no stack, SQL or internal message, on either face', async () => {
    // A database without BuyBuy's tables: every query fails with a SQL error.
    const app = await appOn('mysql://root@127.0.0.1:3306/information_schema');
    const res = await app.inject({ method: 'GET', url: '/v1/categories' });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({
      success: false,
      data: null,
      message: 'Internal server error',
      errors: [{ field: null, code: 'INTERNAL', message: 'Internal server error' }],
      meta: {},
    });
    const trpc = await app.inject({
      method: 'GET',
      url: `/trpc/categories.list?input=${encodeURIComponent('{"json":{}}')}`,
    });
    expect(trpc.statusCode).toBe(500);
    expect(trpc.body).toContain('Internal server error');
    for (const body of [res.body, trpc.body]) {
      expect(body).not.toMatch(/select|categories`|stack|at .*\.ts|ER_|doesn't exist/i);
    }
  });

  it('an unreachable database is a 503 SERVICE_UNAVAILABLE', async () => {
    const app = await appOn('mysql://root@127.0.0.1:1/buybuy');
    const res = await app.inject({ method: 'GET', url: '/v1/categories' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject(failure('SERVICE_UNAVAILABLE'));
    expect(res.body).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
  });
});
