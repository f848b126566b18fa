import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  checkAccessibility,
  launchBrowser,
  openPage,
  screenshot,
  signInToAdmin,
  startStack,
} from '../src/harness';

/**
 * An administrator sells: guests place two orders through the API, then the
 * admin sees them on the dashboard, finds one in the orders list by its
 * number, marks it paid and ships it with a tracking number, cancels the
 * other, and keeps the shipping methods. At every status the screen offers
 * exactly the moves the API allows: each one hidden is refused by the server.
 */

type Stack = Awaited<ReturnType<typeof startStack>>;
type Action = 'Mark paid' | 'Ship' | 'Mark delivered' | 'Cancel order' | 'Refund';

let stack: Stack;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let adminToken = '';

const ADMIN = { email: 'owner@example.com', username: 'owner', password: 'owner-password-1' };
const ADDRESS = {
  full_name: 'Ada Lovelace',
  line1: '12 Analytical Row',
  city: 'London',
  postal_code: 'N1 9GU',
  country: 'United Kingdom',
};
const seeded = {
  rake: 0,
  gloves: 0,
  shipping: 0,
  first: { id: 0, number: '', total: '' },
  second: { id: 0, number: '' },
};
const pageErrors: string[] = [];

/** The REST path of each action on an order, to ask the server about the ones the screen hides. */
const ACTION_PATHS: Record<Action, string> = {
  'Mark paid': 'pay',
  Ship: 'ship',
  'Mark delivered': 'deliver',
  'Cancel order': 'cancel',
  Refund: 'refund',
};
const ALL_ACTIONS = Object.keys(ACTION_PATHS) as Action[];

async function call(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const response = await fetch(`${stack.apiUrl}/v1${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(adminToken ? { authorization: `Bearer ${adminToken}` } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const envelope = (await response.json()) as {
    data: unknown;
    message: string;
    errors: { code: string }[];
  };
  return { status: response.status, ...envelope };
}

async function rest<T>(
  method: string,
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
): Promise<T> {
  const reply = await call(method, path, body, headers);
  if (reply.status >= 300) throw new Error(`${method} ${path}: ${reply.status} ${reply.message}`);
  return reply.data as T;
}

/** A guest fills a cart and checks out, as the storefront does; no admin token on the way. */
async function placeGuestOrder(email: string, lines: { product_id: number; quantity: number }[]) {
  const token = adminToken;
  adminToken = '';
  try {
    let cartToken = '';
    for (const line of lines) {
      const cart = await rest<{ cart_token?: string }>(
        'POST',
        '/cart/items',
        line,
        cartToken ? { 'x-cart-token': cartToken } : {},
      );
      cartToken ||= cart.cart_token ?? '';
    }
    return await rest<{ id: number; number: string; total: string }>(
      'POST',
      '/orders',
      { email, shipping_address: ADDRESS, shipping_method_id: seeded.shipping },
      { 'x-cart-token': cartToken },
    );
  } finally {
    adminToken = token;
  }
}

async function seed() {
  await stack.createAdmin(ADMIN);
  const login = await rest<{ tokens: { access_token: string } }>('POST', '/auth/login', {
    email: ADMIN.email,
    password: ADMIN.password,
  });
  adminToken = login.tokens.access_token;
  const category = await rest<{ id: number }>('POST', '/categories', { name: 'Garden' });
  const product = (name: string, price: string, stock: number) =>
    rest<{ id: number }>('POST', '/products', {
      name,
      price,
      category_id: category.id,
      stock_quantity: stock,
    });
  seeded.rake = (await product('Garden rake', '19.90', 40)).id;
  seeded.gloves = (await product('Work gloves', '7.50', 3)).id;
  await product('Watering can', '12.00', 25);
  seeded.shipping = (
    await rest<{ id: number }>('POST', '/shipping-methods', { name: 'Standard', price: '4.99' })
  ).id;

  seeded.first = await placeGuestOrder('ada@example.com', [
    { product_id: seeded.rake, quantity: 2 },
    { product_id: seeded.gloves, quantity: 1 },
  ]);
  seeded.second = await placeGuestOrder('grace@example.com', [
    { product_id: seeded.rake, quantity: 1 },
  ]);
}

/** Waits for the screen to settle: calls and refetches take their time on a loaded machine. */
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 10_000 });
const expectAccessible = async () => expect(await checkAccessibility(page)).toEqual([]);
const heading = (name: string | RegExp) => page.getByRole('heading', { level: 1, name });
const nav = (name: string) =>
  page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });
const region = (name: string) => page.getByRole('region', { name });
const actionsCard = () => region('Actions');
const statusOfOrder = () => page.locator('.order-head-status .order-status').innerText();
const money = (amount: string) =>
  new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(Number(amount));

/**
 * The screen shows exactly `shown`; every other action is one the server
 * refuses for this order now (409 INVALID_TRANSITION), so nothing allowed is hidden.
 */
async function expectActions(orderId: number, shown: Action[]) {
  await poll(() => actionsCard().getByRole('button').allInnerTexts()).toEqual(
    ALL_ACTIONS.filter((action) => shown.includes(action)),
  );
  for (const action of ALL_ACTIONS.filter((name) => !shown.includes(name))) {
    const reply = await call('POST', `/orders/${orderId}/${ACTION_PATHS[action]}`, {});
    expect([action, reply.status, reply.errors[0]?.code]).toEqual([
      action,
      409,
      'INVALID_TRANSITION',
    ]);
  }
}

/** Opens the action's dialog, fills it and confirms; waits for the status message. */
async function act(
  action: Action,
  fields: { note?: string; tracking?: string; screenshot?: string },
  done: string,
) {
  await actionsCard().getByRole('button', { name: action, exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  if (fields.tracking !== undefined)
    await dialog.getByLabel('Tracking number (optional)').fill(fields.tracking);
  if (fields.note !== undefined) await dialog.getByLabel('Note (optional)').fill(fields.note);
  if (fields.screenshot) await screenshot(page, fields.screenshot);
  await dialog.getByRole('button', { name: action, exact: true }).click();
  await page.locator('.status', { hasText: done }).waitFor();
  await dialog.waitFor({ state: 'hidden' });
}

beforeAll(async () => {
  stack = await startStack();
  await seed();
  browser = await launchBrowser();
  ({ context, page } = await openPage(browser, pageErrors));
}, 120_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await stack?.close();
});

describe('selling in the admin panel', { timeout: 60_000 }, () => {
  it('lands on the dashboard after sign-in, with today’s orders, statuses and low stock', async () => {
    await signInToAdmin(page, stack.adminUrl, ADMIN);
    expect(new URL(page.url()).pathname).toBe('/');

    const sales = region('Sales');
    const figure = (label: string) =>
      sales.locator('.figure', { has: page.getByText(label, { exact: true }) }).locator('dd');
    await poll(() => figure('Orders today').innerText()).toBe('2');
    expect(await figure('Orders, last 7 days').innerText()).toBe('2');
    // Nothing is paid yet: no revenue.
    expect(await figure('Revenue today').innerText()).toBe(money('0'));

    const statuses = region('Orders by status');
    expect(await statuses.getByRole('link', { name: /Awaiting payment/ }).innerText()).toMatch(
      /Awaiting payment\s+2/,
    );
    expect(await statuses.getByRole('link', { name: /Shipped/ }).innerText()).toMatch(
      /Shipped\s+0/,
    );

    // Gloves (3, one sold) come first; each links to its product.
    const lowStock = region('Lowest stock');
    expect(await lowStock.locator('tbody tr').first().innerText()).toMatch(/Work gloves\s+2/);
    expect(await lowStock.getByRole('link', { name: 'Work gloves' }).getAttribute('href')).toBe(
      `/products/${seeded.gloves}`,
    );
    await expectAccessible();
    await screenshot(page, 'admin-dashboard');
  });

  it('goes from a status on the dashboard to the orders list filtered by it', async () => {
    await region('Orders by status')
      .getByRole('link', { name: /Awaiting payment/ })
      .click();
    await heading('Orders').waitFor();
    expect(new URL(page.url()).searchParams.get('status')).toBe('pending_payment');
    expect(await page.getByLabel('Status').inputValue()).toBe('pending_payment');
    // Newest first.
    await poll(() => page.locator('tbody .order-number').allInnerTexts()).toEqual([
      seeded.second.number,
      seeded.first.number,
    ]);
  });

  it('finds an order by its number, keeps the filter across a reload, and opens it', async () => {
    await page.getByLabel('Order number').fill(seeded.first.number.toLowerCase());
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await poll(() => page.locator('tbody .order-number').allInnerTexts()).toEqual([
      seeded.first.number,
    ]);
    const row = page.getByRole('row', { name: new RegExp(seeded.first.number) });
    expect(await row.innerText()).toContain('ada@example.com');
    expect(await row.innerText()).toContain(money(seeded.first.total));
    expect(await row.innerText()).toContain('Awaiting payment');

    await page.reload();
    await heading('Orders').waitFor();
    // Typed in lower case, kept as the number is written.
    expect(new URL(page.url()).searchParams.get('number')).toBe(seeded.first.number);
    expect(await page.getByLabel('Order number').inputValue()).toBe(seeded.first.number);
    await poll(() => page.locator('tbody .order-number').allInnerTexts()).toEqual([
      seeded.first.number,
    ]);

    // An email that is not one: the server's word, beside the field.
    await page.getByLabel('Customer email').fill('not-an-email');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await poll(() => page.getByLabel('Customer email').getAttribute('aria-invalid')).toBe('true');
    await page.getByLabel('Customer email').fill('ada@example.com');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await poll(() => page.locator('tbody tr').count()).toBe(1);
    await expectAccessible();
    await screenshot(page, 'admin-orders');

    await page.getByRole('link', { name: seeded.first.number }).click();
    await heading(`Order ${seeded.first.number}`).waitFor();
  });

  it('shows the order: lines, address, shipping, totals, payment and history', async () => {
    const lines = region('Items');
    expect(await lines.locator('tbody tr').allInnerTexts()).toEqual([
      expect.stringMatching(/Garden rake\s+\$19\.90\s+2\s+\$39\.80/),
      expect.stringMatching(/Work gloves\s+\$7\.50\s+1\s+\$7\.50/),
    ]);
    const totals = await lines.locator('tfoot').innerText();
    expect(totals).toMatch(/Subtotal\s+\$47\.30/);
    expect(totals).toMatch(/Shipping \(Standard\)\s+\$4\.99/);
    expect(totals).toMatch(/Total\s+\$52\.29/);
    expect(seeded.first.total).toBe('52.29');

    const customer = await region('Customer and address').innerText();
    expect(customer).toContain('ada@example.com');
    expect(customer).toContain('12 Analytical Row');
    expect(customer).toContain('N1 9GU London');
    const facts = await region('Shipping and payment').innerText();
    expect(facts).toMatch(/Shipping method\s+Standard \(\$4\.99\)/);
    expect(facts).toMatch(/Tracking number\s+None yet/);
    expect(facts).toContain('Manual (bank transfer or cash on delivery)');

    expect(await statusOfOrder()).toBe('Awaiting payment');
    expect(await region('History').locator('li').allInnerTexts()).toEqual([
      expect.stringMatching(/Placed as Awaiting payment[\s\S]*Customer/),
    ]);
    await expectActions(seeded.first.id, ['Mark paid', 'Cancel order']);
  });

  it('marks the order paid, then ships it with a tracking number', async () => {
    await act('Mark paid', { note: 'Bank transfer received' }, 'marked paid');
    await poll(statusOfOrder).toBe('Paid');
    await expectActions(seeded.first.id, ['Ship', 'Cancel order', 'Refund']);

    await act(
      'Ship',
      { tracking: 'TRACK-123-XYZ', note: 'Two parcels', screenshot: 'admin-order-ship' },
      'shipped',
    );
    await poll(statusOfOrder).toBe('Shipped');
    await poll(() => region('Shipping and payment').innerText()).toMatch(
      /Tracking number\s+TRACK-123-XYZ/,
    );
    await expectActions(seeded.first.id, ['Mark delivered', 'Refund']);

    const history = await region('History').locator('li').allInnerTexts();
    expect(history).toHaveLength(3);
    expect(history[1]).toMatch(/Awaiting payment\s*→?\s*to\s*Paid/);
    expect(history[1]).toContain(`You (${ADMIN.username})`);
    expect(history[1]).toContain('Bank transfer received');
    expect(history[2]).toMatch(/Paid\s*→?\s*to\s*Shipped/);
    expect(history[2]).toContain('Two parcels');

    // The server agrees.
    const order = await rest<{
      status: string;
      tracking_number: string;
      history: { to_status: string; note: string | null; actor: string }[];
    }>('GET', `/orders/${seeded.first.id}`);
    expect(order.status).toBe('shipped');
    expect(order.tracking_number).toBe('TRACK-123-XYZ');
    expect(order.history.map((entry) => [entry.to_status, entry.note])).toEqual([
      ['pending_payment', null],
      ['paid', 'Bank transfer received'],
      ['shipped', 'Two parcels'],
    ]);
    await expectAccessible();
    await screenshot(page, 'admin-order-detail');
  });

  it('shows the new status in the list and the revenue on the dashboard', async () => {
    await nav('Orders').click();
    await heading('Orders').waitFor();
    const row = page.getByRole('row', { name: new RegExp(seeded.first.number) });
    await poll(() => row.innerText()).toContain('Shipped');

    await nav('Dashboard').click();
    await heading('Dashboard').waitFor();
    const figure = (label: string) =>
      region('Sales')
        .locator('.figure', { has: page.getByText(label, { exact: true }) })
        .locator('dd');
    await poll(() => figure('Revenue today').innerText()).toBe(money('52.29'));
    expect(await figure('Revenue, last 7 days').innerText()).toBe(money('52.29'));
    expect(
      await region('Orders by status')
        .getByRole('link', { name: /Shipped/ })
        .innerText(),
    ).toMatch(/Shipped\s+1/);
  });

  it('cancels the other order with a note, after which nothing more is offered', async () => {
    await page.goto(`${stack.adminUrl}/orders/${seeded.second.id}`);
    await heading(`Order ${seeded.second.number}`).waitFor();
    await actionsCard().getByRole('button', { name: 'Cancel order' }).click();
    const dialog = page.getByRole('dialog');
    expect(await dialog.innerText()).toContain('go back into stock');
    // Changing one's mind changes nothing.
    await dialog.getByRole('button', { name: 'Back' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await statusOfOrder()).toBe('Awaiting payment');

    await act('Cancel order', { note: 'Customer asked by phone' }, 'cancelled');
    await poll(statusOfOrder).toBe('Cancelled');
    await actionsCard().getByText('No further steps').waitFor();
    await expectActions(seeded.second.id, []);
    expect(await region('History').innerText()).toContain('Customer asked by phone');
  });

  it('names another admin in the history by username, linking to their user page', async () => {
    const colleague = {
      email: 'ops@example.com',
      username: 'opsdesk',
      password: 'ops-password-12',
    };
    await stack.createAdmin(colleague);
    const order = await placeGuestOrder('lin@example.com', [
      { product_id: seeded.rake, quantity: 1 },
    ]);
    const own = adminToken;
    try {
      adminToken = (
        await rest<{ tokens: { access_token: string } }>('POST', '/auth/login', {
          email: colleague.email,
          password: colleague.password,
        })
      ).tokens.access_token;
      await rest('POST', `/orders/${order.id}/pay`, { note: 'Paid at the counter' });
    } finally {
      adminToken = own;
    }

    await page.goto(`${stack.adminUrl}/orders/${order.id}`);
    await heading(`Order ${order.number}`).waitFor();
    const link = region('History').getByRole('link', { name: colleague.username });
    await link.waitFor();
    await link.click();
    await heading(colleague.username).waitFor();
  });

  it('adds and edits a shipping method, with the server’s field errors beside the fields', async () => {
    await nav('Shipping').click();
    await heading('Shipping methods').waitFor();
    await page.getByRole('row', { name: /Standard/ }).waitFor();
    expect(await page.getByRole('row', { name: /Standard/ }).innerText()).toContain(money('4.99'));

    const add = region('Add a shipping method');
    // A price the form refuses itself, with the API's own rule.
    await add.getByLabel('Name').fill('Express courier');
    await add.getByLabel('Price').fill('9.999');
    await add.getByRole('button', { name: 'Add shipping method' }).click();
    await add.getByText('Enter an amount with at most two decimals, like 19.90.').waitFor();
    // A name too long for the server: its error appears on the field.
    await add.getByLabel('Name').fill('x'.repeat(101));
    await add.getByLabel('Price').fill('12.5');
    await add.getByRole('button', { name: 'Add shipping method' }).click();
    await poll(() => add.getByLabel('Name').getAttribute('aria-invalid')).toBe('true');
    expect(await add.locator('.field-error').count()).toBe(1);

    await add.getByLabel('Name').fill('Express courier');
    await add.getByRole('button', { name: 'Add shipping method' }).click();
    await page.getByText('Shipping method “Express courier” created.').waitFor();
    const express = page.getByRole('row', { name: /Express courier/ });
    expect(await express.innerText()).toContain(money('12.50'));
    expect(await add.getByLabel('Name').inputValue()).toBe('');

    await page.getByRole('button', { name: 'Edit Express courier' }).click();
    const edit = region('Edit “Express courier”');
    await edit.getByLabel('Name').fill('Express courier (24 h)');
    await edit.getByLabel('Price').fill('14');
    await edit.getByLabel('Active (offered at checkout)').uncheck();
    await edit.getByRole('button', { name: 'Save shipping method' }).click();
    await page.getByText('Shipping method “Express courier (24 h)” saved.').waitFor();
    const edited = page.getByRole('row', { name: /Express courier \(24 h\)/ });
    await poll(() => edited.innerText()).toMatch(/\$14\.00\s+Inactive/);

    const methods = await rest<{ name: string; price: string; is_active: boolean }[]>(
      'GET',
      '/shipping-methods?include_inactive=true',
    );
    expect(methods.map((method) => [method.name, method.price, method.is_active])).toEqual([
      ['Standard', '4.99', true],
      ['Express courier (24 h)', '14.00', false],
    ]);
    await expectAccessible();
    await screenshot(page, 'admin-shipping-methods');
    expect(pageErrors).toEqual([]);
  });
});
