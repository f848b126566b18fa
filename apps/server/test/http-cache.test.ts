import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestApp, type TestApp } from './harness';

let t: TestApp;
let admin: string;
let productId: number;

/** A tRPC GET as httpBatchLink sends it: procedure names in the path, superjson inputs. */
const trpcGet = (names: string[], inputs: unknown[], headers: Record<string, string> = {}) => {
  const input = Object.fromEntries(inputs.map((value, index) => [index, { json: value }]));
  const query = `batch=1&input=${encodeURIComponent(JSON.stringify(input))}`;
  return t.app.inject({ method: 'GET', url: `/trpc/${names.join(',')}?${query}`, headers });
};

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.tokenFor('etagadmin', { admin: true });
  const category = await t.rest('POST', '/v1/categories', { token: admin, body: { name: 'Tea' } });
  const product = await t.rest('POST', '/v1/products', {
    token: admin,
    body: { name: 'Green tea', price: '4.00', category_id: category.json().data.id },
  });
  productId = product.json().data.id;
});
afterAll(() => t?.close());

describe('HTTP caching of public reads', () => {
  it('gives REST reads a strong ETag, revalidated with a 304, changed by a write', async () => {
    const first = await t.rest('GET', `/v1/products/${productId}`);
    expect(first.statusCode).toBe(200);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{20,}"$/);
    expect(first.headers['cache-control']).toBe('public, no-cache');
    expect(String(first.headers.vary)).toMatch(/authorization/i);

    const again = await t.rest('GET', `/v1/products/${productId}`, {
      headers: { 'if-none-match': etag },
    });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect(again.headers.etag).toBe(etag);

    await t.rest('PUT', `/v1/products/${productId}`, { token: admin, body: { price: '4.50' } });
    const changed = await t.rest('GET', `/v1/products/${productId}`, {
      headers: { 'if-none-match': etag },
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.json().data.price).toBe('4.50');
    expect(changed.headers.etag).not.toBe(etag);
  });

  it('covers every public list and detail read on REST', async () => {
    for (const path of ['/v1/products?page=1', '/v1/categories?tree=true', '/v1/categories']) {
      const res = await t.rest('GET', path);
      expect(res.statusCode, path).toBe(200);
      const revalidated = await t.rest('GET', path, {
        headers: { 'if-none-match': `W/"nope", ${res.headers.etag as string}` },
      });
      expect(revalidated.statusCode, path).toBe(304);
    }
  });

  it('gives tRPC GET queries (batched too) an ETag and a 304', async () => {
    const names = ['products.list', 'categories.list'];
    const first = await trpcGet(names, [{ search: 'tea' }, { tree: true }]);
    expect(first.statusCode).toBe(200);
    expect(first.headers['cache-control']).toBe('public, no-cache');
    expect(first.json()).toHaveLength(2);
    const etag = first.headers.etag as string;
    expect(etag).toBeTruthy();
    const again = await trpcGet(names, [{ search: 'tea' }, { tree: true }], {
      'if-none-match': etag,
    });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    // The real client still reads these answers.
    expect((await t.trpc().products.list.query({ search: 'tea' })).items).toHaveLength(1);
  });

  it('never caches a batch that includes a private query', async () => {
    const res = await trpcGet(['products.list', 'users.me'], [{}, undefined]);
    expect(res.headers.etag).toBeUndefined();
    expect(res.headers['cache-control']).not.toBe('public, no-cache');
  });

  it('marks anything asked with a token private, no-store, on both faces', async () => {
    const rest = await t.rest('GET', `/v1/products/${productId}`, { token: admin });
    expect(rest.statusCode).toBe(200);
    expect(rest.headers['cache-control']).toBe('private, no-store');
    expect(rest.headers.etag).toBeUndefined();
    const trpc = await trpcGet(['products.list'], [{}], { authorization: `Bearer ${admin}` });
    expect(trpc.statusCode).toBe(200);
    expect(trpc.headers['cache-control']).toBe('private, no-store');
    expect(trpc.headers.etag).toBeUndefined();
    const write = await t.rest('PUT', `/v1/products/${productId}`, {
      token: admin,
      body: { stock_quantity: 1 },
    });
    expect(write.headers['cache-control']).toBe('private, no-store');
  });

  it('adds nothing to errors or mutations', async () => {
    const missing = await t.rest('GET', '/v1/products/999999');
    expect(missing.statusCode).toBe(404);
    expect(missing.headers.etag).toBeUndefined();
    expect(missing.headers['cache-control']).toBeUndefined();
    const invalid = await trpcGet(['products.byId'], [{ id: -1 }]);
    expect(invalid.statusCode).toBe(400);
    expect(invalid.headers.etag).toBeUndefined();
    const anonymousWrite = await t.rest('POST', '/v1/categories', { body: { name: 'X' } });
    expect(anonymousWrite.statusCode).toBe(401);
    expect(anonymousWrite.headers.etag).toBeUndefined();
    expect(anonymousWrite.headers['cache-control']).toBeUndefined();
  });
});
