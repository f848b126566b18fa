import { apiKeys, users } from '@buybuy/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { multipartBody, startTestApp, type TestApp, trpcFailure } from './harness';

// Issue 14: API keys for third parties, through the real server on both faces.

let t: TestApp;
let admin: string;
beforeAll(async () => {
  t = await startTestApp();
  admin = await t.tokenFor('keymaster', { admin: true });
});
afterAll(() => t.close());

interface CreatedKey {
  id: number;
  secret: string;
  prefix: string;
  scopes: string[];
  status: string;
  last_used_at: string | null;
}

async function createKey(body: object, app = t, token = admin): Promise<CreatedKey> {
  const res = await app.rest('POST', '/v1/api-keys', { token, body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().data as CreatedKey;
}
const withKey = (secret: string) => ({ headers: { 'x-api-key': secret } });
const failure = (res: { statusCode: number; json: () => unknown }) => ({
  status: res.statusCode,
  code: (res.json() as { errors: { code: string }[] }).errors[0]!.code,
});

describe('creating and listing keys', () => {
  it('shows the secret once, then only its prefix', async () => {
    const key = await createKey({ name: 'ERP sync', scopes: ['catalog:read', 'orders:read'] });
    expect(key.secret).toMatch(/^bb_live_[A-Za-z0-9_-]{43}$/);
    expect(key.secret.startsWith(key.prefix)).toBe(true);
    expect(key).toMatchObject({ scopes: ['catalog:read', 'orders:read'], status: 'active' });

    const listed = await t.rest('GET', '/v1/api-keys', { token: admin });
    expect(listed.statusCode).toBe(200);
    const mine = (listed.json().data as CreatedKey[]).find(({ id }) => id === key.id)!;
    expect(mine).toMatchObject({ name: 'ERP sync', prefix: key.prefix });
    expect(mine).not.toHaveProperty('secret');
    expect(listed.body).not.toContain(key.secret);
    const [row] = await t.db.db.select().from(apiKeys).where(eq(apiKeys.id, key.id));
    expect(row!.secret_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(key.secret.slice(12));
  });

  it('refuses scopes no key may have, an expiry in the past, and non-admins', async () => {
    const bad = await t.rest('POST', '/v1/api-keys', {
      token: admin,
      body: { name: 'x', scopes: ['users:read'], expires_at: '2001-01-01T00:00:00Z' },
    });
    expect(bad.statusCode).toBe(400);
    const fields = (bad.json().errors as { field: string }[]).map(({ field }) => field);
    expect(fields).toEqual(expect.arrayContaining(['scopes.0', 'expires_at']));

    const customer = await t.tokenFor('shopper');
    const denied = await t.rest('POST', '/v1/api-keys', {
      token: customer,
      body: { name: 'x', scopes: ['catalog:read'] },
    });
    expect(failure(denied)).toEqual({ status: 403, code: 'FORBIDDEN' });
  });
});

describe('calling with a key', () => {
  it('works as X-API-Key and as Authorization: Bearer, on REST and tRPC', async () => {
    const key = await createKey({ name: 'catalog', scopes: ['catalog:read', 'catalog:write'] });
    const viaHeader = await t.rest('GET', '/v1/products', withKey(key.secret));
    expect(viaHeader.statusCode).toBe(200);
    expect(viaHeader.headers['cache-control']).toMatch(/private/);
    const created = await t.rest('POST', '/v1/categories', {
      token: key.secret,
      body: { name: 'Made by a key' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const listed = await t.trpc(key.secret).categories.list.query({});
    expect(JSON.stringify(listed)).toContain('Made by a key');
  });

  it('refuses wrong, expired and revoked keys with a 401 and a code saying which', async () => {
    const unknown = `bb_live_${'A'.repeat(43)}`;
    for (const secret of ['bb_live_short', unknown])
      expect(failure(await t.rest('GET', '/v1/products', withKey(secret)))).toEqual({
        status: 401,
        code: 'INVALID_API_KEY',
      });
    expect(failure(await t.rest('GET', '/v1/shop', { token: unknown }))).toEqual({
      status: 401,
      code: 'INVALID_API_KEY',
    });

    const expiring = await createKey({
      name: 'soon',
      scopes: ['catalog:read'],
      expires_at: new Date(Date.now() + 60_000).toISOString(),
    });
    await t.db.db
      .update(apiKeys)
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where(eq(apiKeys.id, expiring.id));
    expect(failure(await t.rest('GET', '/v1/products', withKey(expiring.secret)))).toEqual({
      status: 401,
      code: 'API_KEY_EXPIRED',
    });

    const revoked = await createKey({ name: 'gone', scopes: ['catalog:read'] });
    expect((await t.rest('GET', '/v1/products', withKey(revoked.secret))).statusCode).toBe(200);
    const revoke = await t.rest('POST', `/v1/api-keys/${revoked.id}/revoke`, {
      token: admin,
      body: {},
    });
    expect(revoke.statusCode).toBe(200);
    expect(revoke.json().data).toMatchObject({ status: 'revoked' });
    expect(failure(await t.rest('GET', '/v1/products', withKey(revoked.secret)))).toEqual({
      status: 401,
      code: 'API_KEY_REVOKED',
    });
    const data = await trpcFailure(t.trpc(revoked.secret).products.list.query({}));
    expect(data).toMatchObject({ httpStatus: 401, code: 'API_KEY_REVOKED' });

    const missing = await t.rest('POST', '/v1/api-keys/999999/revoke', { token: admin, body: {} });
    expect(failure(missing)).toEqual({ status: 404, code: 'NOT_FOUND' });
  });

  it('refuses a key sent twice (X-API-Key beside Authorization)', async () => {
    const key = await createKey({ name: 'twice', scopes: ['catalog:read'] });
    const res = await t.rest('GET', '/v1/products', { token: admin, ...withKey(key.secret) });
    expect(failure(res)).toEqual({ status: 401, code: 'INVALID_API_KEY' });
  });

  it('stops working when its creator is no longer an admin', async () => {
    const leaver = await t.tokenFor('leaver', { admin: true });
    const { secret } = await createKey({ name: 'stays', scopes: ['catalog:read'] }, t, leaver);
    expect((await t.rest('GET', '/v1/products', withKey(secret))).statusCode).toBe(200);
    await t.db.db.update(users).set({ is_staff: false }).where(eq(users.username, 'leaver'));
    expect(failure(await t.rest('GET', '/v1/products', withKey(secret)))).toEqual({
      status: 401,
      code: 'API_KEY_REVOKED',
    });
  });
});

describe('scopes', () => {
  it('refuse, with 403 INSUFFICIENT_SCOPE, whatever the key was not given', async () => {
    const reader = await createKey({ name: 'reader', scopes: ['catalog:read'] });
    const calls: [string, string, object?][] = [
      ['POST', '/v1/categories', { name: 'Nope' }],
      ['GET', '/v1/orders'],
      ['GET', '/v1/users'],
      ['GET', '/v1/users/profile'],
      ['GET', '/v1/api-keys'],
      ['POST', '/v1/api-keys', { name: 'child', scopes: ['catalog:read'] }],
      ['GET', '/v1/cart'],
      ['POST', '/v1/auth/logout', {}],
    ];
    for (const [method, path, body] of calls) {
      const res = await t.rest(method, path, { ...withKey(reader.secret), body });
      expect({ path, ...failure(res) }).toEqual({ path, status: 403, code: 'INSUFFICIENT_SCOPE' });
    }
    const data = await trpcFailure(t.trpc(reader.secret).dashboard.get.query({}));
    expect(data).toMatchObject({ httpStatus: 403, code: 'INSUFFICIENT_SCOPE' });
  });

  it('guard the image upload route too: catalog:write only', async () => {
    const reader = await createKey({ name: 'no uploads', scopes: ['catalog:read'] });
    const writer = await createKey({ name: 'uploads', scopes: ['catalog:write'] });
    const upload = (secret: string) =>
      t.rest('POST', '/v1/uploads/images', {
        ...withKey(secret),
        raw: multipartBody(Buffer.from('not even an image')),
      });
    expect(failure(await upload(reader.secret))).toEqual({
      status: 403,
      code: 'INSUFFICIENT_SCOPE',
    });
    // Past the access check: the bytes themselves are what it refuses.
    expect(failure(await upload(writer.secret))).toEqual({
      status: 415,
      code: 'UNSUPPORTED_IMAGE_TYPE',
    });
  });

  it('let an orders:read key list every order, as the admin it acts for', async () => {
    const key = await createKey({ name: 'orders', scopes: ['orders:read'] });
    const res = await t.rest('GET', '/v1/orders', withKey(key.secret));
    expect(res.statusCode).toBe(200);
    expect(res.json().meta.pagination).toBeDefined();
  });
});

describe('last_used_at', () => {
  it('is recorded on use, at most once a minute', async () => {
    const key = await createKey({ name: 'usage', scopes: ['catalog:read'] });
    expect(key.last_used_at).toBeNull();
    const usedAt = async () =>
      (await t.db.db.select().from(apiKeys).where(eq(apiKeys.id, key.id)))[0]!.last_used_at;

    await t.rest('GET', '/v1/shop', withKey(key.secret));
    const first = await usedAt();
    expect(first).toBeInstanceOf(Date);
    await t.rest('GET', '/v1/shop', withKey(key.secret));
    expect(await usedAt()).toEqual(first);

    const longAgo = new Date(Date.now() - 120_000);
    await t.db.db.update(apiKeys).set({ last_used_at: longAgo }).where(eq(apiKeys.id, key.id));
    await t.rest('GET', '/v1/shop', withKey(key.secret));
    expect((await usedAt())!.getTime()).toBeGreaterThan(longAgo.getTime() + 60_000);
  });
});

describe('rate limit per key', () => {
  it("counts a key's calls against its own budget, not its address's", async () => {
    const tight = await startTestApp({
      rateLimit: { enabled: true, windowSeconds: 60, max: 1000, authMax: 1000, apiKeyMax: 3 },
    });
    try {
      const boss = await tight.tokenFor('tightboss', { admin: true });
      const first = await createKey({ name: 'a', scopes: ['catalog:read'] }, tight, boss);
      const second = await createKey({ name: 'b', scopes: ['catalog:read'] }, tight, boss);
      for (let call = 0; call < 3; call++)
        expect((await tight.rest('GET', '/v1/shop', withKey(first.secret))).statusCode).toBe(200);
      const refused = await tight.rest('GET', '/v1/shop', withKey(first.secret));
      expect(failure(refused)).toEqual({ status: 429, code: 'RATE_LIMITED' });
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      // Same address: another key, and anonymous callers, still have their budgets.
      expect((await tight.rest('GET', '/v1/shop', withKey(second.secret))).statusCode).toBe(200);
      expect((await tight.rest('GET', '/v1/shop')).statusCode).toBe(200);
    } finally {
      await tight.close();
    }
  });
});
