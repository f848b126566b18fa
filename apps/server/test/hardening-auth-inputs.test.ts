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

let admin: Promise<string> | undefined;
const adminToken = () => (admin ??= t.tokenFor('strictadmin', { admin: true }));

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
    // @ts-expect-error: the types refuse an unknown key; this is the runtime's turn.
    const byId = t.trpc().products.byId.query({ id: 999999, bogus: '1' });
    expect(await trpcFailure(byId)).toMatchObject({ code: 'VALIDATION', httpStatus: 400 });
    // @ts-expect-error: an operation without input takes no keys
    const profile = t.trpc(customer).users.profile.query({ bogus: '1' });
    expect(await trpcFailure(profile)).toMatchObject({
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

describe('a blank query value (item 9)', () => {
  it.each([
    ['/v1/users?per_page=', 'per_page'],
    ['/v1/users?page=', 'page'],
    ['/v1/users?search=', 'search'],
    ['/v1/products?per_page=', 'per_page'],
    ['/v1/products?in_stock=', 'in_stock'],
    ['/v1/products?category_id=', 'category_id'],
    ['/v1/categories?tree=', 'tree'],
  ])('is a 400 at its key on GET %s, as a space-only value is', async (path, field) => {
    const admin = await adminToken();
    for (const url of [path, `${path}%20`]) {
      const res = await t.rest('GET', url, { token: admin });
      expect(res.statusCode, url).toBe(400);
      expect(res.json().errors, url).toEqual([
        expect.objectContaining({ field, code: 'VALIDATION' }),
      ]);
    }
  });

  it('is a 400 over tRPC too', async () => {
    // A string of digits is typed as accepted (query strings), so the blank one type-checks.
    const list = t.trpc().products.list.query({ per_page: '' });
    expect(await trpcFailure(list)).toMatchObject({
      code: 'VALIDATION',
      errors: [expect.objectContaining({ field: 'per_page' })],
    });
  });
});

describe('a query key on an operation that takes a body (item 10)', () => {
  it.each([
    ['PUT', '/v1/users/profile?bogus=1', { first_name: 'Ann' }],
    ['POST', '/v1/cart/items?bogus=1', { product_id: 1, quantity: 1 }],
    ['PUT', '/v1/products/1?bogus=1&other=2', { name: 'Renamed' }],
  ])('is a 400 at its own key on %s %s, before anything runs', async (method, path, body) => {
    const admin = await adminToken();
    const res = await t.rest(method, path, { token: admin, body });
    expect(res.statusCode).toBe(400);
    const keys = [...new URL(path, 'http://x').searchParams.keys()];
    expect(res.json().errors).toEqual(
      keys.map((key) => ({ field: key, code: 'VALIDATION', message: `Unknown field "${key}"` })),
    );
  });

  it('is a 400 on DELETE, whose query is its input', async () => {
    const res = await t.rest('DELETE', '/v1/products/999999?bogus=1', {
      token: await adminToken(),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([expect.objectContaining({ field: 'bogus' })]);
  });

  it('leaves the profile unchanged', async () => {
    await t.rest('PUT', '/v1/users/profile?bogus=1', {
      token: customer,
      body: { first_name: 'Changed' },
    });
    const profile = await t.rest('GET', '/v1/users/profile', { token: customer });
    expect(profile.json().data.first_name).not.toBe('Changed');
  });
});

describe('a REST body that is not a JSON object (item 15)', () => {
  it.each([['123'], ['[]'], ['null'], ['"text"'], ['true']])(
    'is a 400 VALIDATION for %s, where the adapter would have read {}',
    async (payload) => {
      const res = await t.rest('PUT', '/v1/users/profile', {
        token: customer,
        raw: { payload: Buffer.from(payload), contentType: 'application/json' },
      });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({
        success: false,
        errors: [
          { field: null, code: 'VALIDATION', message: 'The request body must be a JSON object' },
        ],
      });
    },
  );

  it('is refused by the schema over tRPC', async () => {
    const notObject = 123 as unknown as { first_name: string };
    expect(await trpcFailure(t.trpc(customer).users.updateProfile.mutate(notObject))).toMatchObject(
      { code: 'VALIDATION', httpStatus: 400 },
    );
  });
});

describe('a JSON body that is not UTF-8 (item 15)', () => {
  // "Ann" with a lone continuation byte and a truncated sequence: not UTF-8.
  const invalid = Buffer.concat([
    Buffer.from('{"first_name":"An'),
    Buffer.from([0x80, 0xe2, 0x82]),
    Buffer.from('"}'),
  ]);

  it('is a 400 MALFORMED_JSON on REST, and nothing is stored', async () => {
    const res = await t.rest('PUT', '/v1/users/profile', {
      token: customer,
      raw: { payload: invalid, contentType: 'application/json' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0]).toMatchObject({
      code: 'MALFORMED_JSON',
      message: 'The request body is not valid UTF-8',
    });
    const profile = await t.rest('GET', '/v1/users/profile', { token: customer });
    expect(profile.json().data.first_name).not.toContain('\uFFFD');
  });

  it('is a 400 MALFORMED_JSON over tRPC', async () => {
    const res = await fetch(`${t.url}/trpc/users.updateProfile`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${customer}` },
      body: Buffer.concat([Buffer.from('{"json":'), invalid, Buffer.from('}')]),
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain('MALFORMED_JSON');
  });

  it('still reads UTF-8 beyond ASCII, split across chunks', async () => {
    const name = 'Zoë 東京 🛒';
    const res = await t.rest('PUT', '/v1/users/profile', {
      token: customer,
      body: { first_name: name },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().data.first_name).toBe(name);
  });
});

describe('a JSON body declared in another charset (item 15)', () => {
  it.each([['utf-16'], ['latin1'], ['"UTF-16LE"']])(
    'is a 415 for charset=%s on both faces; utf-8 in any case is read',
    async (charset) => {
      const contentType = `application/json; charset=${charset}`;
      const rest = await t.rest('PUT', '/v1/users/profile', {
        token: customer,
        raw: { payload: Buffer.from('{"first_name":"Ann"}'), contentType },
      });
      expect(rest.statusCode).toBe(415);
      expect(rest.json().errors[0].code).toBe('UNSUPPORTED_MEDIA_TYPE');

      const trpc = await fetch(`${t.url}/trpc/users.updateProfile`, {
        method: 'POST',
        headers: { 'content-type': contentType, authorization: `Bearer ${customer}` },
        body: '{"json":{"first_name":"Ann"}}',
      });
      expect(trpc.status).toBe(415);

      const utf8 = await t.rest('PUT', '/v1/users/profile', {
        token: customer,
        raw: {
          payload: Buffer.from('{"first_name":"Ann"}'),
          contentType: 'application/json; charset=UTF-8',
        },
      });
      expect(utf8.statusCode).toBe(200);
    },
  );
});

describe('a validation error', () => {
  it('has one message on both faces', async () => {
    const rest = await t.rest('GET', '/v1/products?per_page=0');
    expect(rest.statusCode).toBe(400);
    expect(rest.json().message).toBe('Validation failed');
    const viaTrpc = await t
      .trpc()
      .products.list.query({ per_page: 0 })
      .catch((error: Error) => error);
    expect((viaTrpc as Error).message).toBe('Validation failed');
  });
});
