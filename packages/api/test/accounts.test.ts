import { createHash } from 'node:crypto';

import { accountTokens, users } from '@buybuy/db';
import { createTestDatabase, type TestDatabase } from '@buybuy/db/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  confirmEmailChange,
  requestPasswordReset,
  resetPassword,
  sendVerification,
  verifyEmail,
} from '../src/auth/recovery';
import type { ShopEmails } from '../src/emails';
import { changePassword, requestEmailChange } from '../src/users/account';
import { appError, aUser, testAuth } from './fixtures';

// The account rules without HTTP: reset, verification, password and email
// changes (the HTTP tests, with a real SMTP server: apps/server/test/accounts.test.ts).

let test: TestDatabase;
let auth: ReturnType<typeof testAuth>;
beforeAll(async () => {
  test = await createTestDatabase();
  auth = testAuth(test.db);
});
afterAll(() => test.drop());

/** An outbox that keeps the token of every link, by kind and address. */
function recordingEmails() {
  const sent: { kind: string; to: string; token: string }[] = [];
  const record = (kind: string) => async (to: string, token: string) => {
    sent.push({ kind, to, token });
  };
  const emails: ShopEmails = {
    passwordReset: record('passwordReset'),
    verification: record('verification'),
    verificationAfterSignUp: record('verification'),
    emailChange: record('emailChange'),
    orderPlaced: async (order) => {
      sent.push({ kind: 'orderPlaced', to: order.email, token: '' });
    },
  };
  const last = (kind: string, to: string) =>
    sent.filter((one) => one.kind === kind && one.to === to).at(-1)?.token;
  return { emails, sent, last };
}

const PASSWORD = 'the-old-password';

/** A user whose password is PASSWORD, signed in twice (two devices). */
async function aUserWithPassword() {
  const user = await aUser(test.db);
  await test.db
    .update(users)
    .set({ password_hash: await auth.hashPassword(PASSWORD) })
    .where(eq(users.id, user.id));
  const [laptop, phone] = [await auth.signIn(user.id), await auth.signIn(user.id)];
  return { ...user, laptop, phone };
}

const row = async (id: number) => (await test.db.select().from(users).where(eq(users.id, id)))[0]!;
const sessionOf = async (accessToken: string) => (await auth.authenticate(accessToken)).session_id;
const refused = (promise: Promise<unknown>) =>
  promise.then(
    () => 'accepted',
    (error: { code?: string }) => error.code ?? 'error',
  );

describe('password reset', () => {
  it('answers null for an unknown address, a deactivated account and a known one, emailing only the last', async () => {
    const { emails, sent } = recordingEmails();
    const active = await aUser(test.db);
    const inactive = await aUser(test.db, { is_active: false });
    expect(await requestPasswordReset(test.db, emails, 'nobody@example.com')).toBeNull();
    expect(await requestPasswordReset(test.db, emails, inactive.email)).toBeNull();
    expect(await requestPasswordReset(test.db, emails, active.email)).toBeNull();
    expect(sent.map(({ kind, to }) => ({ kind, to }))).toEqual([
      { kind: 'passwordReset', to: active.email },
    ]);
  });

  it('keeps only the hash of the token, valid one hour', async () => {
    const { emails, last } = recordingEmails();
    const user = await aUser(test.db);
    await requestPasswordReset(test.db, emails, user.email);
    const [stored] = await test.db
      .select()
      .from(accountTokens)
      .where(eq(accountTokens.user_id, user.id));
    const token = last('passwordReset', user.email)!;
    expect(stored!.token_hash).toBe(createHash('sha256').update(token).digest('hex'));
    const lifetime = stored!.expires_at.getTime() - stored!.created_at.getTime();
    expect(Math.round(lifetime / 60_000)).toBe(60);
  });

  it('sets the password, ends every session, verifies the address, and works once', async () => {
    const { emails, last } = recordingEmails();
    const user = await aUserWithPassword();
    await requestPasswordReset(test.db, emails, user.email);
    const token = last('passwordReset', user.email)!;

    expect(
      await resetPassword(test.db, auth, { token, password: 'a-brand-new-password' }),
    ).toBeNull();
    const after = await row(user.id);
    expect(await auth.verifyPassword('a-brand-new-password', after.password_hash)).toBe(true);
    expect(await auth.verifyPassword(PASSWORD, after.password_hash)).toBe(false);
    expect(after.email_verified_at).toBeInstanceOf(Date);
    for (const tokens of [user.laptop, user.phone]) {
      expect(await refused(auth.authenticate(tokens.access_token))).toBe('SESSION_REVOKED');
      expect(await refused(auth.refresh(tokens.refresh_token))).toBe('INVALID_TOKEN');
    }

    expect(
      await appError(resetPassword(test.db, auth, { token, password: 'yet-another-password' })),
    ).toEqual({ status: 'BAD_REQUEST', code: 'LINK_INVALID', fields: ['token'] });
  });

  it('refuses an expired link, a replaced link and an unknown one, changing nothing', async () => {
    const { emails, last } = recordingEmails();
    const user = await aUserWithPassword();
    await requestPasswordReset(test.db, emails, user.email);
    const first = last('passwordReset', user.email)!;
    await requestPasswordReset(test.db, emails, user.email);
    const second = last('passwordReset', user.email)!;
    const attempt = (token: string) =>
      appError(resetPassword(test.db, auth, { token, password: 'a-brand-new-password' }));

    expect(await attempt(first)).toMatchObject({ code: 'LINK_INVALID' });
    expect(await attempt('not-a-token-we-made')).toMatchObject({ code: 'LINK_INVALID' });
    await test.db
      .update(accountTokens)
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where(eq(accountTokens.user_id, user.id));
    expect(await attempt(second)).toEqual({
      status: 'BAD_REQUEST',
      code: 'LINK_EXPIRED',
      fields: ['token'],
    });
    expect(await auth.verifyPassword(PASSWORD, (await row(user.id)).password_hash)).toBe(true);
    expect(await sessionOf(user.laptop.access_token)).toBeTruthy();
  });

  it('lets one of two simultaneous uses of a link win', async () => {
    const { emails, last } = recordingEmails();
    const user = await aUserWithPassword();
    await requestPasswordReset(test.db, emails, user.email);
    const token = last('passwordReset', user.email)!;
    const outcomes = await Promise.all(
      ['first-new-password', 'second-new-password'].map((password) =>
        refused(resetPassword(test.db, auth, { token, password })),
      ),
    );
    expect(outcomes.sort()).toEqual(['LINK_INVALID', 'accepted']);
  });
});

describe('email verification', () => {
  it('verifies the address the link went to, once; a reset link is not a verification link', async () => {
    const { emails, last } = recordingEmails();
    const user = await aUser(test.db);
    expect((await row(user.id)).email_verified_at).toBeNull();
    await requestPasswordReset(test.db, emails, user.email);
    expect(await appError(verifyEmail(test.db, last('passwordReset', user.email)!))).toMatchObject({
      code: 'LINK_INVALID',
    });

    await sendVerification(test.db, emails, user.id);
    const token = last('verification', user.email)!;
    const status = await verifyEmail(test.db, token);
    expect(status.email).toBe(user.email);
    expect(new Date(status.email_verified_at!).getTime()).toBe(
      (await row(user.id)).email_verified_at!.getTime(),
    );
    expect(await appError(verifyEmail(test.db, token))).toMatchObject({ code: 'LINK_INVALID' });
  });

  it('sends nothing to an address verified already', async () => {
    const { emails, sent } = recordingEmails();
    const user = await aUser(test.db);
    await test.db.update(users).set({ email_verified_at: new Date() }).where(eq(users.id, user.id));
    expect(await sendVerification(test.db, emails, user.id)).toBeNull();
    expect(sent).toEqual([]);
  });

  it('refuses a link sent to an address the account has left', async () => {
    const { emails, last } = recordingEmails();
    const user = await aUserWithPassword();
    await sendVerification(test.db, emails, user.id);
    const oldLink = last('verification', user.email)!;
    await requestEmailChange(
      test.db,
      auth,
      emails,
      { id: user.id, session_id: 'x' },
      {
        new_email: `moved-${user.email}`,
        current_password: PASSWORD,
      },
    );
    await confirmEmailChange(test.db, last('emailChange', `moved-${user.email}`)!);
    expect(await appError(verifyEmail(test.db, oldLink))).toMatchObject({ code: 'LINK_INVALID' });
  });
});

describe('changing the password', () => {
  it('needs the current password', async () => {
    const user = await aUserWithPassword();
    const caller = { id: user.id, session_id: await sessionOf(user.laptop.access_token) };
    expect(
      await appError(
        changePassword(test.db, auth, caller, {
          current_password: 'not-it',
          new_password: 'a-brand-new-password',
        }),
      ),
    ).toEqual({ status: 'BAD_REQUEST', code: 'WRONG_PASSWORD', fields: ['current_password'] });
    expect(await sessionOf(user.phone.access_token)).toBeTruthy();
  });

  it("ends the other sessions and keeps the caller's", async () => {
    const user = await aUserWithPassword();
    const caller = { id: user.id, session_id: await sessionOf(user.laptop.access_token) };
    await changePassword(test.db, auth, caller, {
      current_password: PASSWORD,
      new_password: 'a-brand-new-password',
    });
    expect(await sessionOf(user.laptop.access_token)).toBe(caller.session_id);
    expect(await refused(auth.refresh(user.laptop.refresh_token))).toBe('accepted');
    expect(await refused(auth.authenticate(user.phone.access_token))).toBe('SESSION_REVOKED');
    expect(await refused(auth.refresh(user.phone.refresh_token))).toBe('INVALID_TOKEN');
    const hash = (await row(user.id)).password_hash;
    expect(await auth.verifyPassword('a-brand-new-password', hash)).toBe(true);
  });
});

describe('changing the email', () => {
  it('needs the current password, a new address, and one nobody has', async () => {
    const { emails, sent } = recordingEmails();
    const user = await aUserWithPassword();
    const other = await aUser(test.db);
    const caller = { id: user.id, session_id: 'unused' };
    const ask = (new_email: string, current_password = PASSWORD) =>
      appError(requestEmailChange(test.db, auth, emails, caller, { new_email, current_password }));
    expect(await ask('new@example.com', 'wrong')).toMatchObject({ code: 'WRONG_PASSWORD' });
    expect(await ask(user.email)).toEqual({
      status: 'BAD_REQUEST',
      code: 'VALIDATION',
      fields: ['new_email'],
    });
    expect(await ask(other.email)).toEqual({
      status: 'CONFLICT',
      code: 'EMAIL_TAKEN',
      fields: ['new_email'],
    });
    expect(sent).toEqual([]);
  });

  it('keeps the old address until the link to the new one is followed', async () => {
    const { emails, last } = recordingEmails();
    const user = await aUserWithPassword();
    const next = `next-${user.email}`;
    await requestEmailChange(
      test.db,
      auth,
      emails,
      { id: user.id, session_id: 'x' },
      {
        new_email: next,
        current_password: PASSWORD,
      },
    );
    expect((await row(user.id)).email).toBe(user.email);

    const status = await confirmEmailChange(test.db, last('emailChange', next)!);
    expect(status.email).toBe(next);
    expect(await row(user.id)).toMatchObject({ email: next, email_verified_at: expect.any(Date) });
  });

  it('checks the address again at the confirmation', async () => {
    const { emails, last } = recordingEmails();
    const user = await aUserWithPassword();
    const wanted = `wanted-${user.email}`;
    await requestEmailChange(
      test.db,
      auth,
      emails,
      { id: user.id, session_id: 'x' },
      {
        new_email: wanted,
        current_password: PASSWORD,
      },
    );
    // Someone registers the address before the link is followed.
    await test.db
      .insert(users)
      .values({ username: `taker${user.id}`, email: wanted, password_hash: 'x' });
    expect(await appError(confirmEmailChange(test.db, last('emailChange', wanted)!))).toEqual({
      status: 'CONFLICT',
      code: 'EMAIL_TAKEN',
      fields: ['email'],
    });
    expect((await row(user.id)).email).toBe(user.email);
  });
});
