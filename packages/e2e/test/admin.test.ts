import { deflateSync } from 'node:zlib';

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
 * An administrator's day in the admin panel, against a real API on a fresh
 * database: sign in (customers are turned away), build a category tree and
 * fail to make it a cycle, create a product (a bad price first), upload
 * images from the picker and by drag and drop, choose the primary one, and
 * still be signed in after a reload.
 */

type Stack = Awaited<ReturnType<typeof startStack>>;

let stack: Stack;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let productId = 0;

const ADMIN = { email: 'boss@example.com', username: 'boss', password: 'boss-password-1' };
const CUSTOMER = {
  email: 'shopper@example.com',
  username: 'shopper',
  password: 'shopper-password',
};

/** A real, decodable RGB PNG of the given size and colour, built by hand (no image library needed). */
function png(width: number, height: number, [r, g, b]: [number, number, number]): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes: Buffer) => {
    let c = 0xffffffff;
    for (const byte of bytes) c = crcTable[(c ^ byte) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([length, body, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width * 3)]);
  for (let x = 0; x < width; x++) row.set([r, g, b], 1 + x * 3);
  const pixels = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(pixels)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const rest = <T>(method: string, path: string, body?: unknown) =>
  callRest<T>(stack.apiUrl, method, path, body);

const expectAccessible = async () => expect(await checkAccessibility(page)).toEqual([]);
const nav = (name: string) =>
  page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name });
const heading = (name: string | RegExp) => page.getByRole('heading', { level: 1, name });

async function signIn(email: string, password: string) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

beforeAll(async () => {
  stack = await startStack();
  await stack.createAdmin(ADMIN);
  await rest('POST', '/auth/register', CUSTOMER);
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  page.setDefaultTimeout(10_000);
}, 120_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await stack?.close();
});

describe('admin panel', { timeout: 60_000 }, () => {
  it('sends a visitor to the sign-in page and turns a customer away', async () => {
    await page.goto(`${stack.adminUrl}/products`);
    await heading('Sign in to BuyBuy admin').waitFor();
    await expectAccessible();
    await screenshot(page, 'admin-sign-in');
    expect(await favicon(page)).toEqual({
      href: '/favicon.svg',
      status: 200,
      type: 'image/svg+xml',
    });

    await signIn(CUSTOMER.email, CUSTOMER.password);
    await expect
      .poll(() => page.getByRole('alert').innerText())
      .toContain('does not have access to the admin panel');
    expect(await page.evaluate(() => localStorage.getItem('buybuy.admin.tokens'))).toBeNull();
    expect(page.url()).toContain('/sign-in');

    await signIn(ADMIN.email, 'not the password');
    await expect
      .poll(() => page.getByRole('alert').innerText())
      .toMatch(/invalid email or password/i);
  });

  it('signs an admin in and shows the empty products table', async () => {
    await signIn(ADMIN.email, ADMIN.password);
    await heading('Products').waitFor();
    await page.getByText('No products yet').waitFor();
    await expect.poll(() => page.getByText(`Signed in as ${ADMIN.username}`).count()).toBe(1);
  });

  it('builds a category tree and explains why a category cannot move under its child', async () => {
    await nav('Categories').click();
    await heading('Categories').waitFor();
    await page.getByText('No categories yet').waitFor();

    // A loaded server: the list refetched after each write comes late, and
    // whatever is typed meanwhile must survive it.
    const slowList = /categories\.list/;
    await page.route(slowList, async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 500));
      await route.continue();
    });
    const add = page.getByRole('region', { name: 'Add a category' });
    await add.getByLabel('Name').fill('Garden');
    await add.getByRole('button', { name: 'Add category' }).click();
    await page.getByText('Category “Garden” created.').waitFor();
    await add.getByLabel('Name').fill('Tools');
    await add.getByLabel('Parent category').selectOption({ label: 'Garden' });
    await add.getByRole('button', { name: 'Add category' }).click();
    await page.getByText('Category “Tools” created.').waitFor();
    // Waits for a delayed refetch still in flight, so it is not left half-routed.
    await page.unrouteAll({ behavior: 'wait' });
    // Every category by its path, so two of the same name under different parents stay apart.
    await expect
      .poll(() => add.getByLabel('Parent category').locator('option').allTextContents())
      .toEqual(['None (top level)', 'Garden', 'Garden › Tools']);
    // Tools sits under Garden in the tree.
    await page
      .locator('.tree > li', { hasText: 'Garden' })
      .locator('ul')
      .getByText('Tools')
      .waitFor();

    await page.getByRole('button', { name: 'Edit Garden' }).click();
    // The banner of the last action goes with the next one.
    await expect.poll(() => page.getByText('Category “Tools” created.').count()).toBe(0);
    const edit = page.getByRole('region', { name: 'Edit “Garden”' });
    await edit.getByLabel('Parent category').selectOption({ label: 'Garden › Tools' });
    await edit.getByRole('button', { name: 'Save category' }).click();
    await expect
      .poll(() => edit.locator('.field-error').innerText())
      .toBe('A category cannot be moved under itself or its own descendant');
    expect(await edit.getByLabel('Parent category').getAttribute('aria-invalid')).toBe('true');
    await expectAccessible();
    await screenshot(page, 'admin-categories');
    await edit.getByRole('button', { name: 'Cancel' }).click();

    // Deleting a category that still has a child is refused in words.
    await page.getByRole('button', { name: 'Delete Garden' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Delete category' }).click();
    await expect
      .poll(() => dialog.getByRole('alert').innerText())
      .toContain('cannot be deleted because it still contains subcategories or products');
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    // The dialog names a nested category by its whole path.
    await page.getByRole('button', { name: 'Delete Tools' }).click();
    await expect
      .poll(() => dialog.getByRole('heading').innerText())
      .toBe('Delete “Garden › Tools”?');
    await screenshot(page, 'admin-category-delete');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  it('creates a product, showing the price error on its field first', async () => {
    await nav('Products').click();
    await page.getByRole('link', { name: 'New product' }).click();
    await heading('New product').waitFor();
    await page.getByLabel('Name').fill('Garden rake');
    await page.getByLabel('Description').fill('Steel tines, ash handle.');
    await page.getByLabel('Price').fill('1.999');
    await page.getByLabel('Stock quantity').fill('12');
    await page.getByLabel('Category').selectOption({ label: 'Garden › Tools' });
    await page.getByRole('button', { name: 'Create product' }).click();

    const price = page.getByLabel('Price');
    await expect.poll(() => price.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await price.getAttribute('aria-describedby')) ?? '';
    const errorText = await page.locator(`[id="${describedBy.split(' ').at(-1)}"]`).innerText();
    expect(errorText).toMatch(/at most two decimals/);

    // A decimal comma, as much of Europe types it: sent, and saved, as 19.99.
    await price.fill('19,99');
    await page.getByRole('button', { name: 'Create product' }).click();
    await heading('Edit “Garden rake”').waitFor();
    await page.getByText('Product created. You can add images now.').waitFor();
    productId = Number(new URL(page.url()).pathname.split('/').at(-1));
    expect(productId).toBeGreaterThan(0);
    expect(await page.getByLabel('Price').inputValue()).toBe('19.99');
    expect((await rest<{ price: string }>('GET', `/products/${productId}`)).price).toBe('19.99');
    await screenshot(page, 'admin-product-created');
  });

  it('uploads images from the picker and by drag and drop, with alt text and a chosen primary', async () => {
    await page.locator('input[type=file]').setInputFiles({
      name: 'rake-front.png',
      mimeType: 'image/png',
      buffer: png(64, 64, [200, 60, 40]),
    });
    await page.getByText('1 image uploaded.').waitFor();
    // "Created" was the last action's news: the upload's replaces it.
    expect(await page.getByText('Product created. You can add images now.').count()).toBe(0);
    await expect.poll(() => page.locator('ol.images > li').count()).toBe(1);

    // A drop on the zone, as a file dragged from the desktop arrives.
    const second = png(96, 64, [40, 120, 200]).toString('base64');
    await page.getByTestId('dropzone').evaluate((zone, base64) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const data = new DataTransfer();
      data.items.add(new File([bytes], 'rake-side.png', { type: 'image/png' }));
      for (const type of ['dragenter', 'dragover', 'drop'])
        zone.dispatchEvent(
          new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }),
        );
    }, second);
    await expect.poll(() => page.locator('ol.images > li').count()).toBe(2);

    // A file that is not an image is refused in words.
    await page.locator('input[type=file]').setInputFiles({
      name: 'notes.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('not a picture'),
    });
    await expect.poll(() => page.getByRole('alert').innerText()).toMatch(/notes\.txt: .*image/i);

    await page.getByLabel('Alt text').nth(0).fill('Garden rake, front view');
    await page.getByLabel('Alt text').nth(1).fill('Garden rake, side view');
    await page.getByLabel('Primary image').nth(1).check();
    await page.getByRole('button', { name: 'Move image 2 up' }).click();
    await page.getByRole('button', { name: 'Save images' }).click();
    await page.getByText('Images saved.').waitFor();

    const product = await rest<{
      images: {
        alt_text: string;
        is_primary: boolean;
        image_url: string;
        thumbnail_url: string | null;
      }[];
    }>('GET', `/products/${productId}`);
    expect(product.images.map((image) => [image.alt_text, image.is_primary])).toEqual([
      ['Garden rake, side view', true],
      ['Garden rake, front view', false],
    ]);
    // The uploaded file is really served.
    const served = await fetch(product.images[0]!.image_url);
    expect(served.status).toBe(200);

    await expect
      .poll(() =>
        page
          .locator('ol.images img')
          .first()
          .evaluate((img: HTMLImageElement) => img.naturalWidth),
      )
      .toBeGreaterThan(0);
    await expectAccessible();
    await screenshot(page, 'admin-product-edit');
  });

  it('is still signed in after a reload', async () => {
    await page.reload();
    await heading('Edit “Garden rake”').waitFor();
    await expect
      .poll(() => page.getByRole('img', { name: 'Garden rake, side view' }).count())
      .toBe(1);
    expect(await page.getByLabel('Primary image').nth(0).isChecked()).toBe(true);
    // "Created" was said once: a reload does not bring it back.
    expect(await page.getByText('Product created. You can add images now.').count()).toBe(0);
  });

  it('lists, filters and sorts products', async () => {
    await nav('Products').click();
    await heading('Products').waitFor();
    const row = page.getByRole('row', { name: /Garden rake/ });
    await row.waitFor();
    expect(await row.innerText()).toContain('$19.99');

    await page.getByLabel('Category').selectOption({ label: 'Garden' });
    await page.getByLabel('Minimum price').fill('10,5');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('min_price')).toBe('10.5');
    await row.waitFor(); // in Tools, a child of Garden
    // The API's own range rule, checked in the form and said in words, on the field it names.
    await page.getByLabel('Maximum price').fill('5');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByText('The minimum price must not be more than the maximum price.').waitFor();
    expect(await page.getByLabel('Minimum price').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('main').innerText()).not.toMatch(/min_price|max_price/);
    expect(new URL(page.url()).searchParams.get('max_price')).toBeNull();
    // A shared link with the same mistake: explained, not sent, and no retry offered.
    await page.goto(`${stack.adminUrl}/products?min_price=90&max_price=10`);
    await page.getByText('Correct the price filter to see the products.').waitFor();
    await page.getByText('The minimum price must not be more than the maximum price.').waitFor();
    expect(await page.getByRole('button', { name: 'Try again' }).count()).toBe(0);
    await page.getByLabel('Maximum price').fill('5');
    await page.getByLabel('Minimum price').fill('');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByText('No products match these filters.').waitFor();
    await page.getByLabel('Maximum price').fill('1.234');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByText('Enter an amount with at most two decimals, like 19.90.').waitFor();
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await row.waitFor();
    await page.getByLabel('Sort by').selectOption('price_desc');
    await row.waitFor();
    await expectAccessible();
    await screenshot(page, 'admin-products');
    // The same screen on a 390 px phone, for a person to look at.
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'admin-products-390');
    await page.goto(`${stack.adminUrl}/categories`);
    await heading('Categories').waitFor();
    await page.getByText('Garden › Tools').first().waitFor({ state: 'attached' });
    await screenshot(page, 'admin-categories-390');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('lists and searches users', async () => {
    await nav('Users').click();
    await heading('Users').waitFor();
    await page.getByRole('row', { name: /shopper@example\.com/ }).waitFor();
    await page.getByRole('row', { name: /boss@example\.com.*Admin/ }).waitFor();
    await page.getByLabel('Search by username or email').fill('shop');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await expect.poll(() => page.locator('tbody tr').count()).toBe(1);
    await expectAccessible();
    await screenshot(page, 'admin-users');
  });

  it('deletes a product after confirmation, and signs out', async () => {
    await nav('Products').click();
    await page.getByRole('button', { name: 'Delete Garden rake' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete product' }).click();
    await page.getByText('Product “Garden rake” deleted.').waitFor();
    await page.getByText('No products yet').waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await heading('Sign in to BuyBuy admin').waitFor();
    await page.goto(`${stack.adminUrl}/users`);
    await heading('Sign in to BuyBuy admin').waitFor();
  });
});
