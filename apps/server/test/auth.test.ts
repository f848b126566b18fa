import type { AppRouter } from '@buybuy/api';
import { hashRefreshToken } from '@buybuy/auth';
import { rotatedRefreshTokens, sessions, users } from '@buybuy/db';
import { type TRPCClientError } from '@trpc/client';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestApp, type TestApp } from './harness';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

let n = 0;
const newAccount = () => {
  n += 1;
  return {
    username: `shopper${n}`,
    email: `shopper${n}@example.com`,
    password: 'correct horse battery',
  };
};

async function register(account = newAccount()) {
  const res = await t.rest('POST', '/v1/auth/register', { body: account });
  expect(res.statusCode).toBe(201);
  return {
    account,
    ...(res.json().data as {
      user: { id: number };
      tokens: { access_token: string; refresh_token: string };
    }),
  };
}

const trpcCode = (error: unknown) => (error as TRPCClientError<AppRouter>).data!;

describe('register', () => {
  it('creates the user, signs them in and never returns the password hash', async () => {
    const account = newAccount();
    const res = await t.rest('POST', '/v1/auth/register', {
      body: { ...account, email: `  ${account.email.toUpperCase()} `, first_name: 'Ana' },
    });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ success: true, message: 'Created', errors: [], meta: {} });
    expect(body.data.user).toMatchObject({
      username: account.username,
      email: account.email,
      first_name: 'Ana',
      is_staff: false,
    });
    expect(body.data.user).not.toHaveProperty('password_hash');
    expect(body.data.tokens).toMatchObject({ token_type: 'Bearer', expires_in: 900 });
    expect(JSON.stringify(body)).not.toMatch(/\$2[aby]\$/);

    const [row] = await t.db.db.select().from(users).where(eq(users.email, account.email));
    expect(row!.password_hash).toMatch(/^\$2[aby]\$/);
  });

  it('refuses a taken email and a taken username with 409 and field codes', async () => {
    const { account } = await register();
    const res = await t.rest('POST', '/v1/auth/register', {
      body: { ...account, email: account.email.toUpperCase() },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({
      success: false,
      data: null,
      errors: [
        { field: 'email', code: 'EMAIL_TAKEN' },
        { field: 'username', code: 'USERNAME_TAKEN' },
      ],
    });
  });

  it('rejects short and over-72-byte passwords with a field error, never truncating', async () => {
    for (const password of ['short', 'é'.repeat(37)]) {
      const res = await t.rest('POST', '/v1/auth/register', {
        body: { ...newAccount(), password },
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().errors).toEqual([
        expect.objectContaining({ field: 'password', code: 'VALIDATION' }),
      ]);
    }
    // exactly 72 bytes is fine
    const res = await t.rest('POST', '/v1/auth/register', {
      body: { ...newAccount(), password: 'a'.repeat(72) },
    });
    expect(res.statusCode).toBe(201);
  });

  it('reports every invalid field at once', async () => {
    const res = await t.rest('POST', '/v1/auth/register', {
      body: { username: 'x', email: 'not-an-email', password: '1' },
    });
    expect(res.statusCode).toBe(400);
    const fields = res
      .json()
      .errors.map((e: { field: string }) => e.field)
      .sort();
    expect(fields).toEqual(['email', 'password', 'username']);
  });

  it('rejects unknown fields instead of ignoring them', async () => {
    const res = await t.rest('POST', '/v1/auth/register', {
      body: { ...newAccount(), is_staff: true },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0]).toMatchObject({ code: 'VALIDATION' });
  });
});

describe('login', () => {
  it('signs in with a normalised email', async () => {
    const { account } = await register();
    const res = await t.rest('POST', '/v1/auth/login', {
      body: { email: ` ${account.email.toUpperCase()}`, password: account.password },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().data.user.email).toBe(account.email);
  });

  it('answers a wrong password and an unknown email identically', async () => {
    const { account } = await register();
    const wrongPassword = await t.rest('POST', '/v1/auth/login', {
      body: { email: account.email, password: 'wrong password!' },
    });
    const unknownEmail = await t.rest('POST', '/v1/auth/login', {
      body: { email: 'nobody@example.com', password: account.password },
    });
    expect(wrongPassword.statusCode).toBe(401);
    expect(unknownEmail.statusCode).toBe(401);
    expect(wrongPassword.json()).toEqual(unknownEmail.json());
    expect(wrongPassword.json().errors[0]).toMatchObject({
      field: null,
      code: 'INVALID_CREDENTIALS',
    });
  });

  it('works for a client still sending a stale or revoked access token', async () => {
    const { account, tokens } = await register();
    await t.rest('POST', '/v1/auth/logout', { token: tokens.access_token, body: {} });
    for (const token of [tokens.access_token, 'garbage']) {
      const res = await t.rest('POST', '/v1/auth/login', {
        token,
        body: { email: account.email, password: account.password },
      });
      expect(res.statusCode, token).toBe(200);
    }
  });

  it('refuses a disabled account', async () => {
    const { account, user } = await register();
    await t.db.db.update(users).set({ is_active: false }).where(eq(users.id, user.id));
    const res = await t.rest('POST', '/v1/auth/login', {
      body: { email: account.email, password: account.password },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().errors[0].code).toBe('ACCOUNT_DISABLED');
  });
});

describe('refresh', () => {
  it('rotates: a new pair, and the old refresh token stops working', async () => {
    const { tokens } = await register();
    const first = await t.rest('POST', '/v1/auth/refresh', {
      body: { refresh_token: tokens.refresh_token },
    });
    expect(first.statusCode).toBe(200);
    const rotated = first.json().data.tokens;
    expect(rotated.refresh_token).not.toBe(tokens.refresh_token);

    const profile = await t.rest('GET', '/v1/users/profile', { token: rotated.access_token });
    expect(profile.statusCode).toBe(200);

    const next = await t.rest('POST', '/v1/auth/refresh', {
      body: { refresh_token: rotated.refresh_token },
    });
    expect(next.statusCode).toBe(200);
  });

  it('revokes the whole session when a rotated refresh token is presented again', async () => {
    const { tokens } = await register();
    const rotated = (
      await t.rest('POST', '/v1/auth/refresh', { body: { refresh_token: tokens.refresh_token } })
    ).json().data.tokens;
    // Past the grace a just-rotated token has (hardening-auth.test.ts covers the grace itself).
    await t.db.db
      .update(rotatedRefreshTokens)
      .set({ expires_at: sql`${rotatedRefreshTokens.expires_at} - INTERVAL 1 HOUR` })
      .where(eq(rotatedRefreshTokens.token_hash, hashRefreshToken(tokens.refresh_token)));

    const replay = await t.rest('POST', '/v1/auth/refresh', {
      body: { refresh_token: tokens.refresh_token },
    });
    expect(replay.statusCode).toBe(401);
    expect(replay.json().errors[0].code).toBe('REFRESH_TOKEN_REUSED');

    // The thief's replay killed the legitimate holder's tokens too.
    const legit = await t.rest('POST', '/v1/auth/refresh', {
      body: { refresh_token: rotated.refresh_token },
    });
    expect(legit.statusCode).toBe(401);
    const access = await t.rest('GET', '/v1/users/profile', { token: rotated.access_token });
    expect(access.statusCode).toBe(401);
    expect(access.json().errors[0].code).toBe('SESSION_REVOKED');
  });

  it('stores only a hash of the refresh token', async () => {
    const { tokens, user } = await register();
    const rows = await t.db.db.select().from(sessions).where(eq(sessions.userId, user.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.id).toBe(hashRefreshToken(tokens.refresh_token));
    expect(rows[0]!.id).not.toContain(tokens.refresh_token);
  });

  it('rejects an unknown refresh token', async () => {
    const res = await t.rest('POST', '/v1/auth/refresh', { body: { refresh_token: 'made-up' } });
    expect(res.statusCode).toBe(401);
    expect(res.json().errors[0].code).toBe('INVALID_TOKEN');
  });
});

describe('logout', () => {
  it('kills both the refresh token and the access token of that session only', async () => {
    const { account, tokens } = await register();
    const other = (
      await t.rest('POST', '/v1/auth/login', {
        body: { email: account.email, password: account.password },
      })
    ).json().data.tokens;

    const res = await t.rest('POST', '/v1/auth/logout', { token: tokens.access_token, body: {} });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ success: true, data: null });

    expect(
      (await t.rest('GET', '/v1/users/profile', { token: tokens.access_token })).statusCode,
    ).toBe(401);
    expect(
      (await t.rest('POST', '/v1/auth/refresh', { body: { refresh_token: tokens.refresh_token } }))
        .statusCode,
    ).toBe(401);
    // another device's session lives on
    expect(
      (await t.rest('GET', '/v1/users/profile', { token: other.access_token })).statusCode,
    ).toBe(200);
  });

  it('needs a token', async () => {
    const res = await t.rest('POST', '/v1/auth/logout', { body: {} });
    expect(res.statusCode).toBe(401);
    expect(res.json().errors[0].code).toBe('UNAUTHORIZED');
  });
});

describe('access tokens', () => {
  it('rejects garbage, a wrong scheme, and a token signed with another secret', async () => {
    const { createAuth } = await import('@buybuy/auth');
    const { user } = await register();
    const forged = await createAuth({
      db: t.db.db,
      ...t.config.auth,
      jwtSecret: 'x'.repeat(40),
    }).signIn(user.id);
    for (const authorization of ['Bearer nonsense', 'Basic abc', `Bearer ${forged.access_token}`]) {
      const res = await t.rest('GET', '/v1/users/profile', { headers: { authorization } });
      expect(res.statusCode, authorization).toBe(401);
      expect(res.json().errors[0].code).toBe('INVALID_TOKEN');
    }
  });

  it('refuses a live access token once its session has expired', async () => {
    const { user, tokens } = await register();
    const ok = await t.rest('GET', '/v1/users/profile', { token: tokens.access_token });
    expect(ok.statusCode).toBe(200);
    await t.db.db
      .update(sessions)
      .set({ expiresAt: sql`NOW(3) - INTERVAL 1 SECOND` })
      .where(eq(sessions.userId, user.id));
    const res = await t.rest('GET', '/v1/users/profile', { token: tokens.access_token });
    expect(res.statusCode).toBe(401);
    expect(res.json().errors[0].code).toBe('SESSION_REVOKED');
  });

  it('says TOKEN_EXPIRED for an expired access token, so clients know to refresh', async () => {
    const { createAuth } = await import('@buybuy/auth');
    const { user } = await register();
    const shortLived = createAuth({ db: t.db.db, ...t.config.auth, accessTokenTtlSeconds: 1 });
    const { access_token } = await shortLived.signIn(user.id);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const res = await t.rest('GET', '/v1/users/profile', { token: access_token });
    expect(res.statusCode).toBe(401);
    expect(res.json().errors[0].code).toBe('TOKEN_EXPIRED');
  });
});

describe('the tRPC face', () => {
  it('runs the same lifecycle with the same machine codes', async () => {
    const account = newAccount();
    const anon = t.trpc();
    const session = await anon.auth.register.mutate(account);
    expect(session.user.email).toBe(account.email);

    const duplicate = await anon.auth.register.mutate(account).catch((error: unknown) => error);
    expect(trpcCode(duplicate)).toMatchObject({ code: 'EMAIL_TAKEN', httpStatus: 409 });

    const me = t.trpc(session.tokens.access_token);
    expect((await me.users.profile.query({})).username).toBe(account.username);
    await me.auth.logout.mutate({});
    const after = await me.users.profile.query({}).catch((error: unknown) => error);
    expect(trpcCode(after)).toMatchObject({ code: 'SESSION_REVOKED', httpStatus: 401 });

    const badLogin = await anon.auth.login
      .mutate({ email: account.email, password: 'nope nope' })
      .catch((e: unknown) => e);
    expect(trpcCode(badLogin)).toMatchObject({ code: 'INVALID_CREDENTIALS', httpStatus: 401 });
  });

  it('carries field errors for validation failures', async () => {
    const error = await t
      .trpc()
      .auth.register.mutate({ username: 'ok_name', email: 'bad', password: 'long enough' })
      .catch((e: unknown) => e);
    expect((error as TRPCClientError<never>).data).toMatchObject({
      code: 'VALIDATION',
      httpStatus: 400,
      errors: [{ field: 'email', code: 'VALIDATION' }],
    });
  });
});
