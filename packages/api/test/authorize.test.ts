import { loadConfig } from '@buybuy/config';
import { createTestDatabase, type TestDatabase } from '@buybuy/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type Api, createApi } from '../src/api';
import { authorize } from '../src/trpc';
import { aCustomer, anAdmin, appError, testAuth } from './fixtures';

/** The one guard of procedures and plain routes: budget, then caller, then staff. */
let test: TestDatabase;
let api: Api;
let admin: { id: number; token: string };
let customer: { id: number; token: string };
beforeAll(async () => {
  test = await createTestDatabase();
  const config = loadConfig({ NODE_ENV: 'test', BCRYPT_COST: '4' });
  api = createApi({
    config: { ...config, rateLimit: { ...config.rateLimit, max: 3 } },
    db: test.db,
  });
  const auth = testAuth(test.db);
  admin = await anAdmin(auth, test.db);
  customer = await aCustomer(auth, test.db);
});
afterAll(() => test.drop());

let addresses = 0;
/** A request from an address of its own, so each test has its own IP budget. */
const as = (token?: string) =>
  api.createContext({
    ip: `10.0.0.${++addresses}`,
    authorization: token === undefined ? undefined : `Bearer ${token}`,
  });

describe('authorize', () => {
  it('lets admins through to admin calls, with who they are', async () => {
    expect(await authorize(as(admin.token), 'admin')).toMatchObject({
      id: admin.id,
      is_staff: true,
    });
  });

  it('refuses a customer with a 403, and lets them through to signed-in calls', async () => {
    expect(await appError(authorize(as(customer.token), 'admin', 'Admins only'))).toEqual({
      status: 'FORBIDDEN',
      code: 'FORBIDDEN',
      fields: [],
    });
    expect(await authorize(as(customer.token), 'authenticated')).toMatchObject({
      id: customer.id,
    });
  });

  it('refuses anonymous and bad-token callers with a 401, but not on public calls', async () => {
    expect((await appError(authorize(as(), 'authenticated'))).code).toBe('UNAUTHORIZED');
    expect((await appError(authorize(as('garbage'), 'admin'))).code).toBe('INVALID_TOKEN');
    expect(await authorize(as('garbage'), 'public')).toBeNull();
  });

  it("counts every call against the caller's budget, a bad token against its address", async () => {
    const busy = await aCustomer(testAuth(test.db), test.db);
    for (let call = 0; call < 3; call++) await authorize(as(busy.token), 'public');
    // From yet another address: still their budget, now spent, before any other check.
    expect(await appError(authorize(as(busy.token), 'admin'))).toMatchObject({
      code: 'RATE_LIMITED',
    });

    const stale = as('garbage');
    for (let call = 0; call < 3; call++) await authorize(stale, 'public');
    expect((await appError(authorize(stale, 'public'))).code).toBe('RATE_LIMITED');
    expect(await authorize(as('garbage'), 'public')).toBeNull();
  });
});
