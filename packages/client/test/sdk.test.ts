import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestApp, type TestApp } from '../../../apps/server/test/harness';
import {
  createBuyBuyClient,
  createMemoryTokenStore,
  errorCode,
  errorStatus,
  isTRPCClientError,
  type Tokens,
} from '../src';
import { newAccount, recordingFetch, sleep } from './helpers';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('signing in through the SDK', () => {
  it('stores the pair from register, sends it, and reads the profile', async () => {
    const store = createMemoryTokenStore();
    const client = createBuyBuyClient({ baseUrl: t.url, ...store });
    const account = newAccount('sdk');

    const session = await client.auth.register.mutate({ ...account, first_name: 'Sam' });
    expect(session.user).toMatchObject({ email: account.email, username: account.username });
    expect(store.get()).toEqual(session.tokens);

    const profile = await client.users.profile.query({});
    expect(profile).toMatchObject({ id: session.user.id, email: account.email, first_name: 'Sam' });
    expect(profile).not.toHaveProperty('password_hash');
  });

  it('logs in, then logout forgets the tokens and later calls are anonymous', async () => {
    const account = newAccount('sdk');
    await t.trpc().auth.register.mutate(account);
    const seen: (Tokens | null)[] = [];
    const store = createMemoryTokenStore();
    store.subscribe((tokens) => seen.push(tokens));
    const client = createBuyBuyClient({ baseUrl: t.url, ...store });

    const { tokens } = await client.auth.login.mutate({
      email: account.email,
      password: account.password,
    });
    expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: expect.any(Number) });
    expect((await client.users.profile.query({})).email).toBe(account.email);

    await client.auth.logout.mutate({});
    expect(seen).toEqual([tokens, null]);
    const error = await client.users.profile.query({}).catch((e: unknown) => e);
    expect(errorStatus(error)).toBe(401);
    expect(errorCode(error)).toBe('UNAUTHORIZED');
  });

  it('keeps tokens in memory by itself when given no getters', async () => {
    const account = newAccount('sdk');
    const client = createBuyBuyClient({ baseUrl: t.url });
    await client.auth.register.mutate(account);
    expect((await client.users.profile.query({})).email).toBe(account.email);
  });

  it('surfaces domain errors with their machine code', async () => {
    const client = createBuyBuyClient({ baseUrl: t.url });
    const error = await client.auth.login
      .mutate({ email: 'nobody@example.com', password: 'wrong password' })
      .catch((e: unknown) => e);
    expect(isTRPCClientError(error)).toBe(true);
    expect(errorCode(error)).toBe('INVALID_CREDENTIALS');
    expect(errorStatus(error)).toBe(401);
  });
});

/*
 * Access tokens here live 2 s. A JWT's `exp` is counted in whole seconds from
 * a floored issue time, so a 1 s token can expire a millisecond after it is
 * issued; 2 s leaves the retried call at least a full second. Waiting 2.1 s
 * guarantees expiry; nothing asserts on timing.
 */
describe('when the access token expires', () => {
  let short: TestApp;
  const signedIn: {
    store: ReturnType<typeof createMemoryTokenStore>;
    account: ReturnType<typeof newAccount>;
  }[] = [];

  beforeAll(async () => {
    short = await startTestApp({
      auth: {
        jwtSecret: 'sdk-test-secret-that-is-long-enough-0123456789',
        accessTokenTtlSeconds: 2,
        refreshTokenTtlDays: 30,
        bcryptCost: 4,
      },
    });
    // Sessions for every test below, then one shared wait.
    for (let i = 0; i < 4; i++) {
      const account = newAccount('exp');
      const { tokens } = await short.trpc().auth.register.mutate(account);
      signedIn.push({ store: createMemoryTokenStore(tokens), account });
    }
    await sleep(2_100);
  });
  afterAll(() => short?.close());

  it('refreshes once, stores the new pair and retries the call once', async () => {
    const { store, account } = signedIn[0]!;
    const before = store.get()!;
    const stored: (Tokens | null)[] = [];
    const recorder = recordingFetch();
    const client = createBuyBuyClient({
      baseUrl: short.url,
      fetch: recorder.fetch,
      getAccessToken: store.getAccessToken,
      getRefreshToken: store.getRefreshToken,
      onTokens: (tokens) => {
        stored.push(tokens);
        store.set(tokens);
      },
    });

    const profile = await client.users.profile.query({});
    expect(profile.email).toBe(account.email);
    expect(recorder.calls).toEqual(['users.profile 401', 'auth.refresh 200', 'users.profile 200']);
    expect(stored).toHaveLength(1);
    expect(stored[0]!.access_token).not.toBe(before.access_token);
    expect(stored[0]!.refresh_token).not.toBe(before.refresh_token);
  });

  it('shares one refresh between concurrent calls, batched or not', async () => {
    for (const [i, batch] of [
      [1, false],
      [2, true],
    ] as const) {
      const { store, account } = signedIn[i]!;
      const recorder = recordingFetch();
      const client = createBuyBuyClient({
        baseUrl: short.url,
        fetch: recorder.fetch,
        batch,
        ...store,
      });

      const results = await Promise.all([
        client.users.profile.query({}),
        client.users.profile.query({}),
        client.categories.list.query({}),
      ]);
      expect(results[0].email).toBe(account.email);
      expect(results[1].email).toBe(account.email);
      expect(recorder.calls.filter((call) => call.startsWith('auth.refresh'))).toEqual([
        'auth.refresh 200',
      ]);
    }
  });

  it('ends the session when the refresh token was revoked, and surfaces the 401', async () => {
    const { store } = signedIn[3]!;
    // Another device rotates this refresh token twice: presenting the old one now is reuse (past the
    // grace a just-rotated token has), which revokes the session.
    const rotated = await short
      .trpc()
      .auth.refresh.mutate({ refresh_token: store.get()!.refresh_token });
    await short.trpc().auth.refresh.mutate({ refresh_token: rotated.tokens.refresh_token });
    const stored: (Tokens | null)[] = [];
    const recorder = recordingFetch();
    const client = createBuyBuyClient({
      baseUrl: short.url,
      fetch: recorder.fetch,
      getAccessToken: store.getAccessToken,
      getRefreshToken: store.getRefreshToken,
      onTokens: (tokens) => {
        stored.push(tokens);
        store.set(tokens);
      },
    });

    const error = await client.users.profile.query({}).catch((e: unknown) => e);
    expect(isTRPCClientError(error)).toBe(true);
    expect(errorStatus(error)).toBe(401);
    expect(errorCode(error)).toBe('TOKEN_EXPIRED');
    expect(stored).toEqual([null]);
    expect(recorder.calls).toEqual(['users.profile 401', 'auth.refresh 401']);
  });
});
