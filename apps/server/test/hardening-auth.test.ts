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
