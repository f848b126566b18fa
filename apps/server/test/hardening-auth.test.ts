import { sessions, users } from '@buybuy/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestApp, type TestApp, trpcFailure } from './harness';

// Attacks from issue 10 that worked against sign-in and sessions, kept fixed on both faces.

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

let n = 0;
async function register(password = 'correct horse battery') {
  n += 1;
  const account = { username: `hardened${n}`, email: `hardened${n}@example.com`, password };
  const res = await t.rest('POST', '/v1/auth/register', { body: account });
  expect(res.statusCode).toBe(201);
  const data = res.json().data as {
    user: { id: number };
    tokens: { access_token: string; refresh_token: string };
  };
  return { account, ...data };
}

describe('a password over 72 bytes at login (item 6)', () => {
  it('is refused like a wrong password, although bcrypt would read only its first 72 bytes', async () => {
    const { account } = await register('a'.repeat(72));
    const longer = { email: account.email, password: `${account.password}appended` };
    const wrong = { email: account.email, password: 'wrong password!' };

    const rest = await t.rest('POST', '/v1/auth/login', { body: longer });
    const restWrong = await t.rest('POST', '/v1/auth/login', { body: wrong });
    expect(rest.statusCode).toBe(401);
    expect(rest.json()).toEqual(restWrong.json());

    const trpc = await trpcFailure(t.trpc().auth.login.mutate(longer));
    expect(trpc).toMatchObject({ code: 'INVALID_CREDENTIALS', httpStatus: 401 });
  });
});

describe('a deactivated account (item 11)', () => {
  it('cannot refresh: 401 ACCOUNT_DISABLED on REST, and the session is revoked', async () => {
    const { user, tokens } = await register();
    await t.db.db.update(users).set({ is_active: false }).where(eq(users.id, user.id));

    const res = await t.rest('POST', '/v1/auth/refresh', {
      body: { refresh_token: tokens.refresh_token },
    });
    expect(res.statusCode).toBe(401);
    expect(res.json().errors[0].code).toBe('ACCOUNT_DISABLED');
    expect(await t.db.db.select().from(sessions).where(eq(sessions.userId, user.id))).toEqual([]);
  });

  it('cannot refresh over tRPC either', async () => {
    const { user, tokens } = await register();
    await t.db.db.update(users).set({ is_active: false }).where(eq(users.id, user.id));

    const error = await trpcFailure(
      t.trpc().auth.refresh.mutate({ refresh_token: tokens.refresh_token }),
    );
    expect(error).toMatchObject({ code: 'ACCOUNT_DISABLED', httpStatus: 401 });
    expect(await t.db.db.select().from(sessions).where(eq(sessions.userId, user.id))).toEqual([]);
  });
});
