import { orders, type Rows, sessions, users } from '@buybuy/db';
import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestApp, type TestApp, trpcFailure } from './harness';

// Issue 11: an admin reads a user, activates or deactivates them, grants or revokes admin.

let t: TestApp;
let boss: Account;
beforeAll(async () => {
  t = await startTestApp();
  boss = await register('boss');
  await t.db.db.update(users).set({ is_staff: true }).where(eq(users.id, boss.user.id));
});
afterAll(() => t.close());

interface Tokens {
  access_token: string;
  refresh_token: string;
}
interface Account {
  user: { id: number };
  email: string;
  tokens: Tokens;
}

const PASSWORD = 'correct horse battery';
let n = 0;
async function register(prefix = 'member', app: () => TestApp = () => t): Promise<Account> {
  n += 1;
  const email = `${prefix}${n}@example.com`;
  const res = await app().rest('POST', '/v1/auth/register', {
    body: { username: `${prefix}${n}`, email, password: PASSWORD, first_name: 'Ada' },
  });
  expect(res.statusCode).toBe(201);
  return { ...(res.json().data as Omit<Account, 'email'>), email };
}

const login = (email: string) =>
  t.rest('POST', '/v1/auth/login', { body: { email, password: PASSWORD } });
const update = (id: number, body: object, token = boss.tokens.access_token) =>
  t.rest('PUT', `/v1/users/${id}`, { token, body });
const profile = (token: string) => t.rest('GET', '/v1/users/profile', { token });
const refresh = (refresh_token: string) =>
  t.rest('POST', '/v1/auth/refresh', { body: { refresh_token } });

describe('GET /v1/users/{id} and users.byId', () => {
  it('answer the user with profile, role, status, order and session counts', async () => {
    const someone = await register();
    await login(someone.email); // a second device
    const res = await t.rest('GET', `/v1/users/${someone.user.id}`, {
      token: boss.tokens.access_token,
    });
    expect(res.statusCode).toBe(200);
    const { data } = res.json();
    expect(data).toMatchObject({
      id: someone.user.id,
      email: someone.email,
      first_name: 'Ada',
      is_active: true,
      is_staff: false,
      profile: { phone: '', address: '', city: '', country: '' },
      order_count: 0,
      session_count: 2,
    });
    expect(data.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(data).not.toHaveProperty('password_hash');

    const trpc = await t.trpc(boss.tokens.access_token).users.byId.query({ id: someone.user.id });
    expect(trpc).toMatchObject({ id: someone.user.id, session_count: 2, order_count: 0 });
    expect(trpc.created_at).toBe(data.created_at);
  });

  it('count the orders the user placed', async () => {
    const shopper = await register();
    // Orders are counted from the table; the checkout path has its own tests.
    await t.db.db.insert(orders).values({
      number: 'BB-USERTEST',
      user_id: shopper.user.id,
      email: shopper.email,
      status: 'pending_payment',
      subtotal: '1.00',
      shipping_total: '0.00',
      total: '1.00',
      currency: 'EUR',
      shipping_full_name: 'Ada',
      shipping_line1: '1 Road',
      shipping_city: 'Porto',
      shipping_postal_code: '4000',
      shipping_country: 'PT',
      shipping_method_name: 'Post',
      shipping_method_price: '0.00',
      order_token_hash: 'x'.repeat(64),
    });
    const detail = await t.trpc(boss.tokens.access_token).users.byId.query({ id: shopper.user.id });
    expect(detail.order_count).toBe(1);
  });

  it('404 for an unknown id, 400 for an id that is not one, on both faces', async () => {
    const missing = await t.rest('GET', '/v1/users/999999', { token: boss.tokens.access_token });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ success: false, errors: [{ code: 'NOT_FOUND' }] });
    expect(
      await trpcFailure(t.trpc(boss.tokens.access_token).users.byId.query({ id: 999999 })),
    ).toMatchObject({ code: 'NOT_FOUND', httpStatus: 404 });

    const bad = await t.rest('GET', '/v1/users/abc', { token: boss.tokens.access_token });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0]).toMatchObject({ field: 'id', code: 'VALIDATION' });
  });

  it('refuse a customer with 403, on both faces', async () => {
    const customer = await register();
    const rest = await t.rest('GET', `/v1/users/${boss.user.id}`, {
      token: customer.tokens.access_token,
    });
    expect(rest.statusCode).toBe(403);
    expect(rest.json().errors[0].code).toBe('FORBIDDEN');
    const denied = await update(customer.user.id, { is_staff: true }, customer.tokens.access_token);
    expect(denied.statusCode).toBe(403);
    expect(
      await trpcFailure(
        t.trpc(customer.tokens.access_token).users.update.mutate({
          id: customer.user.id,
          is_staff: true,
        }),
      ),
    ).toMatchObject({ code: 'FORBIDDEN', httpStatus: 403 });
    expect(
      (await t.db.db.select().from(users).where(eq(users.id, customer.user.id)))[0]!.is_staff,
    ).toBe(false);
  });
});

describe('PUT /v1/users/{id}: deactivate and reactivate', () => {
  it('deactivating ends every session at once: access and refresh tokens, current and rotated', async () => {
    const victim = await register();
    // A second device whose token has been rotated once: its old token is a rotated hash.
    const second = (await login(victim.email)).json().data.tokens as Tokens;
    const rotated = (await refresh(second.refresh_token)).json().data.tokens as Tokens;
    expect((await profile(victim.tokens.access_token)).statusCode).toBe(200);

    const res = await update(victim.user.id, { is_active: false });
    expect(res.statusCode).toBe(200);
    expect(res.json().data).toMatchObject({ is_active: false, session_count: 0 });

    for (const access of [victim.tokens.access_token, rotated.access_token]) {
      const refused = await profile(access);
      expect(refused.statusCode).toBe(401);
      expect(refused.json().errors[0].code).toBe('SESSION_REVOKED');
    }
    for (const token of [
      victim.tokens.refresh_token,
      second.refresh_token,
      rotated.refresh_token,
    ]) {
      const refused = await refresh(token);
      expect(refused.statusCode).toBe(401);
      expect(refused.json().errors[0].code).toBe('INVALID_TOKEN');
    }
    expect(
      await t.db.db.select().from(sessions).where(eq(sessions.userId, victim.user.id)),
    ).toEqual([]);

    const signIn = await login(victim.email);
    expect(signIn.statusCode).toBe(403);
    expect(signIn.json().errors[0].code).toBe('ACCOUNT_DISABLED');
  });

  it('works over tRPC too, and reactivating lets the user sign in again (old tokens stay dead)', async () => {
    const victim = await register();
    const admin = t.trpc(boss.tokens.access_token);
    const off = await admin.users.update.mutate({ id: victim.user.id, is_active: false });
    expect(off).toMatchObject({ is_active: false, session_count: 0 });
    expect(
      await trpcFailure(t.trpc(victim.tokens.access_token).users.profile.query({})),
    ).toMatchObject({ code: 'SESSION_REVOKED', httpStatus: 401 });
    expect(
      await trpcFailure(
        t.trpc().auth.refresh.mutate({ refresh_token: victim.tokens.refresh_token }),
      ),
    ).toMatchObject({ code: 'INVALID_TOKEN', httpStatus: 401 });

    const on = await update(victim.user.id, { is_active: true });
    expect(on.statusCode).toBe(200);
    expect(on.json().data).toMatchObject({ is_active: true, session_count: 0 });
    const signIn = await login(victim.email);
    expect(signIn.statusCode).toBe(200);
    expect((await profile(signIn.json().data.tokens.access_token)).statusCode).toBe(200);
    expect((await profile(victim.tokens.access_token)).statusCode).toBe(401);
  });

  it('leaves other users signed in', async () => {
    const [victim, bystander] = [await register(), await register()];
    expect((await update(victim.user.id, { is_active: false })).statusCode).toBe(200);
    expect((await profile(bystander.tokens.access_token)).statusCode).toBe(200);
    expect((await refresh(bystander.tokens.refresh_token)).statusCode).toBe(200);
    expect((await profile(boss.tokens.access_token)).statusCode).toBe(200);
  });
});

describe('PUT /v1/users/{id}: grant and revoke admin', () => {
  it('takes effect on the user’s current token at once', async () => {
    const helper = await register();
    const list = () => t.rest('GET', '/v1/users', { token: helper.tokens.access_token });
    expect((await list()).statusCode).toBe(403);

    const granted = await update(helper.user.id, { is_staff: true });
    expect(granted.statusCode).toBe(200);
    expect(granted.json().data).toMatchObject({ is_staff: true, is_active: true });
    expect((await list()).statusCode).toBe(200);

    const revoked = await t
      .trpc(boss.tokens.access_token)
      .users.update.mutate({ id: helper.user.id, is_staff: false });
    expect(revoked.is_staff).toBe(false);
    expect((await list()).statusCode).toBe(403);
    // Revoking admin is not deactivating: the user stays signed in as a customer.
    expect((await profile(helper.tokens.access_token)).statusCode).toBe(200);
  });

  it('an empty change is no change; unknown keys and non-booleans are 400s with fields', async () => {
    const someone = await register();
    const same = await update(someone.user.id, {});
    expect(same.statusCode).toBe(200);
    expect(same.json().data).toMatchObject({ is_active: true, is_staff: false });

    const bad = await update(someone.user.id, { is_staff: 'true', is_active: 0 });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .errors.map((error: { field: string }) => error.field)
        .sort(),
    ).toEqual(['is_active', 'is_staff']);
    const extra = await update(someone.user.id, { email: 'x@example.com' });
    expect(extra.statusCode).toBe(400);
    expect(extra.json().errors[0].code).toBe('VALIDATION');

    const missing = await update(999999, { is_active: false });
    expect(missing.statusCode).toBe(404);
  });
});

describe('an admin and their own account', () => {
  it('cannot deactivate themselves or remove their own admin role, on both faces', async () => {
    for (const [field, body] of [
      ['is_active', { is_active: false }],
      ['is_staff', { is_staff: false }],
    ] as const) {
      const res = await update(boss.user.id, body);
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({
        success: false,
        errors: [{ field, code: 'CANNOT_CHANGE_OWN_ACCESS' }],
      });
      expect(
        await trpcFailure(
          t.trpc(boss.tokens.access_token).users.update.mutate({ id: boss.user.id, ...body }),
        ),
      ).toMatchObject({ code: 'CANNOT_CHANGE_OWN_ACCESS', httpStatus: 409 });
    }
    const [me] = await t.db.db.select().from(users).where(eq(users.id, boss.user.id));
    expect(me).toMatchObject({ is_active: true, is_staff: true });
    expect((await profile(boss.tokens.access_token)).statusCode).toBe(200);
  });

  it('may confirm what they already are', async () => {
    const res = await update(boss.user.id, { is_active: true, is_staff: true });
    expect(res.statusCode).toBe(200);
  });
});

describe('the last active admin', () => {
  let shop: TestApp;
  let first: Account;
  let second: Account;
  beforeAll(async () => {
    shop = await startTestApp();
    [first, second] = [await register('admin', () => shop), await register('admin', () => shop)];
    await shop.db.db
      .update(users)
      .set({ is_staff: true })
      .where(inArray(users.id, [first.user.id, second.user.id]));
  });
  afterAll(() => shop.close());

  const activeAdmins = async () =>
    (await shop.db.db.select().from(users)).filter((user) => user.is_staff && user.is_active);

  /**
   * Holds the active admins' row locks on another connection until both
   * requests are queued behind them, then lets go: the two changes really
   * run at the same time. Without the locking read both would count two
   * admins, both would commit, and no admin would be left.
   */
  async function race<T>(calls: Array<() => Promise<T>>): Promise<T[]> {
    const blocker = await shop.db.pool.getConnection();
    try {
      await blocker.query('START TRANSACTION');
      await blocker.query('SELECT id FROM users WHERE is_staff AND is_active FOR UPDATE');
      const running = calls.map((call) => call());
      for (let waited = 0; ; waited += 20) {
        // This database's connections stuck in the admins' locking read (other test files share the server).
        const [[row]] = await shop.db.pool.query<Rows<{ n: number }>>(
          `SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST
            WHERE DB = DATABASE() AND COMMAND = 'Query' AND INFO LIKE '%from \`users\`%for update'`,
        );
        if (Number(row?.n) === calls.length) break;
        if (waited > 10_000) throw new Error('the two changes never queued on the admin rows');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await blocker.query('COMMIT');
      return await Promise.all(running);
    } finally {
      blocker.release();
    }
  }

  it('two admins demoting each other at once: one wins, the other gets LAST_ADMIN', async () => {
    const [rest, trpc] = await race<{ status: number; code?: string }>([
      async () => {
        const res = await shop.rest('PUT', `/v1/users/${second.user.id}`, {
          token: first.tokens.access_token,
          body: { is_staff: false },
        });
        return { status: res.statusCode, code: res.json().errors[0]?.code };
      },
      () =>
        shop
          .trpc(second.tokens.access_token)
          .users.update.mutate({ id: first.user.id, is_staff: false })
          .then(
            () => ({ status: 200 }),
            async (error: unknown) => {
              const data = await trpcFailure(Promise.reject(error));
              return { status: data.httpStatus, code: data.code };
            },
          ),
    ]);
    const outcomes = [rest!, trpc!].sort((a, b) => a.status - b.status);
    expect(outcomes).toEqual([{ status: 200 }, { status: 409, code: 'LAST_ADMIN' }]);
    expect(await activeAdmins()).toHaveLength(1);
  });

  it('deactivating each other at once leaves one active admin too', async () => {
    const [survivor] = await activeAdmins();
    const other = survivor!.id === first.user.id ? second : first;
    const keeper = survivor!.id === first.user.id ? first : second;
    // Back to two admins, the other one signed in again.
    await shop.rest('PUT', `/v1/users/${other.user.id}`, {
      token: keeper.tokens.access_token,
      body: { is_staff: true },
    });
    const token = (
      await shop.rest('POST', '/v1/auth/login', {
        body: { email: other.email, password: PASSWORD },
      })
    ).json().data.tokens.access_token as string;

    const results = await race([
      () =>
        shop.rest('PUT', `/v1/users/${other.user.id}`, {
          token: keeper.tokens.access_token,
          body: { is_active: false },
        }),
      () => shop.rest('PUT', `/v1/users/${keeper.user.id}`, { token, body: { is_active: false } }),
    ]);
    const statuses = results.map((res) => res.statusCode).sort();
    expect(statuses).toEqual([200, 409]);
    expect(results.find((res) => res.statusCode === 409)!.json().errors[0]).toMatchObject({
      field: 'is_active',
      code: 'LAST_ADMIN',
    });
    expect(await activeAdmins()).toHaveLength(1);
    // The deactivated one's sessions ended with the change that won.
    const [loser] = (await shop.db.db.select().from(users)).filter(
      (user) => user.is_staff && !user.is_active,
    );
    expect(await shop.db.db.select().from(sessions).where(eq(sessions.userId, loser!.id))).toEqual(
      [],
    );
  });
});
