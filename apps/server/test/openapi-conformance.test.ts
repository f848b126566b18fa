import { createHash, randomBytes } from 'node:crypto';

import { type AccountTokenPurpose, accountTokens, users } from '@buybuy/db';
import { createImageStorage } from '@buybuy/images';
import { makeImageVariants } from '@buybuy/jobs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { eq } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import { multipartBody, type RestOptions, startTestApp, type TestApp } from './harness';

/**
 * Every REST response this file provokes, success or error, is validated
 * against the schema /openapi.json documents for its operation and status.
 * A generated client (openapi-typescript) trusts those schemas, so they must
 * be what the server really sends.
 */
let t: TestApp;
let doc: { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(ajv);

const seen = new Set<string>();
const failures: string[] = [];

beforeAll(async () => {
  // With a job queue in the app, as server.ts builds it: image variants and the admin's jobs view.
  t = await startTestApp({}, { jobs: 'embedded' });
  doc = (await t.rest('GET', '/openapi.json')).json();
  ajv.addSchema(doc as object, 'openapi');
});
afterAll(() => t.close());

/** The documented path template (`/products/{id}`) a concrete /v1 URL belongs to. */
function templateOf(url: string): string {
  const path = new URL(url, 'http://x').pathname.replace(/^\/v1/, '').replace(/\/$/, '');
  for (const template of Object.keys(doc.paths)) {
    const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
    if (pattern.test(path)) return template;
  }
  throw new Error(`${path} is not in the document`);
}

const pointer = (...parts: string[]) =>
  parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

/** A validator for the JSON body of one documented response (which may be a $ref to components). */
function validatorFor(template: string, method: string, status: number) {
  let base = `openapi#/${pointer('paths', template, method, 'responses', String(status))}`;
  const response = ajv.getSchema(base)?.schema as { $ref?: string } | undefined;
  if (response?.$ref) base = `openapi${response.$ref}`;
  return ajv.compile({ $ref: `${base}/content/${pointer('application/json')}/schema` });
}

/** The token of an emailed link, written as the service writes it (its SHA-256 only). */
async function emailedLink(purpose: AccountTokenPurpose, email: string) {
  const [user] = await t.db.db.select().from(users).where(eq(users.username, 'ann'));
  const token = randomBytes(32).toString('base64url');
  await t.db.db.insert(accountTokens).values({
    user_id: user!.id,
    purpose,
    token_hash: createHash('sha256').update(token).digest('hex'),
    email,
    expires_at: new Date(Date.now() + 3_600_000),
  });
  return token;
}

/** Calls the REST face and checks the response body against the document. */
async function call(method: string, url: string, options?: RestOptions) {
  const res = await t.rest(method, url, options);
  const template = templateOf(url);
  const key = `${method} ${template} ${res.statusCode}`;
  seen.add(key);
  if (!doc.paths[template]?.[method.toLowerCase()]?.responses[String(res.statusCode)]) {
    failures.push(`${key}: status not documented`);
    return res;
  }
  const validate = validatorFor(template, method.toLowerCase(), res.statusCode);
  if (!validate(res.json())) failures.push(`${key}: ${ajv.errorsText(validate.errors)}`);
  return res;
}

describe('every REST response matches /openapi.json', () => {
  it('has validators that really reject a wrong body', () => {
    const list = validatorFor('/products', 'get', 200);
    expect(list({ success: true, message: 'OK', errors: [], meta: {} })).toBe(false);
    expect(
      list({
        success: true,
        data: [{ id: 'one' }],
        message: 'OK',
        errors: [],
        meta: { pagination: { page: 1, per_page: 20, total: 1, total_pages: 1 } },
      }),
    ).toBe(false);
    const error = validatorFor('/products/{id}', 'get', 404);
    expect(error({ message: 'Not found', code: 'NOT_FOUND' })).toBe(false);
  });

  it('holds across the whole API, successes and errors', async () => {
    // auth
    const reg = await call('POST', '/v1/auth/register', {
      body: {
        username: 'ann',
        email: 'ann@example.com',
        password: 'password123',
        first_name: 'Ann',
      },
    });
    expect(reg.statusCode).toBe(201);
    await call('POST', '/v1/auth/register', {
      body: { username: 'ann', email: 'ann@example.com', password: 'password123' },
    }); // 409
    await call('POST', '/v1/auth/register', { body: { username: '', email: 'x', password: '' } }); // 400
    const login = await call('POST', '/v1/auth/login', {
      body: { email: 'ann@example.com', password: 'password123' },
    });
    await call('POST', '/v1/auth/login', {
      body: { email: 'ann@example.com', password: 'wrong-password' },
    }); // 401
    const refreshed = await call('POST', '/v1/auth/refresh', {
      body: { refresh_token: login.json().data.tokens.refresh_token },
    });
    const token: string = refreshed.json().data.tokens.access_token;
    await call('POST', '/v1/auth/refresh', { body: { refresh_token: 'nope' } }); // 401

    // users
    await call('GET', '/v1/users/profile', { token });
    await call('GET', '/v1/users/profile'); // 401
    await call('PUT', '/v1/users/profile', { token, body: { city: 'Braga', last_name: 'Lee' } });
    await call('PUT', '/v1/users/profile', { token, body: { phone: 'letters' } }); // 400
    await call('GET', '/v1/users', { token }); // 403
    await t.db.db.update(users).set({ is_staff: true }).where(eq(users.email, 'ann@example.com'));
    await call('GET', '/v1/users?per_page=2', { token });
    const ann = reg.json().data.user.id as number;
    const bob = (
      await call('POST', '/v1/auth/register', {
        body: { username: 'bob', email: 'bob@example.com', password: 'password123' },
      })
    ).json().data.user.id as number;
    await call('GET', `/v1/users/${bob}`, { token });
    await call('GET', '/v1/users/999999', { token }); // 404
    await call('PUT', `/v1/users/${bob}`, { token, body: { is_active: false } });
    await call('PUT', `/v1/users/${bob}`, { token, body: { is_active: true, is_staff: true } });
    await call('PUT', `/v1/users/${bob}`, { token, body: { is_staff: 'yes' } }); // 400
    await call('PUT', `/v1/users/${ann}`, { token, body: { is_staff: false } }); // 409 yourself
    await call('PUT', '/v1/users/999999', { token, body: { is_active: true } }); // 404

    // categories
    const root = (
      await call('POST', '/v1/categories', { token, body: { name: 'Root', description: 'Top' } })
    ).json().data;
    const child = (
      await call('POST', '/v1/categories', { token, body: { name: 'Child', parent_id: root.id } })
    ).json().data;
    await call('POST', '/v1/categories', { token, body: { name: 'Dup', slug: root.slug } }); // 409
    await call('GET', '/v1/categories');
    await call('GET', '/v1/categories?tree=true');
    await call('GET', '/v1/categories?tree=maybe'); // 400
    await call('GET', `/v1/categories/${root.id}`);
    await call('GET', '/v1/categories/999999'); // 404
    await call('PUT', `/v1/categories/${root.id}`, { token, body: { name: 'Root renamed' } });
    await call('PUT', `/v1/categories/${root.id}`, { token, body: { parent_id: child.id } }); // 400 cycle

    // uploads (multipart), then attached to the product below
    const png = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#c84' } })
      .png()
      .toBuffer();
    const upload = (
      await call('POST', '/v1/uploads/images', { token, raw: multipartBody(png) })
    ).json().data;
    await call('POST', '/v1/uploads/images', {
      token,
      raw: multipartBody(Buffer.from('not an image')),
    }); // 415
    await call('POST', '/v1/uploads/images', { raw: multipartBody(png) }); // 401

    // products
    const product = (
      await call('POST', '/v1/products', {
        token,
        body: {
          name: 'Lamp',
          price: 19.9,
          category_id: child.id,
          stock_quantity: 3,
          images: [
            { image_url: upload.image_url, thumbnail_url: upload.thumbnail_url, alt_text: 'Lamp' },
          ],
        },
      })
    ).json().data;
    await call('POST', '/v1/products', {
      token,
      body: { name: 'Bad', price: '1.999', category_id: child.id },
    }); // 400
    await call('POST', '/v1/products', {
      body: { name: 'Anon', price: '1', category_id: child.id },
    }); // 401
    await call(
      'GET',
      `/v1/products?category_id=${root.id}&in_stock=true&sort=price_asc&per_page=5`,
    );
    await call('GET', '/v1/products?per_page=500'); // 400
    await call('GET', `/v1/products/${product.id}`);
    await call('GET', '/v1/products/999999'); // 404

    // selling: shipping methods, a guest's cart, checkout and the order's life
    const method = (
      await call('POST', '/v1/shipping-methods', { token, body: { name: 'Courier', price: '5' } })
    ).json().data;
    await call('POST', '/v1/shipping-methods', { token, body: { name: '', price: '-1' } }); // 400
    await call('GET', '/v1/shipping-methods');
    await call('PUT', `/v1/shipping-methods/${method.id}`, { token, body: { price: '4.50' } });
    const spare = (
      await call('POST', '/v1/shipping-methods', { token, body: { name: 'Spare', price: 0 } })
    ).json().data;
    await call('DELETE', `/v1/shipping-methods/${spare.id}`, { token });
    await call('GET', '/v1/cart');
    const added = (
      await call('POST', '/v1/cart/items', { body: { product_id: product.id, quantity: 1 } })
    ).json().data;
    const cart = { headers: { 'x-cart-token': added.cart_token as string } };
    await call('POST', '/v1/cart/items', {
      ...cart,
      body: { product_id: product.id, quantity: 99 },
    }); // 409 OUT_OF_STOCK
    await call('PUT', `/v1/cart/items/${product.id}`, { ...cart, body: { quantity: 2 } });
    await call('GET', '/v1/cart', cart);
    const checkout = (shipping_method_id: number) => ({
      ...cart,
      body: {
        email: 'guest@example.com',
        shipping_address: {
          full_name: 'Ann Lee',
          line1: '1 Main St',
          city: 'Braga',
          postal_code: '4700-001',
          country: 'PT',
        },
        shipping_method_id,
      },
    });
    await call('POST', '/v1/orders', checkout(999_999)); // 400 SHIPPING_METHOD_NOT_FOUND
    const placed = (await call('POST', '/v1/orders', checkout(method.id))).json().data;
    await call('POST', '/v1/orders', checkout(method.id)); // 409 CART_EMPTY
    const guest = { headers: { 'x-order-token': placed.order_token as string } };
    await call('GET', `/v1/orders/${placed.id}`, guest);
    await call('GET', `/v1/orders/${placed.id}`); // 404 without the order token
    await call('GET', '/v1/orders?status=pending_payment', { token });
    await call('GET', '/v1/orders'); // 401
    await call('POST', `/v1/orders/${placed.id}/ship`, { token, body: {} }); // 409 INVALID_TRANSITION
    await call('POST', `/v1/orders/${placed.id}/pay`, { token, body: { note: 'Transfer in' } });
    await call('POST', `/v1/orders/${placed.id}/ship`, { token, body: { tracking_number: 'T1' } });
    await call('POST', `/v1/orders/${placed.id}/deliver`, { token, body: {} });
    await call('POST', `/v1/orders/${placed.id}/refund`, { token, body: {} });
    await call('POST', '/v1/cart/items', {
      ...cart,
      body: { product_id: product.id, quantity: 1 },
    });
    await call('DELETE', `/v1/cart/items/${product.id}`, cart);
    await call('POST', '/v1/cart/items', {
      ...cart,
      body: { product_id: product.id, quantity: 1 },
    });
    const second = (await call('POST', '/v1/orders', checkout(method.id))).json().data;
    await call('POST', `/v1/orders/${second.id}/cancel`, {
      headers: { 'x-order-token': second.order_token as string },
      body: {},
    });
    await call('DELETE', '/v1/cart', cart);
    await call('PUT', `/v1/products/${product.id}`, {
      token,
      body: { price: '21.00', is_active: false },
    });
    await call('DELETE', `/v1/categories/${child.id}`, { token }); // 409 not empty
    await call('DELETE', `/v1/products/${product.id}`, { token });
    await call('DELETE', `/v1/categories/${child.id}`, { token });

    // shop and dashboard
    await call('GET', '/v1/shop');
    await call('GET', '/v1/dashboard', { token });
    await call('GET', '/v1/dashboard'); // 401

    // API keys: created (its secret once), used by a third party, listed, revoked
    const key = (
      await call('POST', '/v1/api-keys', { token, body: { name: 'ERP', scopes: ['catalog:read'] } })
    ).json().data as { id: number; secret: string };
    await call('POST', '/v1/api-keys', { token, body: { name: '', scopes: ['users:read'] } }); // 400
    await call('GET', '/v1/products', { headers: { 'x-api-key': key.secret } });
    await call('GET', '/v1/dashboard', { headers: { 'x-api-key': key.secret } }); // 403 scope
    await call('GET', '/v1/api-keys', { token });
    await call('POST', `/v1/api-keys/${key.id}/revoke`, { token, body: {} });
    await call('POST', '/v1/api-keys/999999/revoke', { token, body: {} }); // 404
    await call('GET', '/v1/shop', { headers: { 'x-api-key': key.secret } }); // 401 revoked

    // Idempotency-Key: a replay, then the key reused with another body (422)
    const keyed = { token, headers: { 'idempotency-key': 'conformance-key' } };
    await call('POST', '/v1/categories', { ...keyed, body: { name: 'Keyed' } });
    await call('POST', '/v1/categories', { ...keyed, body: { name: 'Keyed' } });
    await call('POST', '/v1/categories', { ...keyed, body: { name: 'Keyed again' } }); // 422

    // the account's emailed links and changes
    await call('POST', '/v1/auth/password-reset', { body: { email: 'ann@example.com' } });
    await call('POST', '/v1/auth/verify-email/resend', { token, body: {} });
    const verification = await emailedLink('email_verification', 'ann@example.com');
    await call('POST', '/v1/auth/verify-email', { body: { token: verification } });
    await call('POST', '/v1/auth/verify-email', { body: { token: verification } }); // 400, used
    const change = { new_email: 'ann.next@example.com', current_password: 'password123' };
    await call('POST', '/v1/users/profile/email', { token, body: change });
    await call('POST', '/v1/users/profile/email', {
      token,
      body: { ...change, current_password: 'wrong-password' },
    }); // 400
    const moved = await emailedLink('email_change', 'ann.next@example.com');
    await call('POST', '/v1/auth/email-change/confirm', { body: { token: moved } });
    const password = { current_password: 'password123', new_password: 'password456' };
    await call('POST', '/v1/users/profile/password', { token, body: password });

    // the job queue: a variants job whose original is not an image fails every try
    const failingKey = randomBytes(16).toString('hex');
    const images = createImageStorage(t.config.storage, t.config.uploads);
    await images.put(`${failingKey}.png`, Buffer.from('not an image'), 'image/png');
    await t.jobs!().enqueue(makeImageVariants, { key: failingKey, extension: 'png' });
    const failed = await vi.waitFor(
      async () => {
        const overview = (await call('GET', '/v1/jobs', { token })).json().data;
        const job = overview.failed.find(
          (found: { payload: { key?: string } | null }) => found.payload?.key === failingKey,
        );
        expect(job).toBeDefined();
        return job as { id: string };
      },
      { timeout: 20_000, interval: 25 },
    );
    await call('GET', '/v1/jobs?limit=0', { token }); // 400
    await call('POST', `/v1/jobs/failed/${failed.id}/retry`, { token, body: {} });
    await call('POST', '/v1/jobs/failed/no-such-job/retry', { token, body: {} }); // 404

    // logout last: it ends the session
    await call('POST', '/v1/auth/logout', { token, body: {} });
    // a reset ends every session, so after it
    const reset = await emailedLink('password_reset', 'ann.next@example.com');
    await call('POST', '/v1/auth/password-reset/confirm', {
      body: { token: reset, password: 'password789' },
    });

    expect(failures).toEqual([]);
  });

  it('exercised every documented operation at least once with success', () => {
    const succeeded = new Set(
      [...seen].filter((key) => / 20[01]$/.test(key)).map((key) => key.replace(/ \d+$/, '')),
    );
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops)
        .filter((method) => ['get', 'post', 'put', 'delete', 'patch'].includes(method))
        .map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(documented.length).toBeGreaterThanOrEqual(17);
    expect(documented.filter((op) => !succeeded.has(op))).toEqual([]);
  });
});
