import type { AppRouter } from '@buybuy/api';
import { products } from '@buybuy/db';
import { createTRPCClient, httpLink } from '@trpc/client';
import superjson from 'superjson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestApp, type TestApp, trpcFailure } from './harness';

/** Idempotency-Key on writes: one run per key, replayed on both faces, from Redis or the process. */
describe.each([
  ['Redis', {}],
  ['the process (no Redis)', { redis: false as const }],
])('Idempotency-Key, results kept in %s', (_store, options) => {
  let t: TestApp;
  let admin: string;
  let categoryId: number;

  beforeAll(async () => {
    t = await startTestApp({}, options);
    admin = await t.tokenFor('idem-admin', { admin: true });
    const created = await t.rest('POST', '/v1/categories', {
      token: admin,
      body: { name: 'Idempotent things' },
    });
    categoryId = created.json().data.id;
  });
  afterAll(() => t.close());

  const productCount = async () => (await t.db.db.select().from(products)).length;
  const create = (key: string, body: object) =>
    t.rest('POST', '/v1/products', { token: admin, body, headers: { 'idempotency-key': key } });

  it('replays the first status and body for the same key and body, and runs once', async () => {
    const before = await productCount();
    const body = { name: 'Once only', price: '9.99', category_id: categoryId };
    const first = await create('key-same-body', body);
    const again = await create('key-same-body', body);
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.json()).toEqual(first.json());
    expect(await productCount()).toBe(before + 1);
  });

  it('refuses the same key with another body: 422 IDEMPOTENCY_KEY_REUSED', async () => {
    await create('key-other-body', { name: 'First', price: '1.00', category_id: categoryId });
    const reused = await create('key-other-body', {
      name: 'Second',
      price: '1.00',
      category_id: categoryId,
    });
    expect(reused.statusCode).toBe(422);
    expect(reused.json()).toMatchObject({
      success: false,
      data: null,
      errors: [{ field: null, code: 'IDEMPOTENCY_KEY_REUSED' }],
    });
  });

  it('runs concurrent requests with one key once: the rest replay or get 409 IN_PROGRESS', async () => {
    const before = await productCount();
    const body = { name: 'Raced', price: '2.50', category_id: categoryId };
    const answers = await Promise.all(Array.from({ length: 8 }, () => create('key-raced', body)));
    const statuses = answers.map((answer) => answer.statusCode);
    expect(statuses.every((status) => status === 201 || status === 409)).toBe(true);
    expect(statuses).toContain(201);
    for (const answer of answers.filter((a) => a.statusCode === 409)) {
      expect(answer.json().errors[0].code).toBe('IDEMPOTENCY_KEY_IN_PROGRESS');
    }
    const ids = new Set(answers.filter((a) => a.statusCode === 201).map((a) => a.json().data.id));
    expect(ids.size).toBe(1);
    expect(await productCount()).toBe(before + 1);
  });

  it('frees the key when the run fails, so a corrected retry runs', async () => {
    const failed = await create('key-after-failure', {
      name: 'Nowhere',
      price: '3.00',
      category_id: 999_999,
    });
    expect(failed.statusCode).toBe(400);
    const retried = await create('key-after-failure', {
      name: 'Somewhere',
      price: '3.00',
      category_id: categoryId,
    });
    expect(retried.statusCode).toBe(201);
  });

  it('refuses a key that is not 1-255 visible ASCII characters', async () => {
    const body = { name: 'Bad key', price: '1.00', category_id: categoryId };
    const tooLong = await create('k'.repeat(256), body);
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().errors).toEqual([
      { field: 'Idempotency-Key', code: 'VALIDATION', message: expect.any(String) },
    ]);
  });

  it('keeps keys apart per caller: another admin with the same key runs their own request', async () => {
    const other = await t.tokenFor(`idem-other-${'redis' in options ? 'm' : 'r'}`, {
      admin: true,
    });
    const body = { name: 'Per caller', price: '4.00', category_id: categoryId };
    const mine = await create('key-per-caller', body);
    const theirs = await t.rest('POST', '/v1/products', {
      token: other,
      body,
      headers: { 'idempotency-key': 'key-per-caller' },
    });
    expect(theirs.statusCode).toBe(201);
    expect(theirs.json().data.id).not.toBe(mine.json().data.id);
  });

  it('works on the tRPC face through the same header', async () => {
    const client = (key: string) =>
      createTRPCClient<AppRouter>({
        links: [
          httpLink({
            url: `${t.url}/trpc`,
            transformer: superjson,
            headers: { authorization: `Bearer ${admin}`, 'idempotency-key': key },
          }),
        ],
      });
    const before = await productCount();
    const input = { name: 'Via tRPC', price: '5.00', category_id: categoryId };
    const first = await client('trpc-key').products.create.mutate(input);
    const again = await client('trpc-key').products.create.mutate(input);
    expect(again).toEqual(first);
    expect(await productCount()).toBe(before + 1);
    const reused = await trpcFailure(
      client('trpc-key').products.create.mutate({ ...input, name: 'Changed' }),
    );
    expect(reused).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', httpStatus: 422 });
  });
});
