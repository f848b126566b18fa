import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestApp, type TestApp } from './harness';

// Issue 10 item 7: failing logins from one address must not lock the owner out from another.
// Tight budget: 3 credential calls per address, 3 failures per account (30 lock it for everyone).

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({
    rateLimit: { enabled: true, windowSeconds: 60, max: 1000, authMax: 3 },
  });
});
afterAll(() => t.close());

let lastOctet = 10;
const nextIp = () => `10.0.1.${lastOctet++}`;
const password = 'correct horse battery';

async function account(name: string) {
  const body = { username: name, email: `${name}@example.com`, password };
  expect(
    (
      await t.app.inject({
        method: 'POST',
        url: '/v1/auth/register',
        remoteAddress: nextIp(),
        payload: body,
      })
    ).statusCode,
  ).toBe(201);
  return body.email;
}

const restLogin = (ip: string, email: string, pw: string) =>
  t.app.inject({
    method: 'POST',
    url: '/v1/auth/login',
    remoteAddress: ip,
    payload: { email, password: pw },
  });

const trpcLogin = (ip: string, email: string, pw: string) =>
  t.app.inject({
    method: 'POST',
    url: '/trpc/auth.login',
    remoteAddress: ip,
    payload: { json: { email, password: pw } },
  });

describe.each([
  ['REST', restLogin],
  ['tRPC', trpcLogin],
])('an account whose failure budget another address spent (%s)', (face, login) => {
  it('still signs its owner in from an address that has not been failing', async () => {
    const email = await account(`lockout${face}`);
    const attacker = nextIp();
    for (let i = 0; i < 3; i++)
      expect((await login(attacker, email, 'a wrong guess')).statusCode).toBe(401);

    expect((await login(nextIp(), email, password)).statusCode).toBe(200);
    // The failing address stays refused, even with the right password; a wrong one elsewhere is refused too.
    expect((await login(attacker, email, password)).statusCode).toBe(429);
    expect((await login(nextIp(), email, 'another guess')).statusCode).toBe(429);
  });
});

describe('an account under a distributed attack', () => {
  it('is locked for everyone after ten times the budget of failures', async () => {
    const email = await account('distributed');
    for (let i = 0; i < 30; i++) await restLogin(nextIp(), email, `guess ${i}`);
    expect((await restLogin(nextIp(), email, password)).statusCode).toBe(429);
  });
});
