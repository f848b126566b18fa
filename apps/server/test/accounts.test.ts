import { accountTokens, users } from '@buybuy/db';
import {
  type ReceivedEmail,
  startTestSmtpServer,
  type TestSmtpServer,
} from '@buybuy/email/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestApp, type TestApp, trpcFailure } from './harness';

/**
 * Password reset, email verification, password and email changes through the
 * real server, on both faces, with the jobs run in the app and the emails
 * delivered to a real SMTP server: each test follows the link that arrived.
 */

let smtp: TestSmtpServer;
let t: TestApp;
beforeAll(async () => {
  smtp = await startTestSmtpServer();
  t = await startTestApp(
    {
      email: { smtpUrl: smtp.url, from: 'BuyBuy <no-reply@shop.test>', dir: '/nowhere' },
      storefrontUrl: 'http://shop.test',
    },
    { jobs: 'embedded' },
  );
});
afterAll(async () => {
  await t.close();
  await smtp.close();
});

let n = 0;
async function register() {
  n += 1;
  const account = {
    username: `reader${n}`,
    email: `reader${n}@example.com`,
    password: 'the first password',
  };
  const res = await t.rest('POST', '/v1/auth/register', { body: account });
  expect(res.statusCode).toBe(201);
  const { tokens } = res.json().data as {
    tokens: { access_token: string; refresh_token: string };
  };
  return { ...account, tokens };
}

/** The token of the link in `mail`, checking the link opens `page` on the storefront. */
function linkToken(mail: ReceivedEmail, page: string): string {
  const link = new RegExp(`http://shop\\.test${page}\\?token=([A-Za-z0-9_-]{43})`);
  const inText = link.exec(mail.text ?? '');
  const inHtml = link.exec(typeof mail.html === 'string' ? mail.html : '');
  expect(inText, mail.text).not.toBeNull();
  expect(inHtml?.[1]).toBe(inText![1]);
  return inText![1]!;
}

const profile = (token: string) => t.rest('GET', '/v1/users/profile', { token });
const login = (email: string, password: string) =>
  t.rest('POST', '/v1/auth/login', { body: { email, password } });

describe('email verification', () => {
  it('emails a link at registration; following it verifies the address, once', async () => {
    const account = await register();
    const mail = await smtp.next(account.email);
    expect(mail.from?.value[0]?.address).toBe('no-reply@shop.test');
    expect(mail.subject).toBe('Confirm your email for BuyBuy');
    const token = linkToken(mail, '/verify-email');
    expect((await profile(account.tokens.access_token)).json().data.email_verified_at).toBeNull();

    const res = await t.rest('POST', '/v1/auth/verify-email', { body: { token } });
    expect(res.statusCode).toBe(200);
    expect(res.json().data).toEqual({
      email: account.email,
      email_verified_at: expect.stringMatching(/Z$/),
    });
    expect((await profile(account.tokens.access_token)).json().data.email_verified_at).toBe(
      res.json().data.email_verified_at,
    );

    expect(await trpcFailure(t.trpc().auth.verifyEmail.mutate({ token }))).toMatchObject({
      code: 'LINK_INVALID',
      httpStatus: 400,
      errors: [{ field: 'token', code: 'LINK_INVALID' }],
    });
  });

  it('sends a new link on request (tRPC), and the earlier one stops working', async () => {
    const account = await register();
    const first = linkToken(await smtp.next(account.email), '/verify-email');
    expect(await t.trpc(account.tokens.access_token).auth.resendVerification.mutate({})).toBeNull();
    const second = linkToken(await smtp.next(account.email), '/verify-email');
    expect(second).not.toBe(first);

    const stale = await t.rest('POST', '/v1/auth/verify-email', { body: { token: first } });
    expect(stale.statusCode).toBe(400);
    expect(stale.json()).toMatchObject({
      success: false,
      errors: [{ field: 'token', code: 'LINK_INVALID' }],
    });
    expect(await t.trpc().auth.verifyEmail.mutate({ token: second })).toMatchObject({
      email: account.email,
    });
  });

  it('lets an unverified account sign in', async () => {
    const account = await register();
    await smtp.next(account.email);
    expect((await login(account.email, account.password)).statusCode).toBe(200);
  });
});

describe('password reset', () => {
  it('answers the same for an unknown address as for a known one', async () => {
    const account = await register();
    await smtp.next(account.email);
    const known = await t.rest('POST', '/v1/auth/password-reset', {
      body: { email: account.email },
    });
    const unknown = await t.rest('POST', '/v1/auth/password-reset', {
      body: { email: 'nobody-here@example.com' },
    });
    expect(known.statusCode).toBe(200);
    expect(unknown.statusCode).toBe(known.statusCode);
    expect(unknown.json()).toEqual(known.json());
    expect(await t.trpc().auth.requestPasswordReset.mutate({ email: 'nobody@example.com' })).toBe(
      null,
    );
    await smtp.next(account.email); // the known address got its link
  });

  it('sets the password with the emailed link, ends every session, and works once', async () => {
    const account = await register();
    await smtp.next(account.email);
    const other = await login(account.email, account.password);
    const otherTokens = other.json().data.tokens as { access_token: string; refresh_token: string };

    await t.trpc().auth.requestPasswordReset.mutate({ email: account.email });
    const mail = await smtp.next(account.email);
    expect(mail.subject).toBe('Reset your BuyBuy password');
    const token = linkToken(mail, '/reset-password');

    const reset = await t.rest('POST', '/v1/auth/password-reset/confirm', {
      body: { token, password: 'the second password' },
    });
    expect(reset.statusCode).toBe(200);
    expect(reset.json().data).toBeNull();

    for (const tokens of [account.tokens, otherTokens]) {
      const old = await profile(tokens.access_token);
      expect(old.statusCode).toBe(401);
      expect(old.json().errors[0].code).toBe('SESSION_REVOKED');
      const refresh = await t.rest('POST', '/v1/auth/refresh', {
        body: { refresh_token: tokens.refresh_token },
      });
      expect(refresh.statusCode).toBe(401);
    }
    expect((await login(account.email, account.password)).statusCode).toBe(401);
    expect((await login(account.email, 'the second password')).statusCode).toBe(200);

    expect(
      await trpcFailure(
        t.trpc().auth.resetPassword.mutate({ token, password: 'the third password' }),
      ),
    ).toMatchObject({ code: 'LINK_INVALID', httpStatus: 400 });
  });

  it('refuses an expired link with LINK_EXPIRED on both faces', async () => {
    const account = await register();
    await smtp.next(account.email);
    await t.rest('POST', '/v1/auth/password-reset', { body: { email: account.email } });
    const token = linkToken(await smtp.next(account.email), '/reset-password');
    const [user] = await t.db.db.select().from(users).where(eq(users.email, account.email));
    await t.db.db
      .update(accountTokens)
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where(eq(accountTokens.user_id, user!.id));

    const res = await t.rest('POST', '/v1/auth/password-reset/confirm', {
      body: { token, password: 'the second password' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      success: false,
      errors: [{ field: 'token', code: 'LINK_EXPIRED' }],
    });
    expect(
      await trpcFailure(
        t.trpc().auth.resetPassword.mutate({ token, password: 'the second password' }),
      ),
    ).toMatchObject({ code: 'LINK_EXPIRED', httpStatus: 400 });
    expect((await profile(account.tokens.access_token)).statusCode).toBe(200);
  });

  it('refuses a short new password as a field error, before looking at the link', async () => {
    const res = await t.rest('POST', '/v1/auth/password-reset/confirm', {
      body: { token: 'whatever', password: 'short' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([
      expect.objectContaining({ field: 'password', code: 'VALIDATION' }),
    ]);
  });

  it('limits requests per address, whichever face and whether or not it exists: 429 with Retry-After', async () => {
    const email = 'flooded@example.com';
    // RATE_LIMIT_EMAIL_MAX is 5 an hour: three on REST and two on tRPC (the same address, however written).
    for (let i = 0; i < 3; i++) {
      expect(
        (await t.rest('POST', '/v1/auth/password-reset', { body: { email } })).statusCode,
      ).toBe(200);
    }
    for (let i = 0; i < 2; i++)
      await t.trpc().auth.requestPasswordReset.mutate({ email: ` ${email.toUpperCase()}` });
    const limited = await t.rest('POST', '/v1/auth/password-reset', { body: { email } });
    expect(limited.statusCode).toBe(429);
    expect(limited.json().errors[0].code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(60);
    expect(await trpcFailure(t.trpc().auth.requestPasswordReset.mutate({ email }))).toMatchObject({
      code: 'RATE_LIMITED',
      httpStatus: 429,
    });
  });

  it('limits requests per IP with the credential budget', async () => {
    const tight = await startTestApp(
      { rateLimit: { ...t.config.rateLimit, authMax: 2 } },
      { sharedWith: t },
    );
    try {
      const ask = (email: string, remoteAddress: string) =>
        tight.app.inject({
          method: 'POST',
          url: '/v1/auth/password-reset',
          headers: { 'content-type': 'application/json' },
          payload: JSON.stringify({ email }),
          remoteAddress,
        });
      expect((await ask('ip-one@example.com', '10.77.0.1')).statusCode).toBe(200);
      expect((await ask('ip-two@example.com', '10.77.0.1')).statusCode).toBe(200);
      expect((await ask('ip-three@example.com', '10.77.0.1')).statusCode).toBe(429);
      expect((await ask('ip-three@example.com', '10.77.0.2')).statusCode).toBe(200);
    } finally {
      await tight.close();
    }
  });
});

describe('changing the password', () => {
  it('needs the current password, ends the other sessions and keeps this one (REST and tRPC)', async () => {
    const account = await register();
    await smtp.next(account.email);
    const phone = (await login(account.email, account.password)).json().data.tokens as {
      access_token: string;
      refresh_token: string;
    };

    const wrong = await t.rest('POST', '/v1/users/profile/password', {
      token: account.tokens.access_token,
      body: { current_password: 'not it', new_password: 'the second password' },
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().errors).toEqual([
      expect.objectContaining({ field: 'current_password', code: 'WRONG_PASSWORD' }),
    ]);

    const changed = await t.rest('POST', '/v1/users/profile/password', {
      token: account.tokens.access_token,
      body: { current_password: account.password, new_password: 'the second password' },
    });
    expect(changed.statusCode).toBe(200);
    expect((await profile(account.tokens.access_token)).statusCode).toBe(200);
    expect((await profile(phone.access_token)).statusCode).toBe(401);
    expect(
      (await t.rest('POST', '/v1/auth/refresh', { body: { refresh_token: phone.refresh_token } }))
        .statusCode,
    ).toBe(401);

    await t.trpc(account.tokens.access_token).users.changePassword.mutate({
      current_password: 'the second password',
      new_password: 'the third password',
    });
    expect((await login(account.email, 'the third password')).statusCode).toBe(200);
    expect(
      await trpcFailure(
        t.trpc(account.tokens.access_token).users.changePassword.mutate({
          current_password: 'the second password',
          new_password: 'the fourth password',
        }),
      ),
    ).toMatchObject({ code: 'WRONG_PASSWORD', httpStatus: 400 });
  });
});

describe('changing the email', () => {
  it('keeps the old address until the link sent to the new one is followed', async () => {
    const account = await register();
    await smtp.next(account.email);
    const next = `moved-${account.email}`;
    const asked = await t.rest('POST', '/v1/users/profile/email', {
      token: account.tokens.access_token,
      body: { new_email: next, current_password: account.password },
    });
    expect(asked.statusCode).toBe(200);
    const mail = await smtp.next(next);
    expect(mail.subject).toBe('Confirm your new email for BuyBuy');
    expect((await profile(account.tokens.access_token)).json().data.email).toBe(account.email);

    const status = await t
      .trpc()
      .auth.confirmEmailChange.mutate({ token: linkToken(mail, '/confirm-email') });
    expect(status).toMatchObject({ email: next });
    const after = (await profile(account.tokens.access_token)).json().data;
    expect(after).toMatchObject({ email: next, email_verified_at: expect.any(String) });
    expect((await login(next, account.password)).statusCode).toBe(200);
  });

  it('refuses an address another account has, at the request and at the confirmation', async () => {
    const [account, other] = [await register(), await register()];
    await smtp.next(account.email);
    await smtp.next(other.email);
    expect(
      await trpcFailure(
        t.trpc(account.tokens.access_token).users.requestEmailChange.mutate({
          new_email: other.email,
          current_password: account.password,
        }),
      ),
    ).toMatchObject({ code: 'EMAIL_TAKEN', httpStatus: 409 });

    const wanted = `wanted-${account.email}`;
    await t.trpc(account.tokens.access_token).users.requestEmailChange.mutate({
      new_email: wanted,
      current_password: account.password,
    });
    const token = linkToken(await smtp.next(wanted), '/confirm-email');
    // The other account takes the address before the link is followed.
    await t.trpc(other.tokens.access_token).users.requestEmailChange.mutate({
      new_email: wanted,
      current_password: other.password,
    });
    await t.trpc().auth.confirmEmailChange.mutate({
      token: linkToken(await smtp.next(wanted), '/confirm-email'),
    });
    const late = await t.rest('POST', '/v1/auth/email-change/confirm', { body: { token } });
    expect(late.statusCode).toBe(409);
    expect(late.json().errors[0]).toMatchObject({ code: 'EMAIL_TAKEN' });
  });

  it('needs the current password', async () => {
    const account = await register();
    await smtp.next(account.email);
    const res = await t.rest('POST', '/v1/users/profile/email', {
      token: account.tokens.access_token,
      body: { new_email: `x-${account.email}`, current_password: 'not it' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0]).toMatchObject({
      field: 'current_password',
      code: 'WRONG_PASSWORD',
    });
  });
});

describe('with Redis', () => {
  it('queues the email in BullMQ, and the worker delivers it', async () => {
    const queued = await startTestApp(
      {
        email: { smtpUrl: smtp.url, from: 'BuyBuy <no-reply@shop.test>', dir: '/nowhere' },
        storefrontUrl: 'http://shop.test',
      },
      { jobs: 'bullmq' },
    );
    try {
      expect(queued.jobs!().mode).toBe('bullmq');
      const email = 'through-redis@example.com';
      const res = await queued.rest('POST', '/v1/auth/register', {
        body: { username: 'throughredis', email, password: 'the first password' },
      });
      expect(res.statusCode).toBe(201);
      const token = linkToken(await smtp.next(email), '/verify-email');
      const verified = await queued.rest('POST', '/v1/auth/verify-email', { body: { token } });
      expect(verified.json().data).toMatchObject({ email });
    } finally {
      await queued.close();
    }
  });
});

describe('order confirmation', () => {
  it('emails the order as placed to the address it was placed with', async () => {
    const admin = await t.tokenFor('mail-admin', { admin: true });
    const category = await t.rest('POST', '/v1/categories', {
      token: admin,
      body: { name: 'Mail floor' },
    });
    const shipping = await t.rest('POST', '/v1/shipping-methods', {
      token: admin,
      body: { name: 'Courier', price: '4.99' },
    });
    const product = await t.rest('POST', '/v1/products', {
      token: admin,
      body: {
        name: 'Lamp <Deluxe>',
        price: '12.50',
        category_id: category.json().data.id,
        stock_quantity: 5,
      },
    });
    const cart = await t.rest('POST', '/v1/cart/items', {
      body: { product_id: product.json().data.id, quantity: 2 },
    });
    const placed = await t.rest('POST', '/v1/orders', {
      headers: { 'x-cart-token': cart.json().data.cart_token },
      body: {
        email: 'buyer@example.com',
        shipping_address: {
          full_name: 'Rui Costa',
          line1: 'Rua Nova 5',
          city: 'Porto',
          postal_code: '4000-001',
          country: 'PT',
        },
        shipping_method_id: shipping.json().data.id,
      },
    });
    expect(placed.statusCode).toBe(201);
    const { number } = placed.json().data as { number: string };

    const mail = await smtp.next('buyer@example.com');
    expect(mail.subject).toBe(`Your BuyBuy order ${number}`);
    expect(mail.text).toContain('2 × Lamp <Deluxe>: 25.00 USD');
    expect(mail.text).toContain('Total: 29.99 USD');
    expect(mail.html).toContain('<th scope="col">Amount</th>');
    expect(mail.html).toContain('Lamp &lt;Deluxe&gt;');
    // The order token is shown once, in the answer: never in an email.
    expect(mail.text).not.toContain(placed.json().data.order_token);
  });
});
