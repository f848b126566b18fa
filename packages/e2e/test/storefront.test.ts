import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  callRest,
  checkAccessibility,
  favicon,
  launchBrowser,
  screenshot,
  startStack,
} from '../src/harness';

/**
 * A shopper's path through the storefront against a real API on a fresh
 * database: browse the tree, filter through the URL, open a product,
 * register, edit the profile, survive a reload, sign out.
 */

type Stack = Awaited<ReturnType<typeof startStack>>;

let stack: Stack;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let images: Server;
let imageBase: string;

const pageErrors: string[] = [];
const ids = { parent: 0, child: 0, other: 0, deskLamp: 0 };

// Product images from a server of their own, as a CDN would serve them.
const svg = (fill: string) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="600" height="600"><rect width="600" height="600" fill="${fill}"/><circle cx="300" cy="300" r="160" fill="#fff"/></svg>`;
const IMAGES: Record<string, string> = {
  '/lamp.svg': svg('#d9a441'),
  '/lamp-thumb.svg': svg('#b8862b'),
  '/lamp-side.svg': svg('#5577aa'),
};

const rest = <T>(method: string, path: string, body?: unknown, token?: string) =>
  callRest<T>(stack.apiUrl, method, path, body, token);

async function seedCatalog() {
  const admin = {
    email: 'shopkeeper@example.com',
    username: 'shopkeeper',
    password: 'shopkeeper-password',
  };
  await stack.createAdmin(admin);
  const { tokens } = await rest<{ tokens: { access_token: string } }>('POST', '/auth/login', {
    email: admin.email,
    password: admin.password,
  });
  const token = tokens.access_token;
  const category = (body: object) => rest<{ id: number }>('POST', '/categories', body, token);
  const product = (body: object) => rest<{ id: number }>('POST', '/products', body, token);

  ids.parent = (
    await category({ name: 'Lighting', description: 'Lamps and lights for every room.' })
  ).id;
  ids.child = (await category({ name: 'Desk lamps', parent_id: ids.parent })).id;
  ids.other = (await category({ name: 'Garden' })).id;

  ids.deskLamp = (
    await product({
      name: 'Brass desk lamp',
      description: 'A warm brass lamp for late reading.',
      price: '49.90',
      category_id: ids.child,
      stock_quantity: 5,
      images: [
        // The side view comes first in the list but is not primary: the page must lead with the primary one.
        { image_url: `${imageBase}/lamp-side.svg`, alt_text: 'Brass desk lamp from the side' },
        {
          image_url: `${imageBase}/lamp.svg`,
          thumbnail_url: `${imageBase}/lamp-thumb.svg`,
          alt_text: 'Brass desk lamp, lit',
          is_primary: true,
        },
      ],
    })
  ).id;
  await product({
    name: 'Ceiling light',
    price: '120.00',
    category_id: ids.parent,
    stock_quantity: 0,
  });
  await product({ name: 'Floor lamp', price: '89.00', category_id: ids.parent, stock_quantity: 3 });
  await product({
    name: 'Garden hose',
    price: '25.50',
    category_id: ids.other,
    stock_quantity: 10,
  });
}

/** The names on the product cards, in page order, once the listing has settled. */
const productNames = () =>
  page.locator('.product-grid:not(.is-stale) .product-card h3').allTextContents();
/** Waits until the listing shows exactly these products (in this order when `ordered`). */
const expectProducts = (names: string[], ordered = false) =>
  expect
    .poll(async () => (ordered ? productNames() : (await productNames()).sort()), {
      timeout: 10_000,
    })
    .toEqual(ordered ? names : [...names].sort());

const expectAccessible = async () => expect(await checkAccessibility(page)).toEqual([]);
/** The page's one h1 with exactly this text: `.waitFor()` it before reading the page it heads. */
const heading = (name: string) => page.getByRole('heading', { level: 1, name, exact: true });

beforeAll(async () => {
  images = createServer((request, response) => {
    const body = IMAGES[request.url ?? ''];
    response.writeHead(body ? 200 : 404, { 'content-type': 'image/svg+xml' }).end(body ?? '');
  });
  await new Promise<void>((resolve) => images.listen(0, '127.0.0.1', resolve));
  imageBase = `http://127.0.0.1:${(images.address() as AddressInfo).port}`;

  stack = await startStack();
  await seedCatalog();
  browser = await launchBrowser();
  // Prices are formatted in the browser's locale: pin it, so `$49.90` means the same on every machine.
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
}, 120_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await stack?.close();
  await new Promise((resolve) => images?.close(resolve));
});

describe('storefront', () => {
  it('lists the catalog with its category tree', async () => {
    await page.goto(stack.storefrontUrl);
    await heading('All products').waitFor();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('All products');
    await expectProducts(['Brass desk lamp', 'Ceiling light', 'Floor lamp', 'Garden hose']);

    const card = page.locator('.product-card', { hasText: 'Brass desk lamp' });
    expect(await card.locator('.price').textContent()).toBe('$49.90');
    // Lists use the thumbnail, in a box of fixed size.
    const image = card.locator('img');
    expect(await image.getAttribute('src')).toBe(`${imageBase}/lamp-thumb.svg`);
    expect(await image.getAttribute('width')).toBe('320');
    expect(await image.getAttribute('height')).toBe('320');
    expect(
      await page
        .locator('.product-card', { hasText: 'Ceiling light' })
        .locator('.stock')
        .textContent(),
    ).toBe('Out of stock');

    // The child category is folded until its parent is chosen.
    const tree = page.locator('.category-tree');
    expect(await tree.getByRole('link', { name: 'Desk lamps' }).count()).toBe(0);
    await expectAccessible();
    await screenshot(page, 'storefront-home');
    expect(await favicon(page)).toEqual({
      href: '/favicon.svg',
      status: 200,
      type: 'image/svg+xml',
    });
  });

  it('filters by category (descendants included), price and stock, all in the URL', async () => {
    await page.locator('.category-tree').getByRole('link', { name: 'Lighting' }).click();
    await page.waitForURL((url) => url.searchParams.get('category') === String(ids.parent));
    // The URL changes before React draws the new page: wait for what is checked.
    await heading('Lighting').waitFor();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Lighting');
    await expectProducts(['Brass desk lamp', 'Ceiling light', 'Floor lamp']);
    await page.locator('.category-tree').getByRole('link', { name: 'Desk lamps' }).waitFor();
    expect(
      await page.locator('.category-tree').getByRole('link', { name: 'Desk lamps' }).count(),
    ).toBe(1);

    await page.getByLabel('Min price ($)').fill('40');
    await page.getByLabel('Max price ($)').fill('100');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL((url) => url.searchParams.get('max_price') === '100');
    await expectProducts(['Brass desk lamp', 'Floor lamp']);

    await page.getByLabel('In stock only').check();
    await page.waitForURL((url) => url.searchParams.get('in_stock') === '1');
    await page.getByLabel('Sort by').selectOption('price_desc');
    await page.waitForURL((url) => url.searchParams.get('sort') === 'price_desc');
    await expectProducts(['Floor lamp', 'Brass desk lamp'], true);

    const url = new URL(page.url());
    expect(Object.fromEntries(url.searchParams)).toEqual({
      category: String(ids.parent),
      min_price: '40',
      max_price: '100',
      in_stock: '1',
      sort: 'price_desc',
    });
    await expectAccessible();
    await screenshot(page, 'storefront-filtered');
  });

  it('shows the same filtered page after a reload', async () => {
    const before = page.url();
    await page.reload();
    expect(page.url()).toBe(before);
    await expectProducts(['Floor lamp', 'Brass desk lamp'], true);
    expect(await page.getByLabel('Min price ($)').inputValue()).toBe('40');
    expect(await page.getByLabel('Max price ($)').inputValue()).toBe('100');
    expect(await page.getByLabel('In stock only').isChecked()).toBe(true);
    expect(await page.getByLabel('Sort by').inputValue()).toBe('price_desc');
  });

  it("explains a bad price filter in people's words on its field, without asking the server", async () => {
    const listCalls: string[] = [];
    const onRequest = (request: { url: () => string }) => {
      if (request.url().includes('products.list')) listCalls.push(request.url());
    };
    page.on('request', onRequest);
    // A shared link with a reversed range: checked in the page with the API's own rule.
    await page.goto(`${stack.storefrontUrl}/?min_price=90&max_price=10`);
    const minError = page.locator('.field.has-error .field-error');
    await minError.waitFor();
    expect(await minError.allTextContents()).toEqual([
      'The minimum price must not be more than the maximum price.',
    ]);
    expect(await page.getByLabel('Min price ($)').getAttribute('aria-invalid')).toBe('true');
    await page.getByText('Correct the price filter to see products.').waitFor();
    const text = await page.locator('main').innerText();
    expect(text).not.toMatch(/min_price|max_price/);
    // Asking again would get the same answer: no retry is offered.
    expect(await page.getByRole('button', { name: 'Try again' }).count()).toBe(0);

    // From the form: refused on the field, the address unchanged.
    await page.getByLabel('Max price ($)').fill('abc');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect
      .poll(() => minError.allTextContents())
      .toEqual(['Enter an amount with at most two decimals, like 19.90.']);
    expect(await page.getByLabel('Max price ($)').getAttribute('aria-invalid')).toBe('true');
    expect(new URL(page.url()).searchParams.get('max_price')).toBe('10');
    await expectAccessible();
    await screenshot(page, 'storefront-filter-error');

    // A decimal comma is read as the point, and goes to the address as the API writes it.
    await page.getByLabel('Min price ($)').fill('40,5');
    await page.getByLabel('Max price ($)').fill('100');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL((url) => url.searchParams.get('min_price') === '40.5');
    await expectProducts(['Floor lamp', 'Brass desk lamp']);
    expect(await page.locator('.field.has-error').count()).toBe(0);
    // Only the good filter reached the server.
    expect(listCalls).toHaveLength(1);
    expect(decodeURIComponent(listCalls[0]!)).toContain('"min_price":"40.50"');
    page.off('request', onRequest);
  });

  it('ranks a search by best match unless another sort is chosen', async () => {
    await page.goto(stack.storefrontUrl);
    await page.getByLabel('Search').fill('lamp');
    await page.getByLabel('Search').press('Enter');
    await page.waitForURL((url) => url.searchParams.get('q') === 'lamp');
    // Best match is the default with a search: the URL stays short.
    expect(new URL(page.url()).searchParams.get('sort')).toBeNull();
    await expect.poll(() => page.getByLabel('Sort by').inputValue()).toBe('relevance');
    await expect
      .poll(async () => (await productNames()).length, { timeout: 10_000 })
      .toBeGreaterThan(0);
    const names = await productNames();
    expect(names.every((name) => /lamp/i.test(name))).toBe(true);

    await page.getByLabel('Sort by').selectOption('price_asc');
    await page.waitForURL((url) => url.searchParams.get('sort') === 'price_asc');
    // Without a search, "Best match" is not offered.
    await page.goto(stack.storefrontUrl);
    expect(await page.getByLabel('Sort by').inputValue()).toBe('newest');
    expect(await page.getByRole('option', { name: 'Best match' }).count()).toBe(0);
  });

  it('explains a search the server refuses (400) in words, offering no retry', async () => {
    await page.goto(`${stack.storefrontUrl}/?q=${'lamp'.repeat(26)}`);
    const alert = page.getByRole('alert').filter({ hasText: 'highlighted field' });
    await alert.waitFor();
    expect(await alert.innerText()).toBe('Please correct the highlighted field.');
    expect(await page.locator('.field.has-error .field-error').allTextContents()).toEqual([
      'Use at most 100 characters.',
    ]);
    expect(await page.getByLabel('Search').getAttribute('aria-invalid')).toBe('true');
    // The same query would be refused again: nothing to retry.
    expect(await page.getByRole('button', { name: 'Try again' }).count()).toBe(0);
  });

  it('opens a product with its primary image, price and stock', async () => {
    await page.goto(`${stack.storefrontUrl}/?category=${ids.child}`);
    await expectProducts(['Brass desk lamp']);
    // Said to screen readers in correct English.
    const found = page.locator('section[aria-labelledby="results-heading"] > [role="status"]');
    await expect.poll(() => found.textContent()).toBe('1 product found');
    expect(await page.locator('#results-heading').textContent()).toBe('1 product');
    // The card's image is decorative: the link is named by the product alone.
    await page.getByRole('link', { name: 'Brass desk lamp', exact: true }).click();
    await page.waitForURL(`**/products/${ids.deskLamp}`);
    await heading('Brass desk lamp').waitFor();
    expect(await page.locator('.price-large').textContent()).toBe('$49.90');
    expect(await page.locator('.product-head .stock').textContent()).toContain('In stock');

    const main = page.locator('.gallery .image-box img');
    expect(await main.getAttribute('src')).toBe(`${imageBase}/lamp.svg`);
    expect(await main.getAttribute('alt')).toBe('Brass desk lamp, lit');
    await expect
      .poll(() => main.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0))
      .toBe(true);
    await page.getByRole('button', { name: 'Show image 2 of 2' }).click();
    expect(await main.getAttribute('src')).toBe(`${imageBase}/lamp-side.svg`);
    await page.getByRole('button', { name: 'Show image 1 of 2' }).click();

    const breadcrumb = await page.getByRole('navigation', { name: 'Breadcrumb' }).textContent();
    expect(breadcrumb).toContain('Lighting');
    expect(breadcrumb).toContain('Desk lamps');
    await expectAccessible();
    await screenshot(page, 'storefront-product');
  });

  it('registers a shopper, showing field errors first, each rule said once', async () => {
    await page.getByRole('link', { name: 'Register' }).click();
    await heading('Create an account').waitFor();
    await page.getByLabel('Username').fill('an');
    await page.getByLabel('Email').fill('ana@example.com');
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.locator('.field.has-error').first().waitFor();
    expect(await page.locator('.field.has-error label').allTextContents()).toEqual([
      'Username',
      'Password',
    ]);
    expect(await page.getByLabel('Password').getAttribute('aria-invalid')).toBe('true');
    // The hint states the rule; the error does not say it a second time.
    const form = await page.locator('form').innerText();
    expect(form.split('At least 3 characters')).toHaveLength(2);
    expect(form.split('At least 8 characters')).toHaveLength(2);
    expect(await page.getByRole('alert').innerText()).toBe(
      'Please correct the 2 highlighted fields.',
    );
    await expectAccessible();
    await screenshot(page, 'storefront-register');

    await page.getByLabel('Username').fill('ana');
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect
      .poll(() => page.locator('.field.has-error label').allTextContents())
      .toEqual(['Password']);

    await page.getByLabel('Password').fill('a long enough password');
    // Counts the moments the page has no heading between the submit and the account page.
    await page.evaluate(() => {
      const main = document.querySelector('main')!;
      const state = { blank: 0 };
      (window as unknown as { blankMoments: typeof state }).blankMoments = state;
      new MutationObserver(() => {
        if (!main.querySelector('h1')) state.blank += 1;
      }).observe(main, { childList: true, subtree: true });
    });
    await page.getByRole('button', { name: 'Create account' }).click();
    await heading('My account').waitFor();
    expect(new URL(page.url()).pathname).toBe('/account');
    expect(
      await page.evaluate(
        () => (window as unknown as { blankMoments: { blank: number } }).blankMoments.blank,
      ),
    ).toBe(0);
  });

  it('edits the profile, with a field error for a bad phone first', async () => {
    await page.getByLabel('Phone').fill('call me maybe');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await page.locator('.field.has-error').waitFor();
    expect(await page.locator('.field.has-error label').allTextContents()).toEqual(['Phone']);
    expect(await page.getByLabel('Phone').getAttribute('aria-invalid')).toBe('true');

    await page.getByLabel('First name').fill('Ana');
    await page.getByLabel('Last name').fill('Silva');
    await page.getByLabel('Phone').fill('+351 21 000 0000');
    await page.getByLabel('Address', { exact: true }).fill('Rua Augusta 1');
    await page.getByLabel('City').fill('Lisbon');
    await page.getByLabel('Country').fill('Portugal');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await page.getByText('Your profile is saved.').waitFor();
    expect(await page.locator('.field.has-error').count()).toBe(0);
    await expectAccessible();
    await screenshot(page, 'storefront-profile');
  });

  it('is still signed in with the saved profile after a reload', async () => {
    await page.reload();
    await heading('My account').waitFor();
    await page.getByLabel('City').waitFor();
    expect(await page.getByLabel('First name').inputValue()).toBe('Ana');
    expect(await page.getByLabel('Last name').inputValue()).toBe('Silva');
    expect(await page.getByLabel('Phone').inputValue()).toBe('+351 21 000 0000');
    expect(await page.getByLabel('Address', { exact: true }).inputValue()).toBe('Rua Augusta 1');
    expect(await page.getByLabel('City').inputValue()).toBe('Lisbon');
    expect(await page.getByLabel('Country').inputValue()).toBe('Portugal');
    await page.getByRole('link', { name: 'Hi, Ana' }).waitFor();
    expect(await page.getByRole('link', { name: 'Hi, Ana' }).count()).toBe(1);
  });

  it('signs out and forgets the session', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('link', { name: 'Sign in' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
    expect(await page.evaluate(() => localStorage.getItem('buybuy.storefront.tokens'))).toBeNull();

    await page.goto(`${stack.storefrontUrl}/account`);
    await page.waitForURL(
      (url) => url.pathname === '/sign-in' && url.searchParams.get('next') === '/account',
    );
    await heading('Sign in').waitFor();
  });

  it('keeps the old sign-in address working', async () => {
    await page.goto(`${stack.storefrontUrl}/signin?next=/account`);
    await page.waitForURL(
      (url) => url.pathname === '/sign-in' && url.searchParams.get('next') === '/account',
    );
    await heading('Sign in').waitFor();
  });

  it('threw no script errors along the way', () => {
    expect(pageErrors).toEqual([]);
  });
});

describe('storefront on a 390 px phone', () => {
  let phone: BrowserContext;
  let mobile: Page;
  const VIEWPORT = { width: 390, height: 844 };

  /** The element's box lies wholly on the first screen, without scrolling. */
  const aboveTheFold = async (selector: string) => {
    const box = await mobile.locator(selector).first().boundingBox();
    if (!box) throw new Error(`${selector} is not shown`);
    return box.y >= 0 && box.y + box.height <= VIEWPORT.height;
  };

  beforeAll(async () => {
    phone = await browser.newContext({
      viewport: VIEWPORT,
      locale: 'en-US',
      isMobile: true,
      hasTouch: true,
    });
    mobile = await phone.newPage();
    mobile.on('pageerror', (error) => pageErrors.push(error.message));
  });
  afterAll(() => phone?.close());

  it('shows the first product on the first screen, categories and filters folded', async () => {
    await mobile.goto(stack.storefrontUrl);
    await mobile.locator('.product-grid:not(.is-stale) .product-card').first().waitFor();
    expect(await aboveTheFold('.product-grid .product-card')).toBe(true);
    // Folded behind their bars until asked for.
    expect(await mobile.getByLabel('Min price ($)').isVisible()).toBe(false);
    expect(
      await mobile.locator('.category-tree').getByRole('link', { name: 'Garden' }).isVisible(),
    ).toBe(false);
    expect(await checkAccessibility(mobile)).toEqual([]);
    await screenshot(mobile, 'storefront-phone-home', { fullPage: false });

    await mobile.getByText('Filter and sort').click();
    await mobile.getByLabel('Min price ($)').fill('50');
    await mobile.getByLabel('Max price ($)').fill('5');
    await mobile.getByRole('button', { name: 'Apply filters' }).click();
    await mobile.getByText('The minimum price must not be more than the maximum price.').waitFor();
    await screenshot(mobile, 'storefront-phone-filters', { fullPage: false });

    await mobile.getByText('Categories', { exact: true }).click();
    await mobile.locator('.category-tree').getByRole('link', { name: 'Lighting' }).click();
    await mobile.waitForURL((url) => url.searchParams.get('category') === String(ids.parent));
    await mobile.getByRole('heading', { level: 1, name: 'Lighting', exact: true }).waitFor();
    // The chosen category is named on the folded bar.
    await mobile.getByText('Categories: Lighting').waitFor();
  });

  it("puts the product's name and price above its picture", async () => {
    await mobile.goto(`${stack.storefrontUrl}/products/${ids.deskLamp}`);
    await mobile.getByRole('heading', { level: 1, name: 'Brass desk lamp' }).waitFor();
    expect(await aboveTheFold('h1')).toBe(true);
    expect(await aboveTheFold('.price-large')).toBe(true);
    const name = await mobile.locator('h1').boundingBox();
    const picture = await mobile.locator('.gallery').boundingBox();
    expect(name!.y).toBeLessThan(picture!.y);
    expect(await checkAccessibility(mobile)).toEqual([]);
    await screenshot(mobile, 'storefront-phone-product', { fullPage: false });
  });

  it("shows the register form's errors on a phone, each rule once", async () => {
    await mobile.goto(`${stack.storefrontUrl}/register`);
    await mobile.getByLabel('Username').fill('ab');
    await mobile.getByRole('button', { name: 'Create account' }).click();
    await mobile.getByText('Please correct the 3 highlighted fields.').waitFor();
    expect((await mobile.locator('form').innerText()).split('At least 3 characters')).toHaveLength(
      2,
    );
    await screenshot(mobile, 'storefront-phone-register', { fullPage: false });
  });

  it('threw no script errors on the phone either', () => {
    expect(pageErrors).toEqual([]);
  });
});
