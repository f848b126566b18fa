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
