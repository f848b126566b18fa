import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestApp, type TestApp, trpcFailure } from './harness';

// Issue 10: inputs the API must refuse, on both faces.

let t: TestApp;
let customer: string;
beforeAll(async () => {
  t = await startTestApp();
  customer = await t.tokenFor('strictcustomer');
});
afterAll(() => t.close());

describe('an unknown query key outside the lists (item 10)', () => {
  it.each([
    ['/v1/products/999999?bogus=1'],
    ['/v1/categories/999999?bogus=1'],
    ['/v1/users/profile?bogus=1'],
    ['/v1/shop?bogus=1'],
  ])('is a 400 at its own key on GET %s', async (path) => {
    const res = await t.rest('GET', path, { token: customer });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([
      expect.objectContaining({ field: 'bogus', code: 'VALIDATION' }),
    ]);
  });

  it('is a 400 over tRPC too', async () => {
    const input = { id: 999999, bogus: '1' } as unknown as { id: number };
    expect(await trpcFailure(t.trpc().products.byId.query(input))).toMatchObject({
      code: 'VALIDATION',
      httpStatus: 400,
    });
    const none = { bogus: '1' } as unknown as Record<string, never>;
    expect(await trpcFailure(t.trpc(customer).users.profile.query(none))).toMatchObject({
      code: 'VALIDATION',
      httpStatus: 400,
    });
  });
});

describe('an Authorization header with anything after the token (item 15)', () => {
  it('is refused with 401 INVALID_TOKEN, on both faces', async () => {
    const header = `Bearer ${customer} extra`;
    const res = await t.rest('GET', '/v1/users/profile', { headers: { authorization: header } });
    expect(res.statusCode).toBe(401);
    expect(res.json().errors[0].code).toBe('INVALID_TOKEN');

    const trpc = await fetch(
      `${t.url}/trpc/users.profile?input=${encodeURIComponent('{"json":{}}')}`,
      {
        headers: { authorization: header },
      },
    );
    expect(trpc.status).toBe(401);
    const body = (await trpc.json()) as { error: { json: { data: { code: string } } } };
    expect(body.error.json.data.code).toBe('INVALID_TOKEN');
  });

  it('still accepts "Bearer <token>" in any case of the scheme', async () => {
    const res = await t.rest('GET', '/v1/users/profile', {
      headers: { authorization: `bearer ${customer}` },
    });
    expect(res.statusCode).toBe(200);
  });
});

/** docs/errors.md: at most 50 field errors, then one saying how many more. */
const MAX_FIELD_ERRORS = 50;

describe('thousands of unknown keys (item 15)', () => {
  const keys = Array.from({ length: 2000 }, (_, i) => `k${i}`);

  it('give a capped error list on REST', async () => {
    const res = await t.rest('GET', `/v1/products?${keys.map((k) => `${k}=1`).join('&')}`);
    expect(res.statusCode).toBe(400);
    const errors = res.json().errors as { field: string | null }[];
    expect(errors).toHaveLength(MAX_FIELD_ERRORS + 1);
    expect(errors.at(-1)).toMatchObject({ field: null, code: 'VALIDATION' });
    expect(res.body.length).toBeLessThan(20_000);
  });

  it('give a capped error list over tRPC', async () => {
    // A body, as a query string this long would be refused before tRPC.
    const input = {
      email: 'a@example.com',
      password: 'x',
      ...Object.fromEntries(keys.map((k) => [k, '1'])),
    };
    const error = await trpcFailure(t.trpc(undefined, { batch: false }).auth.login.mutate(input));
    expect(error.errors).toHaveLength(MAX_FIELD_ERRORS + 1);
  });
});

describe('tRPC input the transformer cannot read (item 16)', () => {
  /** A raw GET to /trpc with this `input`, and the error it answers with. */
  async function trpcGet(input: string) {
    const res = await fetch(`${t.url}/trpc/products.byId?input=${encodeURIComponent(input)}`);
    const body = (await res.json()) as {
      error: { json: { message: string; data: { code: string; httpStatus: number } } };
    };
    return { status: res.status, ...body.error.json };
  }

  it.each([
    ['an unknown superjson class', '{"json":{"id":1},"meta":{"values":{"id":[["custom","Foo"]]}}}'],
    ['truncated JSON', '{"json":{"id":1}'],
  ])('answers %s on GET with our own message and code', async (_, input) => {
    const error = await trpcGet(input);
    expect(error.status).toBe(400);
    expect(error.data.code).toBe('MALFORMED_JSON');
    expect(error.message).toBe('The request input is not valid JSON in the format the API reads');
  });

  it.each([
    ['an unknown superjson class', '{"json":{},"meta":{"values":[["custom","Foo"]]}}'],
    ['a class annotation', '{"json":{},"meta":{"values":{"a":["class","X"]}}}'],
    ['truncated JSON', '{"json":'],
  ])('answers %s in a mutation body the same way', async (_, body) => {
    const res = await fetch(`${t.url}/trpc/auth.login`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json' },
    });
    const error = (
      (await res.json()) as { error: { json: { message: string; data: { code: string } } } }
    ).error.json;
    expect(res.status).toBe(400);
    expect(error.data.code).toBe('MALFORMED_JSON');
    expect(error.message).not.toMatch(/superjson|github|deserialize|Unexpected|JSON input|stack/i);
  });
});
