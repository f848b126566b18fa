import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  checkAccessibility,
  launchBrowser,
  openPage,
  screenshot,
  signInToAdmin,
  type Stack,
  startStack,
} from '../src/harness';

/**
 * Issue 14: an administrator creates an API key for a third party, sees its
 * secret once (and copies it), the third party calls the REST API with it,
 * and once the admin revokes it the same call is refused.
 */

let stack: Stack;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];
let secret = '';

const ADMIN = { email: 'keys@example.com', username: 'keyowner', password: 'owner-password-1' };

/** A REST call with the key, as a third party makes it: its status and first error code. */
async function withKey(path: string, header: 'x-api-key' | 'authorization' = 'x-api-key') {
  const response = await fetch(`${stack.apiUrl}/v1${path}`, {
    headers: { [header]: header === 'x-api-key' ? secret : `Bearer ${secret}` },
  });
  const envelope = (await response.json()) as { errors: { code: string }[] };
  return [response.status, envelope.errors[0]?.code];
}

const heading = (name: string | RegExp) => page.getByRole('heading', { level: 1, name });
/** A key's row's "Last used" cell. */
const lastUsed = (row: ReturnType<Page['locator']>) => row.getByRole('cell').nth(4);
const keysTable = () => page.getByRole('region', { name: 'Keys' }).locator('table');

beforeAll(async () => {
  stack = await startStack();
  await stack.createAdmin(ADMIN);
  browser = await launchBrowser();
  ({ context, page } = await openPage(browser, pageErrors));
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], {
    origin: new URL(stack.adminUrl).origin,
  });
}, 120_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await stack?.close();
});

describe('API keys in the admin panel', { timeout: 60_000 }, () => {
  it('creates a key and shows its secret once, with a copy button', async () => {
    await signInToAdmin(page, stack.adminUrl, ADMIN);

    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'API keys' })
      .click();
    await heading('API keys').waitFor();
    await page.getByText('No API keys yet').waitFor();

    // Nothing chosen: the form says what is missing, beside the fields.
    const form = page.getByRole('region', { name: 'Create a key' });
    await form.getByRole('button', { name: 'Create key' }).click();
    await form.getByText('Choose at least one scope.').waitFor();
    await form.getByText('Enter a name').waitFor();

    await form.getByLabel('Name').fill('Warehouse sync');
    await form.getByLabel(/Read the catalog/).check();
    await form.getByRole('button', { name: 'Create key' }).click();
    await form.getByText('It is shown this once').waitFor();
    secret = await form.getByLabel('Secret key').inputValue();
    expect(secret).toMatch(/^bb_live_[A-Za-z0-9_-]{43}$/);
    await form.getByRole('button', { name: 'Copy key' }).click();
    await form.getByText('Copied to the clipboard.').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    expect(await checkAccessibility(page)).toEqual([]);
    await screenshot(page, 'admin-api-key-created');

    // Listed by its prefix only; the secret is gone once the admin says it is stored.
    const row = keysTable().getByRole('row', { name: /Warehouse sync/ });
    expect(await row.innerText()).toContain(`${secret.slice(0, 12)}…`);
    expect(await row.innerText()).toContain('catalog:read');
    expect(await lastUsed(row).innerText()).toBe('Never');
    expect(await row.getByRole('cell').nth(6).innerText()).toBe('active');
    await form.getByRole('button', { name: 'I have stored it' }).click();
    await form.getByLabel('Name').waitFor();
    expect(await page.content()).not.toContain(secret);
  });

  it('lets the third party call within its scopes, and records the use', async () => {
    expect(await withKey('/products')).toEqual([200, undefined]);
    expect(await withKey('/shop', 'authorization')).toEqual([200, undefined]);
    expect(await withKey('/orders')).toEqual([403, 'INSUFFICIENT_SCOPE']);

    await page.reload();
    await heading('API keys').waitFor();
    const row = keysTable().getByRole('row', { name: /Warehouse sync/ });
    await expect.poll(() => lastUsed(row).innerText()).toMatch(/\d{4}, \d+:\d\d/);
  });

  it('revokes the key after a confirmation; calls with it then get a 401', async () => {
    await keysTable().getByRole('button', { name: 'Revoke Warehouse sync' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await screenshot(page, 'admin-api-key-revoke', { fullPage: false });
    await dialog.getByRole('button', { name: 'Revoke key' }).click();
    await page.locator('.status', { hasText: 'API key “Warehouse sync” revoked.' }).waitFor();
    await dialog.waitFor({ state: 'hidden' });
    const row = keysTable().getByRole('row', { name: /Warehouse sync/ });
    await expect.poll(() => row.innerText()).toContain('revoked');
    expect(await row.getByRole('button').count()).toBe(0);
    await screenshot(page, 'admin-api-keys');

    expect(await withKey('/products')).toEqual([401, 'API_KEY_REVOKED']);
    expect(pageErrors).toEqual([]);
  });
});
