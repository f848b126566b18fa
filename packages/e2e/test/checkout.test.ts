import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  callRest,
  checkAccessibility,
  launchBrowser,
  screenshot,
  startStack,
} from '../src/harness';

/**
 * Buying in the storefront against a real API on a fresh database: a guest
 * fills a cart from the listing and a product page, checks out, keeps the
 * confirmation across a reload and sees the shop mark it paid; a shopper who
 * signs in keeps their guest cart, checks out with their email filled in,
 * finds the order in their history and cancels it while it is unpaid.
 */

type Stack = Awaited<ReturnType<typeof startStack>>;

let stack: Stack;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let adminToken = '';
let images: Server;
let imageBase = '';
const pageErrors: string[] = [];
const ids = { lamp: 0, floorLamp: 0, blanket: 0 };
const SHOPPER = { email: 'bea@example.com', username: 'bea', password: 'bea-long-password' };
const ADDRESS = {
  'Full name': 'Bea Buyer',
  Address: 'Rua Augusta 10',
  City: 'Lisbon',
  'Postal code': '1100-053',
  Country: 'Portugal',
};

// Product pictures from a server of their own, as a CDN would serve them: a coloured square each.
const svg = (fill: string) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400"><rect width="400" height="400" fill="${fill}"/><circle cx="200" cy="200" r="110" fill="#fff" opacity="0.8"/></svg>`;
const COLOURS: Record<string, string> = { '/lamp.svg': '#d9a441', '/floor.svg': '#5577aa' };

const rest = <T>(method: string, path: string, body?: unknown, token?: string) =>
  callRest<T>(stack.apiUrl, method, path, body, token);

const stockOf = async (id: number) =>
  (await rest<{ stock_quantity: number }>('GET', `/products/${id}`)).stock_quantity;

async function seed() {
  const admin = { email: 'keeper@example.com', username: 'keeper', password: 'keeper-password' };
  await stack.createAdmin(admin);
  const { tokens } = await rest<{ tokens: { access_token: string } }>('POST', '/auth/login', {
    email: admin.email,
    password: admin.password,
  });
  adminToken = tokens.access_token;
  const create = <T>(path: string, body: object) => rest<T>('POST', path, body, adminToken);
  const { id: category } = await create<{ id: number }>('/categories', { name: 'Home' });
  const product = async (name: string, price: string, stock: number, image?: string) =>
    (
      await create<{ id: number }>('/products', {
        name,
        price,
        category_id: category,
        stock_quantity: stock,
        ...(image && { images: [{ image_url: `${imageBase}${image}`, alt_text: name }] }),
      })
    ).id;
  ids.lamp = await product('Brass desk lamp', '49.90', 5, '/lamp.svg');
  ids.floorLamp = await product('Floor lamp', '89.00', 3, '/floor.svg');
  ids.blanket = await product('Wool blanket', '35.00', 0);
  await create('/shipping-methods', { name: 'Standard', price: '4.99' });
  await create('/shipping-methods', { name: 'Express', price: '14.99' });
  await rest('POST', '/auth/register', SHOPPER);
}

const heading = (name: string | RegExp) => page.getByRole('heading', { level: 1, name });
const card = (name: string) => page.locator('.product-card', { hasText: name });
/** Waits until the header's cart says `count` items. */
const cartCount = (count: number) =>
  page.getByRole('link', { name: `Cart, ${count} ${count === 1 ? 'item' : 'items'}` }).waitFor();
const expectAccessible = async () => expect(await checkAccessibility(page)).toEqual([]);
/** Nothing sticks out sideways: the page fits the phone's width. */
const expectNoSidewaysScroll = async () =>
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
    page.viewportSize()!.width,
  );

async function fillAddress() {
  for (const [label, value] of Object.entries(ADDRESS)) {
    await page.getByLabel(label, { exact: true }).fill(value);
  }
}

beforeAll(async () => {
  images = createServer((request, response) => {
    const fill = COLOURS[request.url ?? ''];
    response
      .writeHead(fill ? 200 : 404, { 'content-type': 'image/svg+xml' })
      .end(fill ? svg(fill) : '');
  });
  await new Promise<void>((resolve) => images.listen(0, '127.0.0.1', resolve));
  imageBase = `http://127.0.0.1:${(images.address() as AddressInfo).port}`;
  stack = await startStack();
  await seed();
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await stack?.close();
  await new Promise((resolve) => images?.close(resolve));
});

async function newShopper() {
  await context?.close();
  // Prices are formatted in the browser's locale: pinned, so `$49.90` reads the same on every machine.
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
}

describe('a guest buys', () => {
  let orderUrl = '';

  it('fills the cart from a listing card and a product page', async () => {
    await newShopper();
    await page.goto(stack.storefrontUrl);
    await heading('All products').waitFor();
    await cartCount(0);
    expect(
      await card('Wool blanket').getByRole('button', { name: 'Out of stock' }).isDisabled(),
    ).toBe(true);
    // The picker stops at the stock.
    const quantity = card('Brass desk lamp').getByRole('spinbutton', { name: 'Quantity' });
    expect(await quantity.getAttribute('max')).toBe('5');
    await quantity.fill('2');
    await card('Brass desk lamp').getByRole('button', { name: 'Add to cart' }).click();
    await cartCount(2);
    expect(await quantity.getAttribute('max')).toBe('3');

    await card('Floor lamp').getByRole('link', { name: 'Floor lamp' }).click();
    await heading('Floor lamp').waitFor();
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await page.getByRole('status').filter({ hasText: 'Added to your cart.' }).waitFor();
    await cartCount(3);
    await expectAccessible();
  });

  it('changes quantities in the cart, with line totals and the subtotal', async () => {
    await page.getByRole('link', { name: /^Cart/ }).click();
    await heading('Your cart').waitFor();
    const lines = page.locator('.cart-line');
    await expect.poll(() => lines.count()).toBe(2);
    expect(await lines.locator('.cart-line-name').allTextContents()).toEqual([
      'Brass desk lamp',
      'Floor lamp',
    ]);
    const totals = page.locator('.totals');
    await expect.poll(() => totals.textContent()).toContain('$188.80');

    await page.getByRole('button', { name: 'One more Floor lamp' }).click();
    await expect.poll(() => totals.textContent()).toContain('$277.80');
    await page.getByRole('button', { name: 'One less Floor lamp' }).click();
    await expect.poll(() => totals.textContent()).toContain('$188.80');
    expect(await lines.nth(0).locator('.cart-line-total').textContent()).toBe('$99.80');
    await cartCount(3);
    await expectAccessible();
    await screenshot(page, 'storefront-cart');

    await page.setViewportSize({ width: 390, height: 844 });
    await expectNoSidewaysScroll();
    await screenshot(page, 'storefront-cart-390');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('checks out: field errors beside the fields first, then the order', async () => {
    await page.getByRole('link', { name: 'Checkout' }).click();
    await heading('Checkout').waitFor();
    await page.getByRole('button', { name: 'Place order' }).click();
    await page.locator('.field.has-error').first().waitFor();
    const invalid = await page.locator('.field.has-error label').allTextContents();
    expect(invalid).toEqual(expect.arrayContaining(['Email', 'Full name', 'City', 'Country']));
    // In a shopper's words, not the validator's.
    const fullName = page.locator('.field', { hasText: 'Full name' }).locator('.field-error');
    expect(await fullName.textContent()).toBe('Please fill this in.');
    await screenshot(page, 'storefront-checkout-errors');

    await page.getByLabel('Email').fill('guest@example.com');
    await fillAddress();
    await page.getByRole('radio', { name: /Express/ }).check();
    const review = page.locator('.checkout-review');
    await expect.poll(() => review.locator('.totals').textContent()).toContain('$203.79');
    await expectAccessible();
    await screenshot(page, 'storefront-checkout');

    await page.getByRole('button', { name: 'Place order' }).click();
    await heading('Thank you for your order').waitFor();
    orderUrl = page.url();
    expect(new URL(orderUrl).searchParams.get('placed')).toBe('1');
    expect(await page.locator('.order-number').first().textContent()).toMatch(/^BB-/);
    await page.getByText('Awaiting payment').first().waitFor();
    expect(await page.locator('.order .totals').textContent()).toContain('$203.79');
    expect(await page.getByRole('region', { name: 'How to pay' }).textContent()).toContain(
      'bank transfer',
    );
    await cartCount(0);
    expect(await stockOf(ids.lamp)).toBe(3);
    await expectAccessible();
    await screenshot(page, 'storefront-confirmation');
  });

  it('still shows the confirmation after a reload, and the new status once paid', async () => {
    const id = Number(new URL(orderUrl).pathname.split('/').at(-1));
    await rest('POST', `/orders/${id}/pay`, {}, adminToken);
    await page.reload();
    await heading('Thank you for your order').waitFor();
    await page.locator('.status-badge', { hasText: 'Paid' }).waitFor();
    expect(await page.getByRole('button', { name: 'Cancel order' }).count()).toBe(0);
    expect(await page.locator('.timeline li').count()).toBe(2);
  });
});

describe('a signed-in shopper buys', () => {
  it('keeps the guest cart when signing in, and finds the email filled in at checkout', async () => {
    await newShopper();
    await page.goto(`${stack.storefrontUrl}/products/${ids.lamp}`);
    await heading('Brass desk lamp').waitFor();
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await cartCount(1);
    expect(
      await page.evaluate(() => localStorage.getItem('buybuy.storefront.tokens.cart')),
    ).toBeTruthy();

    await page.goto(`${stack.storefrontUrl}/sign-in?next=/checkout`);
    await page.getByLabel('Email').fill(SHOPPER.email);
    await page.getByLabel('Password').fill(SHOPPER.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await heading('Checkout').waitFor();
    await expect.poll(() => page.getByLabel('Email').inputValue()).toBe(SHOPPER.email);
    await cartCount(1);
    // Merged into the account's cart: the guest token is gone.
    await expect
      .poll(() => page.evaluate(() => localStorage.getItem('buybuy.storefront.tokens.cart')))
      .toBeNull();

    await fillAddress();
    await page.getByRole('button', { name: 'Place order' }).click();
    await heading('Thank you for your order').waitFor();
    expect(await page.locator('.order .totals').textContent()).toContain('$54.89');
  });

  it('sees the order in the history with its status', async () => {
    await page.getByRole('link', { name: 'Your orders' }).click();
    await heading('Your orders').waitFor();
    const row = page.locator('.order-row');
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.locator('.status-badge').textContent()).toBe('Awaiting payment');
    expect(await row.locator('.order-row-total').textContent()).toBe('$54.89');
    await expectAccessible();
    await screenshot(page, 'storefront-order-history');

    await row.getByRole('link').click();
    await heading(/^Order BB-/).waitFor();
    expect(await page.locator('.timeline li').allTextContents()).toEqual([
      expect.stringContaining('Placed'),
    ]);
    await expectAccessible();
    await screenshot(page, 'storefront-order-detail');
  });

  it('cancels the unpaid order: the stock comes back and the history says so', async () => {
    const before = await stockOf(ids.lamp);
    await page.getByRole('button', { name: 'Cancel order' }).click();
    await page.getByRole('button', { name: 'Yes, cancel the order' }).click();
    await page.locator('.status-badge', { hasText: 'Cancelled' }).waitFor();
    await page.locator('.timeline li', { hasText: 'Cancelled by you' }).waitFor();
    expect(await page.getByRole('button', { name: 'Cancel order' }).count()).toBe(0);
    expect(await stockOf(ids.lamp)).toBe(before + 1);
    await screenshot(page, 'storefront-order-cancelled');

    await page.getByRole('link', { name: 'Your orders' }).click();
    await page.locator('.order-row .status-badge', { hasText: 'Cancelled' }).waitFor();
  });

  it('fits a 390 px wide phone on every step', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${stack.storefrontUrl}/products/${ids.floorLamp}`);
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await cartCount(1);
    const steps = {
      home: '/',
      product: `/products/${ids.lamp}`,
      cart: '/cart',
      checkout: '/checkout',
    };
    for (const [step, path] of Object.entries({ ...steps, orders: '/account/orders' })) {
      await page.goto(`${stack.storefrontUrl}${path}`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      await expect.poll(() => page.locator('.loading').count()).toBe(0);
      await expectNoSidewaysScroll();
      if (step === 'home' || step === 'checkout') await screenshot(page, `storefront-${step}-390`);
    }
    await page.getByRole('link', { name: /^BB-/ }).click();
    await heading(/^Order BB-/).waitFor();
    await expectNoSidewaysScroll();
    await screenshot(page, 'storefront-order-detail-390');
  });

  it('warns about a line that outgrew the stock, and blocks checkout until it is fixed', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${stack.storefrontUrl}/cart`);
    await page.getByRole('button', { name: 'One more Floor lamp' }).click();
    await cartCount(2);
    await rest('PUT', `/products/${ids.floorLamp}`, { stock_quantity: 1 }, adminToken);
    await page.reload();
    await page.getByText('Only 1 left in stock.').waitFor();
    expect(await page.getByRole('button', { name: 'Checkout' }).isDisabled()).toBe(true);
    await screenshot(page, 'storefront-cart-warning');

    await page.getByRole('button', { name: 'Change to 1' }).click();
    await page.getByRole('link', { name: 'Checkout' }).waitFor();
    expect(await page.getByText('Only 1 left in stock.').count()).toBe(0);
    await cartCount(1);
  });

  it('threw no script errors along the way', () => {
    expect(pageErrors).toEqual([]);
  });
});
