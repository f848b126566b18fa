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
 * An administrator manages users: opens a customer from the users list,
 * deactivates them (they are signed out everywhere and can no longer sign
 * in, in the storefront either), makes another customer an admin, and finds
 * their own account without the buttons that would lock them out.
 */

let stack: Stack;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];

const ADMIN = { email: 'owner@example.com', username: 'owner', password: 'owner-password-1' };
const MALLORY = { email: 'mallory@example.com', username: 'mallory', password: 'mallory-pass-1' };
const GRACE = { email: 'grace@example.com', username: 'grace', password: 'grace-password-1' };
const tokens = { mallory: { access: '', refresh: '' }, grace: '' };

interface Session {
  tokens: { access_token: string; refresh_token: string };
}

/** A REST call that must fail: its status and first error code. */
async function refused(method: string, path: string, body?: unknown, token?: string) {
  const response = await fetch(`${stack.apiUrl}/v1${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const envelope = (await response.json()) as { errors: { code: string }[] };
  return [response.status, envelope.errors[0]?.code];
}

const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 10_000 });
const heading = (name: string | RegExp) => page.getByRole('heading', { level: 1, name });
const access = () => page.getByRole('region', { name: 'Access' });
const badges = () => page.locator('.order-head-status .badge').allInnerTexts();

async function openUser(username: string) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
  await heading('Users').waitFor();
  await page.getByRole('link', { name: username, exact: true }).click();
  await heading(username).waitFor();
}

/** Opens a change's dialog and confirms it; waits for the status line. */
async function change(label: string, done: string, shot?: string) {
  await access().getByRole('button', { name: label, exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  if (shot) await screenshot(page, shot, { fullPage: false });
  await dialog.getByRole('button', { name: label, exact: true }).click();
  await page.locator('.status', { hasText: done }).waitFor();
  await dialog.waitFor({ state: 'hidden' });
}

beforeAll(async () => {
  stack = await startStack();
  await stack.createAdmin(ADMIN);
  const register = (account: typeof ADMIN) =>
    callRest<Session>(stack.apiUrl, 'POST', '/auth/register', {
      ...account,
      first_name: account.username[0]!.toUpperCase() + account.username.slice(1),
    });
  const mallory = await register(MALLORY);
  tokens.mallory = {
    access: mallory.tokens.access_token,
    refresh: mallory.tokens.refresh_token,
  };
  tokens.grace = (await register(GRACE)).tokens.access_token;
  browser = await launchBrowser();
  ({ context, page } = await openPage(browser, pageErrors));
}, 120_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await stack?.close();
});

describe('managing users in the admin panel', { timeout: 60_000 }, () => {
  it('opens a user from the list: account, role, status and sessions', async () => {
    await signInToAdmin(page, stack.adminUrl, ADMIN);

    await openUser(MALLORY.username);
    expect(new URL(page.url()).pathname).toMatch(/^\/users\/\d+$/);
    expect(await badges()).toEqual(['Customer', 'Active']);
    const facts = await page.getByRole('region', { name: 'Account' }).innerText();
    expect(facts).toContain(MALLORY.email);
    expect(facts).toMatch(/Orders\s+None placed while signed in \(orders with this email\)/);
    expect(await access().innerText()).toContain('Active, signed in on 1 device.');
    expect(await checkAccessibility(page)).toEqual([]);
    await screenshot(page, 'admin-user-detail');
  });

  it('deactivates a user after a confirmation: signed out everywhere, no more sign-in', async () => {
    // Backing out changes nothing.
    await access().getByRole('button', { name: 'Deactivate' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Back' }).click();
    expect(await refused('GET', '/users/profile', undefined, tokens.mallory.access)).toEqual([
      200,
      undefined,
    ]);

    await change('Deactivate', 'mallory deactivated.', 'admin-user-deactivate');
    await poll(badges).toEqual(['Customer', 'Deactivated']);
    expect(await access().innerText()).toContain('Deactivated: cannot sign in.');
    expect(await access().getByRole('button').allInnerTexts()).toEqual(['Activate', 'Make admin']);

    expect(await refused('GET', '/users/profile', undefined, tokens.mallory.access)).toEqual([
      401,
      'SESSION_REVOKED',
    ]);
    expect(
      await refused('POST', '/auth/refresh', { refresh_token: tokens.mallory.refresh }),
    ).toEqual([401, 'INVALID_TOKEN']);

    // Mallory tries the storefront.
    const shop = await context.newPage();
    await shop.goto(`${stack.storefrontUrl}/sign-in`);
    await shop.getByLabel('Email').fill(MALLORY.email);
    await shop.getByLabel('Password').fill(MALLORY.password);
    await shop.getByRole('button', { name: 'Sign in' }).click();
    await shop
      .getByRole('alert')
      .filter({ hasText: /disabled/i })
      .waitFor();
    expect(new URL(shop.url()).pathname).toBe('/sign-in');
    await screenshot(shop, 'storefront-sign-in-deactivated', { fullPage: false });
    await shop.close();

    await screenshot(page, 'admin-user-deactivated');
  });

  it('makes another user an admin, who then reaches the admin-only API', async () => {
    expect(await refused('GET', '/users', undefined, tokens.grace)).toEqual([403, 'FORBIDDEN']);
    await openUser(GRACE.username);
    await change('Make admin', 'grace is now an admin.', 'admin-user-make-admin');
    await poll(badges).toEqual(['Admin', 'Active']);
    expect(await access().getByRole('button').allInnerTexts()).toEqual([
      'Deactivate',
      'Remove admin',
    ]);
    // The same token, no new sign-in.
    expect(await refused('GET', '/users', undefined, tokens.grace)).toEqual([200, undefined]);

    // Back in the list, with the new role.
    await page.getByRole('link', { name: 'Users', exact: true }).first().click();
    await heading('Users').waitFor();
    const row = page.getByRole('row', { name: /grace/ });
    await poll(() => row.innerText()).toContain('Admin');
    expect(await page.getByRole('row', { name: /mallory/ }).innerText()).toContain('Deactivated');
    await screenshot(page, 'admin-users-list');
  });

  it('shows the admin their own account without the buttons that would lock them out', async () => {
    await page.getByRole('link', { name: ADMIN.username, exact: true }).click();
    await heading(ADMIN.username).waitFor();
    expect(await access().getByRole('button').count()).toBe(0);
    expect(await access().innerText()).toContain('This is your account.');
    // And the server would refuse them anyway.
    const login = await callRest<Session>(stack.apiUrl, 'POST', '/auth/login', {
      email: ADMIN.email,
      password: ADMIN.password,
    });
    const id = new URL(page.url()).pathname.split('/').pop();
    expect(
      await refused('PUT', `/users/${id}`, { is_staff: false }, login.tokens.access_token),
    ).toEqual([409, 'CANNOT_CHANGE_OWN_ACCESS']);
    expect(await checkAccessibility(page)).toEqual([]);
    await screenshot(page, 'admin-user-self');
  });

  it('sends an admin whose own role was removed meanwhile back to the sign-in page', async () => {
    await openUser(GRACE.username);
    const me = await callRest<{ id: number }>(
      stack.apiUrl,
      'GET',
      '/users/profile',
      undefined,
      tokens.grace,
    );
    const owner = (
      await callRest<{ id: number; username: string }[]>(
        stack.apiUrl,
        'GET',
        `/users?search=${ADMIN.username}`,
        undefined,
        tokens.grace,
      )
    ).find((user) => user.username === ADMIN.username)!;
    expect(me.id).not.toBe(owner.id);
    // Grace, now an admin, removes the owner's admin role from another device.
    await callRest(stack.apiUrl, 'PUT', `/users/${owner.id}`, { is_staff: false }, tokens.grace);

    await access().getByRole('button', { name: 'Remove admin' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remove admin' }).click();
    await heading('Sign in to BuyBuy admin').waitFor();
    await page.getByText('This account does not have access to the admin panel.').waitFor();
    // Nothing changed for Grace.
    expect(await refused('GET', '/users', undefined, tokens.grace)).toEqual([200, undefined]);
    expect(pageErrors).toEqual([]);
  });
});
