import { createAuth, hashRefreshToken, REFRESH_GRACE_SECONDS } from '@buybuy/auth';
import { rotatedRefreshTokens, sessions, users } from '@buybuy/db';
import { eq, sql } from 'drizzle-orm';
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

const refreshRest = (refresh_token: string) =>
  t.rest('POST', '/v1/auth/refresh', { body: { refresh_token } });

/** Moves a retired token's rotation into the past, as if that much time had gone by. */
async function ageRotation(refreshToken: string, seconds: number) {
  await t.db.db
    .update(rotatedRefreshTokens)
    .set({ expires_at: sql`${rotatedRefreshTokens.expires_at} - INTERVAL ${seconds} SECOND` })
    .where(eq(rotatedRefreshTokens.token_hash, hashRefreshToken(refreshToken)));
}

describe('two refreshes of the same token (item 8)', () => {
  it('both succeed with the same new refresh token when they race, on REST', async () => {
    const { tokens } = await register();
    const [a, b] = await Promise.all([
      refreshRest(tokens.refresh_token),
      refreshRest(tokens.refresh_token),
    ]);
    expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
    const next = a.json().data.tokens.refresh_token as string;
    expect(b.json().data.tokens.refresh_token).toBe(next);
    expect(next).not.toBe(tokens.refresh_token);
    // Both access tokens name the live session, and the successor rotates on.
    for (const res of [a, b]) {
      const profile = await t.rest('GET', '/v1/users/profile', {
        token: res.json().data.tokens.access_token,
      });
      expect(profile.statusCode).toBe(200);
    }
    expect((await refreshRest(next)).statusCode).toBe(200);
  });

  it('both succeed with the same new refresh token when they race, over tRPC', async () => {
    const { tokens } = await register();
    const client = t.trpc(undefined, { batch: false });
    const [a, b] = await Promise.all([
      client.auth.refresh.mutate({ refresh_token: tokens.refresh_token }),
      client.auth.refresh.mutate({ refresh_token: tokens.refresh_token }),
    ]);
    expect(a.tokens.refresh_token).toBe(b.tokens.refresh_token);
    expect(a.tokens.refresh_token).not.toBe(tokens.refresh_token);
  });

  it('a retry shortly after the rotation gets the same successor', async () => {
    const { tokens } = await register();
    const first = await refreshRest(tokens.refresh_token);
    const retry = await refreshRest(tokens.refresh_token);
    expect(retry.statusCode).toBe(200);
    expect(retry.json().data.tokens.refresh_token).toBe(first.json().data.tokens.refresh_token);
  });

  it('after the grace period the old token is reuse: 401 and the session revoked', async () => {
    const { tokens, user } = await register();
    const rotated = (await refreshRest(tokens.refresh_token)).json().data.tokens;
    await ageRotation(tokens.refresh_token, REFRESH_GRACE_SECONDS + 1);

    const replay = await refreshRest(tokens.refresh_token);
    expect(replay.statusCode).toBe(401);
    expect(replay.json().errors[0].code).toBe('REFRESH_TOKEN_REUSED');
    expect((await refreshRest(rotated.refresh_token)).statusCode).toBe(401);
    expect(await t.db.db.select().from(sessions).where(eq(sessions.userId, user.id))).toEqual([]);
  });

  it('within the grace period, a token whose successor rotated on is reuse too', async () => {
    const { tokens } = await register();
    const second = (await refreshRest(tokens.refresh_token)).json().data.tokens;
    const third = (await refreshRest(second.refresh_token)).json().data.tokens;

    const replay = await refreshRest(tokens.refresh_token);
    expect(replay.json().errors[0].code).toBe('REFRESH_TOKEN_REUSED');
    expect((await refreshRest(third.refresh_token)).statusCode).toBe(401);
  });
});

describe('a stored hash of another cost than BCRYPT_COST (item 5)', () => {
  /** An account whose hash predates the configured cost (the test app hashes at 4). */
  async function accountHashedAtCost5(name: string) {
    const old = createAuth({ db: t.db.db, ...t.config.auth, bcryptCost: 5 });
    const email = `${name}@example.com`;
    await t.db.db.insert(users).values({
      username: name,
      email,
      password_hash: await old.hashPassword('an older password'),
    });
    return { email, password: 'an older password' };
  }
  const storedHash = async (email: string) =>
    (await t.db.db.select().from(users).where(eq(users.email, email)))[0]!.password_hash;

  it('is re-hashed at the configured cost when its owner signs in on REST', async () => {
    const account = await accountHashedAtCost5('costfive1');
    const wrong = await t.rest('POST', '/v1/auth/login', {
      body: { ...account, password: 'a wrong guess' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(await storedHash(account.email)).toMatch(/^\$2[aby]\$05\$/);

    expect((await t.rest('POST', '/v1/auth/login', { body: account })).statusCode).toBe(200);
    expect(await storedHash(account.email)).toMatch(/^\$2[aby]\$04\$/);
    expect((await t.rest('POST', '/v1/auth/login', { body: account })).statusCode).toBe(200);
  });

  it('is re-hashed over tRPC too', async () => {
    const account = await accountHashedAtCost5('costfive2');
    await t.trpc().auth.login.mutate(account);
    expect(await storedHash(account.email)).toMatch(/^\$2[aby]\$04\$/);
  });
});
