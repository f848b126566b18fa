import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestApp, type TestApp } from './harness';

type CacheEvent = 'hit' | 'miss' | 'error';

/**
 * Two instances of one deployment (same database, same Redis, same key
 * prefix): A serves the public, B is where the admin writes. Whatever B
 * changes, A's very next read shows it.
 */
let a: TestApp;
let b: TestApp;
let admin: string;
let statementsOnA = 0;
const eventsOnA: Array<[CacheEvent, string]> = [];
const hitsOnA = () => eventsOnA.filter(([event]) => event === 'hit').length;

const ids = {} as Record<'parent' | 'otherParent' | 'child' | 'lamp' | 'chair', number>;

async function write(method: string, path: string, body?: Record<string, unknown>) {
  const res = await b.rest(method, path, { token: admin, body });
  expect(res.statusCode, res.body).toBeLessThan(300);
  return res.json().data as { id: number };
}
async function read(path: string) {
  const res = await a.rest('GET', path);
  return { status: res.statusCode, body: res.json() as { data: unknown; meta: unknown } };
}
const productNames = async (query: string) =>
  ((await read(`/v1/products${query}`)).body.data as Array<{ name: string }>).map((p) => p.name);

beforeAll(async () => {
  a = await startTestApp(
    {},
    {
      onStatement: () => void (statementsOnA += 1),
      onCacheEvent: (event, name) => void eventsOnA.push([event, name]),
    },
  );
  b = await startTestApp({}, { sharedWith: a });
  admin = await b.tokenFor('cacheadmin', { admin: true });
  ids.parent = (await write('POST', '/v1/categories', { name: 'Furniture' })).id;
  ids.otherParent = (await write('POST', '/v1/categories', { name: 'Outdoor' })).id;
  ids.child = (await write('POST', '/v1/categories', { name: 'Chairs', parent_id: ids.parent })).id;
  ids.lamp = (
    await write('POST', '/v1/products', { name: 'Lamp', price: '20.00', category_id: ids.parent })
  ).id;
  ids.chair = (
    await write('POST', '/v1/products', { name: 'Chair', price: '45.00', category_id: ids.child })
  ).id;
});
afterAll(async () => {
  await b?.close();
  await a?.close();
});

describe('the catalog cache through the app', () => {
  it('serves a repeated public read without touching the database', async () => {
    const first = await read('/v1/products?sort=name');
    expect(first.status).toBe(200);
    const hits = hitsOnA();
    statementsOnA = 0;
    const second = await read('/v1/products?sort=name');
    expect(second.body).toEqual(first.body);
    expect(statementsOnA).toBe(0);
    expect(hitsOnA()).toBe(hits + 1);
    // The tRPC face reads the same entry.
    expect((await a.trpc().products.list.query({ sort: 'name' })).items).toHaveLength(2);
    expect(statementsOnA).toBe(0);
  });

  it('collapses concurrent misses on one instance into one load', async () => {
    await read('/v1/products?search=lam'); // measures one uncached load of this page
    await write('PUT', `/v1/products/${ids.lamp}`, { stock_quantity: 3 }); // new generation
    statementsOnA = 0;
    await read('/v1/products?search=lam');
    const oneLoad = statementsOnA;
    expect(oneLoad).toBeGreaterThan(0);

    await write('PUT', `/v1/products/${ids.lamp}`, { stock_quantity: 4 });
    statementsOnA = 0;
    const pages = await Promise.all(
      Array.from({ length: 20 }, () => a.rest('GET', '/v1/products?search=lam')),
    );
    expect(pages.every((res) => res.statusCode === 200)).toBe(true);
    expect(new Set(pages.map((res) => res.body)).size).toBe(1);
    expect(statementsOnA).toBe(oneLoad);
  });

  it('shows a price change made on another instance at once', async () => {
    const price = async () =>
      ((await read(`/v1/products/${ids.lamp}`)).body.data as { price: string }).price;
    const listed = async () =>
      (await a.trpc().products.list.query({ search: 'Lamp' })).items[0]!.price;
    expect([await price(), await price(), await listed(), await listed()]).toEqual([
      '20.00',
      '20.00',
      '20.00',
      '20.00',
    ]);
    await write('PUT', `/v1/products/${ids.lamp}`, { price: '17.50' });
    expect(await price()).toBe('17.50');
    expect(await listed()).toBe('17.50');
  });

  it('follows a category move in the parent listings', async () => {
    expect(await productNames(`?category_id=${ids.parent}&sort=name`)).toEqual(['Chair', 'Lamp']);
    expect(await productNames(`?category_id=${ids.otherParent}`)).toEqual([]);
    await write('PUT', `/v1/categories/${ids.child}`, { parent_id: ids.otherParent });
    expect(await productNames(`?category_id=${ids.parent}&sort=name`)).toEqual(['Lamp']);
    expect(await productNames(`?category_id=${ids.otherParent}`)).toEqual(['Chair']);
    const tree = (await a.trpc().categories.list.query({ tree: true })).map((root) => [
      root.name,
      root.children?.map((child) => child.name),
    ]);
    expect(tree).toEqual([
      ['Furniture', []],
      ['Outdoor', ['Chairs']],
    ]);
    await write('PUT', `/v1/categories/${ids.child}`, { parent_id: ids.parent });
    expect(await productNames(`?category_id=${ids.otherParent}`)).toEqual([]);
  });

  it('hides a deactivated product and a deactivated category at once', async () => {
    expect((await read(`/v1/products/${ids.chair}`)).status).toBe(200);
    expect(await productNames('?sort=name')).toEqual(['Chair', 'Lamp']);
    await write('PUT', `/v1/products/${ids.chair}`, { is_active: false });
    expect((await read(`/v1/products/${ids.chair}`)).status).toBe(404);
    expect(await productNames('?sort=name')).toEqual(['Lamp']);
    await write('PUT', `/v1/products/${ids.chair}`, { is_active: true });

    expect((await read(`/v1/categories/${ids.child}`)).status).toBe(200);
    await write('PUT', `/v1/categories/${ids.child}`, { is_active: false });
    expect((await read(`/v1/categories/${ids.child}`)).status).toBe(404);
    expect(await productNames('?sort=name')).toEqual(['Lamp']);
    const names = (await a.trpc().categories.list.query({})).map((category) => category.name);
    expect(names).toEqual(['Furniture', 'Outdoor']);
    await write('PUT', `/v1/categories/${ids.child}`, { is_active: true });
    expect(await productNames('?sort=name')).toEqual(['Chair', 'Lamp']);
  });

  it('shows creations, renames and deletes at once', async () => {
    const categoryName = async () =>
      ((await read(`/v1/categories/${ids.otherParent}`)).body.data as { name: string }).name;
    expect(await categoryName()).toBe('Outdoor');
    await write('PUT', `/v1/categories/${ids.otherParent}`, { name: 'Garden' });
    expect(await categoryName()).toBe('Garden');

    const stool = await write('POST', '/v1/products', {
      name: 'Stool',
      price: '9.00',
      category_id: ids.otherParent,
    });
    expect(await productNames(`?category_id=${ids.otherParent}`)).toEqual(['Stool']);
    expect((await read(`/v1/products/${stool.id}`)).status).toBe(200);
    await write('DELETE', `/v1/products/${stool.id}`);
    expect((await read(`/v1/products/${stool.id}`)).status).toBe(404);
    expect(await productNames(`?category_id=${ids.otherParent}`)).toEqual([]);
  });

  it('never serves what only an admin may see to the public', async () => {
    await write('PUT', `/v1/products/${ids.chair}`, { is_active: false });
    const asAdmin = await a.rest('GET', `/v1/products/${ids.chair}`, { token: admin });
    expect(asAdmin.statusCode).toBe(200);
    const adminList = await a.rest('GET', '/v1/products?include_inactive=true', { token: admin });
    expect((adminList.json().data as unknown[]).length).toBe(2);
    expect((await read(`/v1/products/${ids.chair}`)).status).toBe(404);
    expect(await productNames('')).toEqual(['Lamp']);
    await write('PUT', `/v1/products/${ids.chair}`, { is_active: true });
  });
});

describe('the in-process cache (no Redis)', () => {
  let solo: TestApp;
  let token: string;
  let statements = 0;
  beforeAll(async () => {
    solo = await startTestApp({}, { redis: false, onStatement: () => void (statements += 1) });
    token = await solo.tokenFor('soloadmin', { admin: true });
  });
  afterAll(() => solo?.close());

  it('caches, and is exact after writes through the same instance', async () => {
    const send = (method: string, path: string, body?: Record<string, unknown>) =>
      solo.rest(method, path, { token, body });
    const category = (await send('POST', '/v1/categories', { name: 'Solo' })).json().data;
    const product = (
      await send('POST', '/v1/products', { name: 'Mug', price: '5.00', category_id: category.id })
    ).json().data;
    const price = async () => (await solo.rest('GET', '/v1/products')).json().data[0].price;

    expect(await price()).toBe('5.00');
    statements = 0;
    expect(await price()).toBe('5.00');
    expect(statements).toBe(0);
    await send('PUT', `/v1/products/${product.id}`, { price: '6.00' });
    expect(await price()).toBe('6.00');
    await send('PUT', `/v1/products/${product.id}`, { is_active: false });
    expect((await solo.rest('GET', '/v1/products')).json().data).toEqual([]);
    expect((await solo.rest('GET', `/v1/products/${product.id}`)).statusCode).toBe(404);
  });
});
