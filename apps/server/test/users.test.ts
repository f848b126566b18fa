import { users } from '@buybuy/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestApp, type TestApp } from './harness';

let t: TestApp;
let customer: string;
let admin: string;
beforeAll(async () => {
  t = await startTestApp();
  const register = async (username: string) =>
    (
      await t.rest('POST', '/v1/auth/register', {
        body: { username, email: `${username}@example.com`, password: 'password123' },
      })
    ).json().data;
  customer = (await register('carol')).tokens.access_token;
  const boss = await register('boss');
  await t.db.db.update(users).set({ is_staff: true }).where(eq(users.id, boss.user.id));
  admin = boss.tokens.access_token;
  for (let i = 0; i < 25; i++) await register(`member${String(i).padStart(2, '0')}`);
});
afterAll(() => t.close());

describe('GET /v1/users/profile', () => {
  it('returns the user with an empty profile, and no password hash', async () => {
    const res = await t.rest('GET', '/v1/users/profile', { token: customer });
    expect(res.statusCode).toBe(200);
    const { data } = res.json();
    expect(data).toMatchObject({
      username: 'carol',
      email: 'carol@example.com',
      profile: { phone: '', address: '', city: '', country: '' },
    });
    expect(data).not.toHaveProperty('password_hash');
    expect(data.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });
});

describe('PUT /v1/users/profile', () => {
  it('updates only the fields given, and the change persists', async () => {
    const first = await t.rest('PUT', '/v1/users/profile', {
      token: customer,
      body: { first_name: 'Carol', city: 'Porto', phone: '+351 912 345 678' },
    });
    expect(first.statusCode).toBe(200);
    expect(first.json().data).toMatchObject({
      first_name: 'Carol',
      profile: { city: 'Porto', phone: '+351 912 345 678', country: '' },
    });

    await t.rest('PUT', '/v1/users/profile', { token: customer, body: { country: 'Portugal' } });
    const again = (await t.rest('GET', '/v1/users/profile', { token: customer })).json().data;
    expect(again).toMatchObject({
      first_name: 'Carol',
      profile: { city: 'Porto', country: 'Portugal' },
    });
  });

  it('gives field errors for bad values and refuses fields that are not the profile', async () => {
    const res = await t.rest('PUT', '/v1/users/profile', {
      token: customer,
      body: { phone: 'call me maybe', city: 'x'.repeat(121) },
    });
    expect(res.statusCode).toBe(400);
    expect(
      res
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(['city', 'phone']);

    const escalate = await t.rest('PUT', '/v1/users/profile', {
      token: customer,
      body: { is_staff: true },
    });
    expect(escalate.statusCode).toBe(400);
    const me = (await t.rest('GET', '/v1/users/profile', { token: customer })).json().data;
    expect(me.is_staff).toBe(false);
  });

  it('works the same over tRPC', async () => {
    const updated = await t.trpc(customer).users.updateProfile.mutate({ address: '1 Rua Augusta' });
    expect(updated.profile.address).toBe('1 Rua Augusta');
  });
});

describe('GET /v1/users', () => {
  it('paginates with meta.pagination', async () => {
    const res = await t.rest('GET', '/v1/users?page=2&per_page=10', { token: admin });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.data).toHaveLength(10);
    expect(body.meta.pagination).toEqual({ page: 2, per_page: 10, total: 27, total_pages: 3 });
    expect(body.data[0]).not.toHaveProperty('password_hash');
  });

  it('searches username and email, treating wildcards and quotes as text', async () => {
    const res = await t.rest('GET', '/v1/users?search=member0', { token: admin });
    expect(res.json().meta.pagination.total).toBe(10);
    for (const search of ["' OR 1=1 --", '%', '_', '\\']) {
      const hostile = await t.rest('GET', `/v1/users?search=${encodeURIComponent(search)}`, {
        token: admin,
      });
      expect(hostile.statusCode, search).toBe(200);
      expect(hostile.json().data, search).toEqual([]);
    }
  });

  it('rejects out-of-range paging and unknown parameters', async () => {
    for (const query of [
      'page=0',
      'per_page=101',
      'per_page=abc',
      'page=0x10',
      'per_page=1e2',
      'page=%20',
      'sort=evil',
    ]) {
      const res = await t.rest('GET', `/v1/users?${query}`, { token: admin });
      expect(res.statusCode, query).toBe(400);
      expect(res.json().errors[0].code).toBe('VALIDATION');
    }
  });

  it('works over tRPC with the page shape', async () => {
    const page = await t.trpc(admin).users.list.query({ per_page: 5, search: 'carol' });
    expect(page.items.map((u) => u.username)).toEqual(['carol']);
    expect(page.pagination.total).toBe(1);
  });
});
