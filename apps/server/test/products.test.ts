import { productImages } from '@buybuy/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestApp, type TestApp, trpcFailure } from './harness';

let t: TestApp;
let admin: string;
let customer: string;

const post = async (path: string, body: Record<string, unknown>) => {
  const res = await t.rest('POST', path, { token: admin, body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().data as { id: number; name: string };
};
const fieldsOf = (body: { errors: { field: string | null }[] }) => body.errors.map((e) => e.field);

/** The catalog every list test reads (this file's own database). */
const ids = {} as Record<
  | 'root'
  | 'child'
  | 'grandchild'
  | 'other'
  | 'hiddenCategory'
  | 'alpha'
  | 'beta'
  | 'gamma'
  | 'delta'
  | 'inactive'
  | 'inHidden',
  number
>;
beforeAll(async () => {
  t = await startTestApp();
  admin = await t.tokenFor('prodadmin', { admin: true });
  customer = await t.tokenFor('prodcustomer');

  ids.root = (await post('/v1/categories', { name: 'Root' })).id;
  ids.child = (await post('/v1/categories', { name: 'Child', parent_id: ids.root })).id;
  ids.grandchild = (await post('/v1/categories', { name: 'Grandchild', parent_id: ids.child })).id;
  ids.other = (await post('/v1/categories', { name: 'Other' })).id;
  ids.hiddenCategory = (await post('/v1/categories', { name: 'Hidden', is_active: false })).id;

  const product = (
    name: string,
    price: string,
    category: keyof typeof ids,
    extra: Record<string, unknown> = {},
  ) => post('/v1/products', { name, price, category_id: ids[category], ...extra });
  ids.alpha = (await product('Alpha Widget', '10.00', 'root', { stock_quantity: 5 })).id;
  ids.beta = (await product('Beta Gadget', '25.50', 'child')).id;
  ids.gamma = (
    await product('Gamma Gizmo', '5.25', 'grandchild', {
      stock_quantity: 2,
      description: 'Now 50% off_today \\ only',
    })
  ).id;
  ids.delta = (await product('Delta Thing', '99.99', 'other')).id;
  ids.inactive = (
    await product('Inactive Product', '1.00', 'root', { is_active: false, stock_quantity: 1 })
  ).id;
  ids.inHidden = (
    await product('In Hidden Category', '2.00', 'hiddenCategory', { stock_quantity: 1 })
  ).id;
});
afterAll(() => t.close());

type ListBody = {
  data: { id: number; name: string; price: string }[];
  meta: { pagination: Record<string, number> };
};
const listNames = async (query: string, token?: string) => {
  const res = await t.rest('GET', `/v1/products${query}`, { token });
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as ListBody).data.map((p) => p.name);
};

describe('POST /v1/products', () => {
  it('creates with 201, normalises the price and returns the byId shape', async () => {
    const res = await t.rest('POST', '/v1/products', {
      token: admin,
      body: {
        name: 'Lamp',
        price: 19.9,
        category_id: ids.other,
        stock_quantity: 3,
        images: [
          { image_url: 'https://img.example/side.jpg', alt_text: 'Side' },
          { image_url: 'https://img.example/front.jpg', is_primary: true },
        ],
      },
    });
    expect(res.statusCode).toBe(201);
    const data = res.json().data;
    expect(data).toMatchObject({
      name: 'Lamp',
      price: '19.90',
      stock_quantity: 3,
      is_active: true,
      description: null,
      category: { id: ids.other, name: 'Other', slug: 'other' },
    });
    expect(
      data.images.map((i: { image_url: string; is_primary: boolean }) => [
        i.image_url,
        i.is_primary,
      ]),
    ).toEqual([
      ['https://img.example/front.jpg', true],
      ['https://img.example/side.jpg', false],
    ]);
    expect(data.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    await t.trpc(admin).products.delete.mutate({ id: data.id });
  });

  it('reads money exactly and refuses bad amounts on the price field', async () => {
    const priceOf = async (price: unknown) =>
      t.rest('POST', '/v1/products', {
        token: admin,
        body: { name: 'Priced', price, category_id: ids.other, is_active: false },
      });
    for (const [input, stored] of [
      ['1', '1.00'],
      ['0.5', '0.50'],
      [7, '7.00'],
      ['9999999999.99', '9999999999.99'],
    ] as const) {
      const res = await priceOf(input);
      expect(res.statusCode).toBe(201);
      expect(res.json().data.price).toBe(stored);
      await t.rest('DELETE', `/v1/products/${res.json().data.id}`, { token: admin });
    }
    for (const bad of ['1.999', -1, '-1', 'abc', 12345678901, '', null, '1e3', 'NaN', true]) {
      const res = await priceOf(bad);
      expect(res.statusCode, `price ${JSON.stringify(bad)}`).toBe(400);
      expect(fieldsOf(res.json())).toEqual(['price']);
    }
  });

  it('gives field errors with dot paths for nested input', async () => {
    const res = await t.rest('POST', '/v1/products', {
      token: admin,
      body: {
        name: 'Bad',
        price: '1.00',
        category_id: ids.other,
        stock_quantity: -1,
        images: [{ image_url: 'not a url' }, { image_url: 'javascript:alert(1)' }],
      },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ success: false, data: null });
    expect(fieldsOf(res.json())).toEqual(
      expect.arrayContaining(['stock_quantity', 'images.0.image_url', 'images.1.image_url']),
    );

    for (const stock of [1.5, 2 ** 31 + 1, '3', null, true]) {
      const bad = await t.rest('POST', '/v1/products', {
        token: admin,
        body: { name: 'S', price: 1, category_id: ids.other, stock_quantity: stock },
      });
      expect(bad.statusCode, `stock ${JSON.stringify(stock)}`).toBe(400);
      expect(fieldsOf(bad.json())).toEqual(['stock_quantity']);
    }
  });

  it('refuses two primary images and an unknown category as field errors', async () => {
    const twice = await t.rest('POST', '/v1/products', {
      token: admin,
      body: {
        name: 'Two primaries',
        price: '1.00',
        category_id: ids.other,
        images: [
          { image_url: 'https://img.example/1.jpg', is_primary: true },
          { image_url: 'https://img.example/2.jpg', is_primary: true },
        ],
      },
    });
    expect(twice.statusCode).toBe(400);
    expect(twice.json().errors).toEqual([
      expect.objectContaining({ field: 'images.1.is_primary' }),
    ]);

    const lost = await t.rest('POST', '/v1/products', {
      token: admin,
      body: { name: 'Lost', price: '1.00', category_id: 999999 },
    });
    expect(lost.statusCode).toBe(400);
    expect(lost.json().errors).toEqual([
      expect.objectContaining({ field: 'category_id', code: 'CATEGORY_NOT_FOUND' }),
    ]);
    expect(await listNames('?search=Two+primaries&include_inactive=true', admin)).toEqual([]);
  });

  it('creates through tRPC with the same rules', async () => {
    const created = await t.trpc(admin).products.create.mutate({
      name: 'Via tRPC',
      price: '3.5',
      category_id: ids.other,
      is_active: false,
    });
    expect(created).toMatchObject({ price: '3.50', is_active: false, images: [] });
    expect(
      await trpcFailure(
        t.trpc(admin).products.create.mutate({ name: 'x', price: '1.001', category_id: ids.other }),
      ),
    ).toMatchObject({
      code: 'VALIDATION',
      errors: [expect.objectContaining({ field: 'price' })],
    });
    await t.trpc(admin).products.delete.mutate({ id: created.id });
  });
});

describe('GET /v1/products/{id}', () => {
  it('returns the product with its category and images, primary first', async () => {
    const res = await t.rest('GET', `/v1/products/${ids.gamma}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().data).toMatchObject({
      name: 'Gamma Gizmo',
      price: '5.25',
      category: { id: ids.grandchild, slug: 'grandchild' },
      images: [],
    });
    const viaTrpc = await t.trpc().products.byId.query({ id: ids.gamma });
    expect(viaTrpc.category.name).toBe('Grandchild');
  });

  it('hides inactive products and products of inactive categories from the public, not from admins', async () => {
    for (const id of [ids.inactive, ids.inHidden]) {
      expect((await t.rest('GET', `/v1/products/${id}`)).statusCode).toBe(404);
      expect((await t.rest('GET', `/v1/products/${id}`, { token: customer })).statusCode).toBe(404);
      expect((await t.rest('GET', `/v1/products/${id}`, { token: admin })).statusCode).toBe(200);
    }
    expect(await trpcFailure(t.trpc().products.byId.query({ id: ids.inactive! }))).toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('answers 404 for unknown ids and 400 for malformed ones', async () => {
    const res = await t.rest('GET', '/v1/products/999999');
    expect(res.statusCode).toBe(404);
    expect(res.json().errors[0].code).toBe('NOT_FOUND');
    for (const id of ['abc', '0', "1' OR '1'='1", '1;DROP TABLE products']) {
      expect((await t.rest('GET', `/v1/products/${encodeURIComponent(id)}`)).statusCode).toBe(400);
    }
  });
});

describe('GET /v1/products', () => {
  it('pages with meta.pagination on REST and {items, pagination} on tRPC, with or without a trailing slash', async () => {
    for (const path of ['/v1/products?per_page=3', '/v1/products/?per_page=3']) {
      const res = await t.rest('GET', path);
      expect(res.statusCode).toBe(200);
      const body = res.json() as ListBody;
      expect(body.meta.pagination).toEqual({ page: 1, per_page: 3, total: 4, total_pages: 2 });
      expect(body.data).toHaveLength(3);
    }
    const second = (await t.rest('GET', '/v1/products?per_page=3&page=2')).json() as ListBody;
    expect(second.data).toHaveLength(1);
    const beyond = (await t.rest('GET', '/v1/products?page=9')).json() as ListBody;
    expect(beyond.data).toEqual([]);

    const viaTrpc = await t.trpc().products.list.query({ per_page: 2 });
    expect(viaTrpc.pagination).toEqual({ page: 1, per_page: 2, total: 4, total_pages: 2 });
    expect(viaTrpc.items[0]).toMatchObject({
      category: { id: expect.any(Number) },
      primary_image: null,
    });
  });

  it('defaults to newest first and sorts by price and name', async () => {
    expect(await listNames('')).toEqual([
      'Delta Thing',
      'Gamma Gizmo',
      'Beta Gadget',
      'Alpha Widget',
    ]);
    expect(await listNames('?sort=newest')).toEqual([
      'Delta Thing',
      'Gamma Gizmo',
      'Beta Gadget',
      'Alpha Widget',
    ]);
    expect(await listNames('?sort=price_asc')).toEqual([
      'Gamma Gizmo',
      'Alpha Widget',
      'Beta Gadget',
      'Delta Thing',
    ]);
    expect(await listNames('?sort=price_desc')).toEqual([
      'Delta Thing',
      'Beta Gadget',
      'Alpha Widget',
      'Gamma Gizmo',
    ]);
    expect(await listNames('?sort=name')).toEqual([
      'Alpha Widget',
      'Beta Gadget',
      'Delta Thing',
      'Gamma Gizmo',
    ]);
  });

  it('filters a category with all its descendants', async () => {
    expect(await listNames(`?category_id=${ids.root}&sort=name`)).toEqual([
      'Alpha Widget',
      'Beta Gadget',
      'Gamma Gizmo',
    ]);
    expect(await listNames(`?category_id=${ids.child}&sort=name`)).toEqual([
      'Beta Gadget',
      'Gamma Gizmo',
    ]);
    expect(await listNames(`?category_id=${ids.grandchild}`)).toEqual(['Gamma Gizmo']);
    const unknown = await t.rest('GET', '/v1/products?category_id=999999');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors[0]).toMatchObject({
      field: 'category_id',
      code: 'CATEGORY_NOT_FOUND',
    });
    expect((await t.rest('GET', `/v1/products?category_id=${ids.hiddenCategory}`)).statusCode).toBe(
      400,
    );
    expect(
      await listNames(`?category_id=${ids.hiddenCategory}&include_inactive=true`, admin),
    ).toEqual(['In Hidden Category']);
  });

  it('filters by price range, exactly at the bounds', async () => {
    expect(await listNames('?min_price=10&max_price=25.50&sort=price_asc')).toEqual([
      'Alpha Widget',
      'Beta Gadget',
    ]);
    expect(await listNames('?min_price=99.99')).toEqual(['Delta Thing']);
    expect(await listNames('?max_price=5.24')).toEqual([]);
    const inverted = await t.rest('GET', '/v1/products?min_price=20&max_price=10');
    expect(inverted.statusCode).toBe(400);
    expect(fieldsOf(inverted.json())).toEqual(['min_price']);
    for (const bad of ['1.999', '-1', 'abc', '12345678901']) {
      const res = await t.rest('GET', `/v1/products?min_price=${bad}`);
      expect(res.statusCode, bad).toBe(400);
      expect(fieldsOf(res.json())).toEqual(['min_price']);
    }
  });

  it('reads in_stock literally: true/1 and false/0, anything else is a 400', async () => {
    for (const flag of ['true', '1'])
      expect(await listNames(`?in_stock=${flag}&sort=name`)).toEqual([
        'Alpha Widget',
        'Gamma Gizmo',
      ]);
    for (const flag of ['false', '0'])
      expect(await listNames(`?in_stock=${flag}&sort=name`)).toEqual([
        'Beta Gadget',
        'Delta Thing',
      ]);
    const maybe = await t.rest('GET', '/v1/products?in_stock=maybe');
    expect(maybe.statusCode).toBe(400);
    expect(maybe.json().errors[0]).toMatchObject({ field: 'in_stock', code: 'VALIDATION' });
    const viaTrpc = await t.trpc().products.list.query({ in_stock: false, sort: 'name' });
    expect(viaTrpc.items.map((p) => p.name)).toEqual(['Beta Gadget', 'Delta Thing']);
  });

  it('shows inactive products to admins who ask, and 403 to anyone else who asks', async () => {
    expect(await listNames('?sort=name')).not.toContain('Inactive Product');
    const all = await listNames('?include_inactive=true&sort=name', admin);
    expect(all).toEqual(expect.arrayContaining(['Inactive Product', 'In Hidden Category']));
    expect(all).toHaveLength(6);
    expect(await listNames('?sort=name', admin)).toHaveLength(4);
    expect((await t.rest('GET', '/v1/products?include_inactive=true')).statusCode).toBe(403);
    expect(
      (await t.rest('GET', '/v1/products?include_inactive=1', { token: customer })).statusCode,
    ).toBe(403);
    expect(
      await trpcFailure(t.trpc(customer).products.list.query({ include_inactive: true })),
    ).toMatchObject({ code: 'FORBIDDEN', httpStatus: 403 });
  });

  it('searches name and description, taking %, _ and \\ literally', async () => {
    expect(await listNames('?search=gadget')).toEqual(['Beta Gadget']);
    expect(await listNames(`?search=${encodeURIComponent('50%')}`)).toEqual(['Gamma Gizmo']);
    expect(await listNames(`?search=${encodeURIComponent('%')}`)).toEqual(['Gamma Gizmo']);
    expect(await listNames(`?search=${encodeURIComponent('_')}`)).toEqual(['Gamma Gizmo']);
    expect(await listNames(`?search=${encodeURIComponent('\\')}`)).toEqual(['Gamma Gizmo']);
    expect(await listNames(`?search=${encodeURIComponent("' OR 1=1 --")}`)).toEqual([]);
    expect(await listNames(`?search=${encodeURIComponent('") OR ("1"="1')}`)).toEqual([]);
    expect((await t.rest('GET', `/v1/products?search=${'x'.repeat(101)}`)).statusCode).toBe(400);
  });

  it("searches the product's own category name too, on both faces", async () => {
    expect(await listNames('?search=grandchild')).toEqual(['Gamma Gizmo']);
    // "Child" is in two names: each finds its own products, never its descendants' or ancestors'.
    expect(await listNames('?search=child&sort=name')).toEqual(['Beta Gadget', 'Gamma Gizmo']);
    expect(await listNames('?search=ROOT')).toEqual(['Alpha Widget']);
    expect(await listNames('?search=hidden')).toEqual([]);
    expect(await listNames('?search=hidden&include_inactive=true', admin)).toEqual([
      'In Hidden Category',
    ]);
    const viaTrpc = await t.trpc().products.list.query({ search: 'other' });
    expect(viaTrpc.items.map((p) => [p.name, p.category.name])).toEqual([['Delta Thing', 'Other']]);
    expect(viaTrpc.pagination.total).toBe(1);
  });

  it('answers 400, never 500, to hostile or out-of-range values in every filter', async () => {
    const hostile = [
      "' OR 1=1 --",
      '1; DROP TABLE products',
      '%',
      '_',
      '\\',
      '1 OR 1',
      '-1',
      '1.5.1',
    ];
    for (const key of [
      'page',
      'per_page',
      'category_id',
      'min_price',
      'max_price',
      'in_stock',
      'sort',
      'include_inactive',
    ]) {
      for (const value of hostile) {
        const res = await t.rest('GET', `/v1/products?${key}=${encodeURIComponent(value)}`, {
          token: admin,
        });
        expect(res.statusCode, `${key}=${value}`).toBe(400);
        expect(fieldsOf(res.json()), `${key}=${value}`).toEqual([key]);
      }
    }
    for (const query of [
      'per_page=0',
      'per_page=101',
      'page=0',
      'page=1.5',
      'sort=cheapest',
      'sort=price_asc&sort=name',
    ]) {
      expect((await t.rest('GET', `/v1/products?${query}`)).statusCode, query).toBe(400);
    }
    const unknownKey = await t.rest('GET', '/v1/products?colour=red');
    expect(unknownKey.statusCode).toBe(400);
    expect(unknownKey.json().errors[0].message).toContain('colour');
  });
});

describe('PUT /v1/products/{id}', () => {
  it('updates only the fields given, and images replace the set', async () => {
    const created = await post('/v1/products', {
      name: 'Desk',
      price: '100',
      category_id: ids.other,
      is_active: false,
      images: [{ image_url: 'https://img.example/old.jpg' }],
    });
    const priced = await t.rest('PUT', `/v1/products/${created.id}`, {
      token: admin,
      body: { price: '89.5', stock_quantity: 4 },
    });
    expect(priced.statusCode).toBe(200);
    expect(priced.json().data).toMatchObject({
      name: 'Desk',
      price: '89.50',
      stock_quantity: 4,
      is_active: false,
    });
    expect(priced.json().data.images.map((i: { image_url: string }) => i.image_url)).toEqual([
      'https://img.example/old.jpg',
    ]);

    const replaced = await t.trpc(admin).products.update.mutate({
      id: created.id,
      images: [
        { image_url: 'https://img.example/a.jpg' },
        { image_url: 'https://img.example/b.jpg', is_primary: true },
      ],
    });
    expect(replaced.images.map((i) => [i.image_url, i.is_primary, i.position])).toEqual([
      ['https://img.example/b.jpg', true, 1],
      ['https://img.example/a.jpg', false, 0],
    ]);
    const rows = await t.db.db
      .select()
      .from(productImages)
      .where(eq(productImages.product_id, created.id));
    expect(rows).toHaveLength(2);

    const bad = await t.rest('PUT', `/v1/products/${created.id}`, {
      token: admin,
      body: { price: 'free', category_id: 999999 },
    });
    expect(bad.statusCode).toBe(400);
    expect(fieldsOf(bad.json())).toEqual(['price']);
    const lost = await t.rest('PUT', `/v1/products/${created.id}`, {
      token: admin,
      body: { category_id: 999999 },
    });
    expect(lost.json().errors[0]).toMatchObject({
      field: 'category_id',
      code: 'CATEGORY_NOT_FOUND',
    });
  });

  it('answers 404 for unknown ids, 401/403 for non-admins', async () => {
    expect(
      (await t.rest('PUT', '/v1/products/999999', { token: admin, body: { name: 'x' } }))
        .statusCode,
    ).toBe(404);
    expect(
      (await t.rest('PUT', `/v1/products/${ids.alpha}`, { body: { name: 'x' } })).statusCode,
    ).toBe(401);
    expect(
      (await t.rest('PUT', `/v1/products/${ids.alpha}`, { token: customer, body: { name: 'x' } }))
        .statusCode,
    ).toBe(403);
    expect((await t.rest('GET', `/v1/products/${ids.alpha}`)).json().data.name).toBe(
      'Alpha Widget',
    );
  });
});

describe('DELETE /v1/products/{id}', () => {
  it('deletes the product and its images', async () => {
    const created = await post('/v1/products', {
      name: 'Doomed',
      price: '1',
      category_id: ids.other,
      images: [
        { image_url: 'https://img.example/x.jpg' },
        { image_url: 'https://img.example/y.jpg' },
      ],
    });
    expect((await t.rest('DELETE', `/v1/products/${created.id}`)).statusCode).toBe(401);
    expect(
      (await t.rest('DELETE', `/v1/products/${created.id}`, { token: customer })).statusCode,
    ).toBe(403);
    expect(
      await t.db.db.select().from(productImages).where(eq(productImages.product_id, created.id)),
    ).toHaveLength(2);

    const res = await t.rest('DELETE', `/v1/products/${created.id}`, { token: admin });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ success: true, data: null });
    expect(
      await t.db.db.select().from(productImages).where(eq(productImages.product_id, created.id)),
    ).toEqual([]);
    expect((await t.rest('GET', `/v1/products/${created.id}`, { token: admin })).statusCode).toBe(
      404,
    );
    expect(
      (await t.rest('DELETE', `/v1/products/${created.id}`, { token: admin })).statusCode,
    ).toBe(404);
    expect(
      await trpcFailure(t.trpc(admin).products.delete.mutate({ id: created.id })),
    ).toMatchObject({ code: 'NOT_FOUND' });
  });
});
