import { loadConfig } from '@buybuy/config';
import { createTestDatabase, type TestDatabase } from '@buybuy/db/testing';
import { initTRPC } from '@trpc/server';
import Fastify, { type FastifyInstance } from 'fastify';
import { fastifyTRPCOpenApiPlugin, type OpenApiMeta } from 'trpc-to-openapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';

import { buildApp } from '../src/app';

/**
 * What patches/trpc-to-openapi@3.3.0.patch gives the REST adapter (docs/architecture.md,
 * "The trpc-to-openapi patch"). These fail if the patch is lost, e.g. when the
 * package's version changes and `patchedDependencies` no longer applies it.
 */

let db: TestDatabase;
let app: FastifyInstance;
/** Per request id: how many times the reply went through the onSend hooks, and its originalUrl. */
const sends = new Map<string, number>();
const originalUrls = new Map<string, string>();

beforeAll(async () => {
  db = await createTestDatabase();
  const base = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
  app = await buildApp({
    // No response cache: every request goes through the adapter.
    config: {
      ...base,
      database: { ...base.database, url: db.url },
      cache: { ...base.cache, enabled: false },
    },
    db: db.db,
    logger: false,
  });
  // Root hooks added last: they reach every route and run after each plugin's own.
  app.addHook('onSend', async (request, _reply, payload) => {
    sends.set(request.id, (sends.get(request.id) ?? 0) + 1);
    return payload;
  });
  app.addHook('onResponse', (request, _reply, done) => {
    originalUrls.set(request.id, request.originalUrl);
    done();
  });
  await app.ready();
});
afterAll(async () => {
  await app.close();
  await db.drop();
});

const get = (url: string, id: string) =>
  app.inject({ method: 'GET', url, headers: { 'x-request-id': id } });

describe('trpc-to-openapi, as patched', () => {
  it('sends a REST reply once: its onSend hooks run once, on success and on error', async () => {
    const list = await get('/v1/products?page=1', 'patch-list');
    expect(list.statusCode).toBe(200);
    expect(list.json()).toMatchObject({ success: true, data: [] });
    expect(sends.get('patch-list')).toBe(1);

    const missing = await get('/v1/products/999999', 'patch-missing');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ success: false, errors: [{ code: 'NOT_FOUND' }] });
    expect(sends.get('patch-missing')).toBe(1);
  });

  it('keeps the URL as it came in request.originalUrl, /v1 included', async () => {
    await get('/v1/categories?page=1', 'patch-url');
    expect(originalUrls.get('patch-url')).toBe('/v1/categories?page=1');
  });
});

describe('trpc-to-openapi, as patched: the input it builds', () => {
  // A router of its own on a bare Fastify that keeps a body's `__proto__` key
  // (the app refuses such a body, onProtoPoisoning: 'error'): the input the
  // adapter merges is read before any schema, as a middleware sees it.
  const t = initTRPC.meta<OpenApiMeta>().create();
  let seen: unknown;
  const echo = t.procedure
    .use(async ({ getRawInput, next }) => {
      seen = await getRawInput();
      return next();
    })
    .meta({ openapi: { method: 'POST', path: '/echo/{id}' } })
    .input(z.object({ id: z.string(), name: z.string() }))
    .output(z.object({ id: z.string(), name: z.string() }))
    .mutation(({ input }) => ({ id: input.id, name: input.name }));
  let bare: FastifyInstance;

  beforeAll(async () => {
    bare = Fastify({ logger: false, onProtoPoisoning: 'ignore' });
    await bare.register(fastifyTRPCOpenApiPlugin, { basePath: '/', router: t.router({ echo }) });
    await bare.ready();
  });
  afterAll(() => bare.close());

  const post = (body: string) =>
    bare.inject({
      method: 'POST',
      url: '/echo/7',
      headers: { 'content-type': 'application/json' },
      payload: body,
    });

  it('is the body with the path parameters over it', async () => {
    const response = await post('{"name":"lamp","id":"overridden"}');
    expect(response.statusCode).toBe(200);
    expect(seen).toEqual({ name: 'lamp', id: '7' });
    expect(Object.getPrototypeOf(seen)).toBe(Object.prototype);
  });

  it("keeps a body's own __proto__ key as a key, never as the input's prototype", async () => {
    await post('{"__proto__":{"injected":true},"name":"lamp"}');
    expect(Object.getPrototypeOf(seen)).toBe(Object.prototype);
    expect(Object.hasOwn(seen as object, '__proto__')).toBe(true);
    expect((seen as { injected?: unknown }).injected).toBeUndefined();
    expect((seen as { id?: unknown }).id).toBe('7');
  });
});
