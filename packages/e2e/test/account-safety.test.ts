import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  callRest,
  checkAccessibility,
  launchBrowser,
  openPage,
  screenshot,
  signInToAdmin,
  type Stack,
  startStack,
} from '../src/harness';

/**
 * A shopper's account safety, through the built storefront and the real
 * server, with the links read from the emails the server wrote: verify the
 * address (a link replaced by a newer one refused, the resend limited),
 * forget the password and reset it (every session ends), change the password
 * (the other sessions end) and the email (the old one stays until the link is
 * followed). The admin panel shows who is verified.
 */

let stack: Stack;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];

const ADA = { email: 'ada@example.com', username: 'ada', password: 'ada-password-1' };
const ADMIN = { email: 'owner@example.com', username: 'owner', password: 'owner-password-1' };
const PASSWORDS = { reset: 'ada-reset-pass-2', changed: 'ada-changed-pass-3' };
const NEW_EMAIL = 'ada.lovelace@example.com';

interface Session {
  tokens: { access_token: string; refresh_token: string };
}

const heading = (name: string | RegExp) => page.getByRole('heading', { level: 1, name });
const expectAccessible = async () => expect(await checkAccessibility(page)).toEqual([]);
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 10_000 });

/** Waits for email number `count` to `address`, and returns the link in it to the storefront's `path`. */
async function emailedLink(address: string, path: string, count: number): Promise<string> {
  await poll(async () => (await stack.emailsTo(address)).length).toBe(count);
  const text = (await stack.emailsTo(address))[count - 1]!.text ?? '';
  const link = new RegExp(`${stack.storefrontUrl}${path}\\?token=\\S+`).exec(text)?.[0];
  if (!link) throw new Error(`no ${path} link in: ${text}`);
  return link;
}

/** A session of Ada's own, opened through the API: it must end when her password changes. */
const otherSession = async (email: string, password: string) =>
  (await callRest<Session>(stack.apiUrl, 'POST', '/auth/login', { email, password })).tokens
    .access_token;

/** The status of reading the profile with `token`: 200 while its session lives. */
async function profileStatus(token: string) {
  const response = await fetch(`${stack.apiUrl}/v1/users/profile`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return response.status;
}

/**
 * Makes the page's first read of the profile race the change `procedure`
 * makes, as it can when a link opens a fresh page under load: the read
 * reaches the server before the change, and its answer comes back only after
 * the change's, held until the page reads the profile again (or 3 s). A page
 * that only waits for that first read shows the account as it was. Returns
 * what removes the routes.
 */
async function profileReadBefore(procedure: string) {
  let readDone!: () => void;
  const read = new Promise<void>((resolve) => (readDone = resolve));
  let changeDone!: () => void;
  const change = new Promise<void>((resolve) => (changeDone = resolve));
  let rereadDone!: () => void;
  const reread = new Promise<void>((resolve) => (rereadDone = resolve));
  let reads = 0;
  const isProfileRead = (url: URL) => url.pathname.includes('users.profile');
  const isChange = (url: URL) => url.pathname.includes(procedure);
  await page.route(isProfileRead, async (route) => {
    reads += 1;
    if (reads > 1) {
      rereadDone();
      return route.continue();
    }
    const response = await route.fetch();
    readDone();
    await change;
    await Promise.race([reread, new Promise((resolve) => setTimeout(resolve, 3_000))]);
    // The page may have given up on this read (cancelled it): nothing to answer then.
    await route.fulfill({ response }).catch(() => undefined);
  });
  await page.route(isChange, async (route) => {
    await read;
    await route.fulfill({ response: await route.fetch() });
    changeDone();
  });
  return async () => {
    await Promise.all([page.unroute(isProfileRead), page.unroute(isChange)]);
    return reads;
  };
}

/** Screenshots the page on a desktop and on a 390 px phone, where nothing may stick out sideways. */
async function bothSizes(name: string) {
  await screenshot(page, name);
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await screenshot(page, `${name}-390`);
  await page.setViewportSize({ width: 1280, height: 900 });
}

beforeAll(async () => {
  stack = await startStack();
  await stack.createAdmin(ADMIN);
  browser = await launchBrowser();
  ({ context, page } = await openPage(browser, pageErrors));
}, 120_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await stack?.close();
});

describe('account safety in the storefront', { timeout: 90_000 }, () => {
  it('registers: the account says the address is not verified yet', async () => {
    await page.goto(`${stack.storefrontUrl}/register`);
    await heading('Create an account').waitFor();
    await page.getByLabel('Username').fill(ADA.username);
    await page.getByLabel('Email').fill(ADA.email);
    await page.getByLabel('Password').fill(ADA.password);
    await page.getByLabel('First name (optional)').fill('Ada');
    await page.getByRole('button', { name: 'Create account' }).click();
    await heading('My account').waitFor();

    const email = page.getByRole('region', { name: 'Email address' });
    await email.getByText('Not verified', { exact: true }).waitFor();
    expect(await email.innerText()).toContain(ADA.email);
    await expectAccessible();
    await bothSizes('storefront-account-unverified');
  });

  it('resends the verification link until the hourly limit, which it says in minutes', async () => {
    const first = await emailedLink(ADA.email, '/verify-email', 1);
    const budget = stack.config.rateLimit.emailMax ?? 5;
    const resend = page.getByRole('button', { name: 'Send a new verification link' });
    for (let sent = 1; sent <= budget; sent++) {
      await resend.click();
      await page.getByText(`We sent a new link to ${ADA.email}.`).waitFor();
      await poll(async () => (await stack.emailsTo(ADA.email)).length).toBe(1 + sent);
      await poll(() => resend.isEnabled()).toBe(true);
    }
    await resend.click();
    await poll(() => page.getByRole('alert').allInnerTexts()).toContainEqual(
      expect.stringMatching(/^Too many attempts\. Please wait \d+ minutes and try again\.$/),
    );
    await screenshot(page, 'storefront-account-resend-limited', { fullPage: false });
    expect(await stack.emailsTo(ADA.email)).toHaveLength(1 + budget);

    // The first link was replaced by the newer ones: refused, with a way to a new one.
    await page.goto(first);
    await page.getByText('This link does not work any more').waitFor();
    await page.getByRole('button', { name: 'Send a new verification link' }).waitFor();
    await expectAccessible();
    await bothSizes('storefront-verify-email-refused');
  });

  it('verifies the address with the newest link; the link works once', async () => {
    const sent = 1 + (stack.config.rateLimit.emailMax ?? 5);
    const newest = await emailedLink(ADA.email, '/verify-email', sent);
    const unroute = await profileReadBefore('auth.verifyEmail');
    await page.goto(newest);
    await heading('Verify your email').waitFor();
    await page.getByText(`Thank you: ${ADA.email} is verified.`).waitFor();
    expect(await unroute()).toBeGreaterThanOrEqual(2);
    await expectAccessible();
    await bothSizes('storefront-verify-email-done');

    await page.getByRole('link', { name: 'Hi, Ada' }).click();
    await heading('My account').waitFor();
    const email = page.getByRole('region', { name: 'Email address' });
    await email.getByText('Verified', { exact: true }).waitFor();
    expect(await email.getByRole('button', { name: 'Send a new verification link' }).count()).toBe(
      0,
    );

    await page.goto(newest);
    await page.getByText('This link does not work any more').waitFor();
    await page.getByText(`Your address ${ADA.email} is verified already`).waitFor();
  });

  it('changes the password with the current one: the other sessions end, this one stays', async () => {
    const elsewhere = await otherSession(ADA.email, ADA.password);
    await page.getByRole('link', { name: 'Hi, Ada' }).click();
    await heading('My account').waitFor();
    const form = page.getByRole('form', { name: 'Password' });

    await form.getByLabel('Current password').fill('not-my-password');
    await form.getByLabel('New password', { exact: true }).fill(PASSWORDS.changed);
    await form.getByLabel('New password again').fill('something-else-1');
    await form.getByRole('button', { name: 'Change password' }).click();
    await form.getByText('The two passwords are not the same.').waitFor();

    await form.getByLabel('New password again').fill(PASSWORDS.changed);
    await form.getByRole('button', { name: 'Change password' }).click();
    await form.getByText('The current password is wrong').waitFor();
    expect(await profileStatus(elsewhere)).toBe(200);

    await form.getByLabel('Current password').fill(ADA.password);
    await form.getByRole('button', { name: 'Change password' }).click();
    await form
      .getByText('Every other device signed in to your account has been signed out')
      .waitFor();
    expect(await form.getByLabel('Current password').inputValue()).toBe('');
    await expectAccessible();
    await form.scrollIntoViewIfNeeded();
    await screenshot(page, 'storefront-account-password-changed', { fullPage: false });

    expect(await profileStatus(elsewhere)).toBe(401);
    await page.reload();
    await heading('My account').waitFor();
    await page.getByRole('link', { name: 'Hi, Ada' }).waitFor();
  });

  it('changes the email: the old address stays until the link sent to the new one is followed', async () => {
    const form = page.getByRole('form', { name: 'Change your email' });
    await form.getByLabel('New email').fill(ADMIN.email);
    await form.getByLabel('Current password').fill(PASSWORDS.changed);
    await form.getByRole('button', { name: 'Send a confirmation link' }).click();
    await form.getByText('This email is already registered').first().waitFor();

    await form.getByLabel('New email').fill(NEW_EMAIL);
    await form.getByRole('button', { name: 'Send a confirmation link' }).click();
    await form
      .getByText(
        `We sent a link to ${NEW_EMAIL}. Your address stays ${ADA.email} until you follow it (within 24 hours).`,
      )
      .waitFor();
    await expectAccessible();
    await bothSizes('storefront-account-email-change-sent');
    // Nothing has moved yet: the old address still signs in.
    await otherSession(ADA.email, PASSWORDS.changed);

    const unroute = await profileReadBefore('auth.confirmEmailChange');
    await page.goto(await emailedLink(NEW_EMAIL, '/confirm-email', 1));
    await heading('Confirm your new email').waitFor();
    await page.getByText(`Your email address is now ${NEW_EMAIL}.`).waitFor();
    // The race happened: the first read was held, and the page read the profile again.
    expect(await unroute()).toBeGreaterThanOrEqual(2);
    await expectAccessible();
    await bothSizes('storefront-confirm-email-done');

    await page.getByRole('link', { name: 'Go to your account' }).click();
    const email = page.getByRole('region', { name: 'Email address' });
    await email.getByText(NEW_EMAIL).waitFor();
    await email.getByText('Verified', { exact: true }).waitFor();
  });

  it('resets a forgotten password: same answer for any address, every session ends', async () => {
    const elsewhere = await otherSession(NEW_EMAIL, PASSWORDS.changed);
    // Signed out, as someone who forgot the password is.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page
      .getByRole('navigation', { name: 'Account' })
      .getByRole('link', { name: 'Sign in' })
      .click();
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await heading('Forgot your password?').waitFor();
    await expectAccessible();
    await bothSizes('storefront-forgot-password');

    await page.getByLabel('Email').fill(NEW_EMAIL);
    await page.getByRole('button', { name: 'Send the link' }).click();
    await heading('Check your email').waitFor();
    const answer = (await page.locator('main').innerText()).replace(NEW_EMAIL, 'ADDRESS');
    await bothSizes('storefront-forgot-password-sent');

    // An address without an account gets the very same page.
    await page.getByRole('button', { name: 'Ask again' }).click();
    await page.getByLabel('Email').fill('nobody@example.com');
    await page.getByRole('button', { name: 'Send the link' }).click();
    await heading('Check your email').waitFor();
    expect((await page.locator('main').innerText()).replace('nobody@example.com', 'ADDRESS')).toBe(
      answer,
    );
    expect(await stack.emailsTo('nobody@example.com')).toEqual([]);

    // The second email to the new address: the first confirmed it.
    const link = await emailedLink(NEW_EMAIL, '/reset-password', 2);
    await page.goto(link);
    await heading('Choose a new password').waitFor();
    await page.getByLabel('New password', { exact: true }).fill('short');
    await page.getByLabel('New password again').fill('short');
    await page.getByRole('button', { name: 'Save the new password' }).click();
    await page.locator('.field-error', { hasText: 'At least 8 characters' }).waitFor();
    await expectAccessible();
    await bothSizes('storefront-reset-password-error');

    await page.getByLabel('New password', { exact: true }).fill(PASSWORDS.reset);
    await page.getByLabel('New password again').fill(PASSWORDS.reset);
    await page.getByRole('button', { name: 'Save the new password' }).click();
    await heading('Sign in').waitFor();
    await page
      .getByText('every device that was signed in to your account has been signed out')
      .waitFor();
    await bothSizes('storefront-reset-password-done');
    expect(await profileStatus(elsewhere)).toBe(401);

    await page.getByLabel('Email').fill(NEW_EMAIL);
    await page.getByLabel('Password').fill(PASSWORDS.reset);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Hi, Ada' }).waitFor();

    // The link worked once (the API can only tell when a password is sent with it).
    await page.goto(link);
    await page.getByLabel('New password', { exact: true }).fill('another-password-4');
    await page.getByLabel('New password again').fill('another-password-4');
    await page.getByRole('button', { name: 'Save the new password' }).click();
    await page.getByText('This link does not work any more').waitFor();
    await page.getByRole('link', { name: 'Ask for a new link' }).waitFor();
    await bothSizes('storefront-reset-password-used-link');
  });

  it('says clearly when too many reset links were asked for one address', async () => {
    await page.goto(`${stack.storefrontUrl}/forgot-password`);
    const budget = stack.config.rateLimit.emailMax ?? 5;
    // The unknown address above spent one of its emails already.
    for (let asked = 1; asked < budget; asked++) {
      await page.getByLabel('Email').fill('nobody@example.com');
      await page.getByRole('button', { name: 'Send the link' }).click();
      await heading('Check your email').waitFor();
      await page.getByRole('button', { name: 'Ask again' }).click();
    }
    await page.getByLabel('Email').fill('nobody@example.com');
    await page.getByRole('button', { name: 'Send the link' }).click();
    await poll(() => page.getByRole('alert').allInnerTexts()).toContainEqual(
      expect.stringMatching(/^Too many attempts\. Please wait \d+ minutes and try again\.$/),
    );
    await heading('Forgot your password?').waitFor();
    await screenshot(page, 'storefront-forgot-password-limited', { fullPage: false });
    expect(pageErrors).toEqual([]);
  });
});

describe('the admin panel shows whose email is verified', { timeout: 60_000 }, () => {
  it('on the user list and on the user page', async () => {
    const admin = await openPage(browser, pageErrors);
    const adminPage = admin.page;
    try {
      await signInToAdmin(adminPage, stack.adminUrl, ADMIN);
      await adminPage.goto(`${stack.adminUrl}/users`);
      const row = (username: string) =>
        adminPage
          .getByRole('row')
          .filter({ has: adminPage.getByRole('link', { name: username, exact: true }) });
      await row(ADA.username).getByText('Verified', { exact: true }).waitFor();
      await row(ADMIN.username).getByText('Not verified', { exact: true }).waitFor();
      expect(await checkAccessibility(adminPage)).toEqual([]);
      await screenshot(adminPage, 'admin-users-verified');

      await row(ADA.username).getByRole('link', { name: ADA.username }).click();
      const facts = adminPage.getByRole('region', { name: 'Account' });
      await facts.getByText('Verified', { exact: true }).waitFor();
      expect(await facts.innerText()).toMatch(/Email verified\s+\w/);
      await screenshot(adminPage, 'admin-user-detail-verified');
      expect(pageErrors).toEqual([]);
    } finally {
      await admin.context.close();
    }
  });
});
