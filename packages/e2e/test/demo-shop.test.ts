import { DEMO_ACCOUNTS, seedCatalog } from '@buybuy/db/seed';
import { createLocalImageStorage } from '@buybuy/images';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { callRest, launchBrowser, screenshot, startStack } from '../src/harness';

/**
 * The first hour: the demo shop `pnpm dev` seeds (200 products, pictures
 * drawn by the seed into the uploads store), seen by a shopper and an admin
 * on a machine without internet. Every request leaving the machine is
 * refused, and every product image must still show.
 */

type Stack = Awaited<ReturnType<typeof startStack>>;

let stack: Stack;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const leftTheMachine: string[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  stack = await startStack();
  await seedCatalog(stack.db.db, {
    products: 200,
    images: createLocalImageStorage(stack.config.uploads.dir, stack.config.uploads.baseUrl),
  });
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  // Offline: only this machine answers.
  await context.route('**/*', (route) => {
    const { hostname } = new URL(route.request().url());
    if (hostname === '127.0.0.1' || hostname === 'localhost') return route.continue();
    leftTheMachine.push(route.request().url());
    return route.abort('internetdisconnected');
  });
  page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (error) => pageErrors.push(error.message));
}, 180_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await stack?.close();
});

/** Every <img> in `selector` has loaded real pixels, and no "Image unavailable" box is left. */
async function expectImagesShown(selector: string, atLeast: number) {
  // Lazy images load once scrolled near: walk the page down, then back up.
  await page.evaluate(async () => {
    for (let y = 0; y < document.body.scrollHeight; y += 600) {
      window.scrollTo(0, y);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    window.scrollTo(0, 0);
  });
  await expect
    .poll(
      () =>
        page
          .locator(`${selector} img`)
          .evaluateAll((images: HTMLImageElement[]) =>
            images.map((image) => (image.complete ? image.naturalWidth : 0)),
          ),
      { timeout: 20_000, message: `the images in ${selector} (natural widths; 0 = not shown)` },
    )
    .toSatisfy(
      (widths: number[]) => widths.length >= atLeast && widths.every((width) => width > 0),
    );
  expect(await page.locator(`${selector} .no-image`).count()).toBe(0);
}

describe('the seeded demo shop, offline', { timeout: 90_000 }, () => {
  it('shows a drawn picture on every product card of the storefront', async () => {
    await page.goto(stack.storefrontUrl);
    await page.locator('.product-grid:not(.is-stale) .product-card').first().waitFor();
    await expectImagesShown('.product-grid', 12);
    const names = await page.locator('.product-card h3').allTextContents();
    expect(names.some((name) => /\bItem \d+/.test(name))).toBe(false);
    await screenshot(page, 'demo-storefront-catalog', { fullPage: false });
    await screenshot(page, 'demo-storefront-catalog-full');
  });

  it("finds a category's products by its name: 'headphones' lists the earbuds and headsets too", async () => {
    const listed = await callRest<Array<{ name: string; category: { name: string } }>>(
      stack.apiUrl,
      'GET',
      '/products?search=headphones&per_page=50',
    );
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.every((product) => product.category.name === 'Headphones')).toBe(true);
    expect(listed.some((product) => !/headphones/i.test(product.name))).toBe(true);

    await page.goto(`${stack.storefrontUrl}/?q=headphones`);
    await expect
      .poll(() => page.locator('.product-grid:not(.is-stale) .product-card h3').allTextContents())
      .toEqual(expect.arrayContaining(listed.slice(0, 3).map((product) => product.name)));
    await expectImagesShown('.product-grid', 1);
    await screenshot(page, 'demo-storefront-search-headphones', { fullPage: false });
  });

  it('shows the picture and its second view on a product page', async () => {
    const listed = await callRest<Array<{ id: number }>>(
      stack.apiUrl,
      'GET',
      '/products?per_page=100',
    );
    // A product with two pictures, so the gallery's thumbnails show too.
    let productId = 0;
    for (const { id } of listed) {
      const product = await callRest<{ images: unknown[] }>(stack.apiUrl, 'GET', `/products/${id}`);
      if (product.images.length === 2) {
        productId = id;
        break;
      }
    }
    expect(productId).toBeGreaterThan(0);
    await page.goto(`${stack.storefrontUrl}/products/${productId}`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await expectImagesShown('.gallery', 3);
    await screenshot(page, 'demo-storefront-product', { fullPage: false });
  });

  it("shows the product's pictures in the admin's editor", async () => {
    await page.goto(`${stack.adminUrl}/products`);
    await page.getByLabel('Email').fill(DEMO_ACCOUNTS.admin.email);
    await page.getByLabel('Password').fill(DEMO_ACCOUNTS.admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Products' }).waitFor();
    await page.locator('table a').first().click();
    await page.locator('ol.images img').first().waitFor();
    await expectImagesShown('ol.images', 1);
    await screenshot(page, 'demo-admin-product-edit', { fullPage: false });
  });

  it('never needed the internet', () => {
    expect(leftTheMachine).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
