import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { makeImageVariants } from '@buybuy/jobs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
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
 * Issue 14: a background job that fails every try shows in the admin panel
 * (counts by state, the failed job's name, error, tries, time and payload);
 * once its cause is fixed the admin retries it and it leaves the list. The
 * job fails for real: the variants job of an "original" that is not an image.
 */

let stack: Stack;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];
const key = randomBytes(16).toString('hex');

const ADMIN = {
  email: 'queue@example.com',
  username: 'queuekeeper',
  password: 'keeper-password-1',
};

const heading = (name: string) => page.getByRole('heading', { level: 1, name });
const failedCard = () => page.getByRole('region', { name: 'Failed jobs' });
/** Where the stack's local image store keeps a file. */
const storedFile = (name: string) => join(stack.config.uploads.dir, name);

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

describe('background jobs in the admin panel', { timeout: 60_000 }, () => {
  it('lists a job that failed every try, with its error, tries and payload', async () => {
    await writeFile(storedFile(`${key}.png`), 'not an image at all');
    await stack.jobs().enqueue(makeImageVariants, { key, extension: 'png' });

    await signInToAdmin(page, stack.adminUrl, ADMIN);
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Jobs' })
      .click();
    await heading('Jobs').waitFor();
    await page.getByText('this API process runs the jobs itself').waitFor();

    // The screen asks again every few seconds: the failure shows without a reload.
    const row = failedCard().getByRole('row', { name: /images\.make-variants/ });
    await row.waitFor();
    await expect
      .poll(() => row.getByRole('cell').nth(1).textContent())
      .toMatch(/unsupported image format/i);
    expect(await row.getByRole('cell').nth(2).textContent()).toBe('2');
    expect(await row.getByRole('cell').nth(4).textContent()).toContain(key);
    const failedFigure = page.locator('.figure', { hasText: 'Failed' }).locator('dd');
    expect(await failedFigure.textContent()).toBe('1');

    expect(await checkAccessibility(page)).toEqual([]);
    await screenshot(page, 'admin-jobs-failed');
  });

  it('retries the job once its cause is fixed, and it leaves the list', async () => {
    const picture = await sharp({
      create: { width: 640, height: 480, channels: 3, background: '#4a7' },
    })
      .png()
      .toBuffer();
    await writeFile(storedFile(`${key}.png`), picture);

    await failedCard()
      .getByRole('button', { name: /^Retry images\.make-variants/ })
      .click();
    await page.getByText('queued again with all its tries').waitFor();
    await failedCard().getByText('No job has failed every try.').waitFor();
    await expect
      .poll(() => page.locator('.figure', { hasText: 'Failed' }).locator('dd').textContent())
      .toBe('0');
    // And this time it did its work: the variants are in the store.
    await expect.poll(() => existsSync(storedFile(`${key}-320.webp`))).toBe(true);
    await screenshot(page, 'admin-jobs-retried');
    expect(pageErrors).toEqual([]);
  });
});
