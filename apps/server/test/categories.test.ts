import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestApp, type TestApp, trpcFailure } from './harness';

let t: TestApp;
let admin: string;
let customer: string;

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.tokenFor('catadmin', { admin: true });
  customer = await t.tokenFor('catcustomer');
});
afterAll(() => t.close());

const create = async (body: Record<string, unknown>) => {
  const res = await t.rest('POST', '/v1/categories', { token: admin, body });
  expect(res.statusCode).toBe(201);
  return res.json().data as { id: number; slug: string; parent_id: number | null };
};

/** The error data a tRPC call failed with. */
describe('POST /v1/categories', () => {
  it('creates with 201 and derives an ascii slug, numbering repeats', async () => {
    const res = await t.rest('POST', '/v1/categories', {
      token: admin,
      body: { name: 'Électroménager Été' },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      success: true,
      message: 'Created',
      data: {
        name: 'Électroménager Été',
        slug: 'electromenager-ete',
        parent_id: null,
        is_active: true,
        description: null,
      },
    });
    expect(res.json().data.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect((await create({ name: 'electromenager ete' })).slug).toBe('electromenager-ete-2');
  });

  it('answers 409 SLUG_TAKEN on slug for an explicit slug in use', async () => {
    await create({ name: 'Toys', slug: 'toys' });
    const res = await t.rest('POST', '/v1/categories', {
      token: admin,
      body: { name: 'More toys', slug: 'toys' },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({
      success: false,
      data: null,
      errors: [{ field: 'slug', code: 'SLUG_TAKEN' }],
    });
  });

  it('gives field errors for bad input and an unknown parent', async () => {
    const bad = await t.rest('POST', '/v1/categories', {
      token: admin,
      body: { name: '', slug: 'Not A Slug', is_active: 'false', extra: 1 },
    });
    expect(bad.statusCode).toBe(400);
    const fields = bad.json().errors.map((e: { field: string | null }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['name', 'slug', 'is_active']));
    expect(bad.json().errors.some((e: { message: string }) => e.message.includes('extra'))).toBe(
      true,
    );

    const orphan = await t.rest('POST', '/v1/categories', {
      token: admin,
      body: { name: 'Orphan', parent_id: 987654 },
    });
    expect(orphan.statusCode).toBe(400);
    expect(orphan.json().errors).toEqual([
      expect.objectContaining({ field: 'parent_id', code: 'PARENT_NOT_FOUND' }),
    ]);
  });

  it('creates through tRPC too', async () => {
    const category = await t
      .trpc(admin)
      .categories.create.mutate({ name: 'Via tRPC', is_active: false });
    expect(category).toMatchObject({ slug: 'via-trpc', is_active: false });
    expect(
      await trpcFailure(t.trpc(admin).categories.create.mutate({ name: 'Dup', slug: 'via-trpc' })),
    ).toMatchObject({
      code: 'SLUG_TAKEN',
      httpStatus: 409,
      errors: [{ field: 'slug', code: 'SLUG_TAKEN' }],
    });
  });
});

describe('GET /v1/categories', () => {
  let root: { id: number };
  let child: { id: number };
  let hidden: { id: number };
  beforeAll(async () => {
    root = await create({ name: 'List root' });
    child = await create({ name: 'List child', parent_id: root.id });
    await create({ name: 'List grandchild', parent_id: child.id });
    hidden = await create({ name: 'List hidden', parent_id: root.id, is_active: false });
  });

  it('lists active categories flat with parent_id, with and without a trailing slash', async () => {
    for (const path of ['/v1/categories', '/v1/categories/']) {
      const res = await t.rest('GET', path);
      expect(res.statusCode).toBe(200);
      const data = res.json().data as {
        id: number;
        parent_id: number | null;
        children?: unknown;
      }[];
      expect(data.find((c) => c.id === child.id)).toMatchObject({ parent_id: root.id });
      expect(data.find((c) => c.id === child.id)).not.toHaveProperty('children');
      expect(data.map((c) => c.id)).not.toContain(hidden.id);
    }
  });

  it('nests children with tree=true and reads tree=false as false', async () => {
    const tree = (await t.rest('GET', '/v1/categories?tree=true')).json().data as {
      id: number;
      children: { name: string; children: { name: string }[] }[];
    }[];
    const node = tree.find((c) => c.id === root.id)!;
    expect(node.children.map((c) => c.name)).toEqual(['List child']);
    expect(node.children[0]!.children.map((c) => c.name)).toEqual(['List grandchild']);
    expect(tree.map((c) => c.id)).not.toContain(child.id);

    for (const flag of ['false', '0']) {
      const flat = (await t.rest('GET', `/v1/categories?tree=${flag}`)).json().data as {
        id: number;
      }[];
      expect(flat.map((c) => c.id)).toContain(child.id);
    }
    const viaTrpc = await t.trpc().categories.list.query({ tree: true });
    expect(viaTrpc.find((c) => c.id === root.id)?.children?.map((c) => c.name)).toEqual([
      'List child',
    ]);
  });

  it('lets only admins include inactive categories', async () => {
    const res = await t.rest('GET', '/v1/categories?include_inactive=1', { token: admin });
    expect(res.json().data.map((c: { id: number }) => c.id)).toContain(hidden.id);
    expect((await t.rest('GET', '/v1/categories?include_inactive=true')).statusCode).toBe(403);
    expect(
      (await t.rest('GET', '/v1/categories?include_inactive=true', { token: customer })).statusCode,
    ).toBe(403);
    expect(
      (await t.rest('GET', '/v1/categories?include_inactive=false', { token: customer }))
        .statusCode,
    ).toBe(200);
    expect(
      await trpcFailure(t.trpc(customer).categories.list.query({ include_inactive: true })),
    ).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('refuses unknown flags and unknown query keys with 400', async () => {
    const maybe = await t.rest('GET', '/v1/categories?tree=maybe');
    expect(maybe.statusCode).toBe(400);
    expect(maybe.json().errors[0]).toMatchObject({ field: 'tree', code: 'VALIDATION' });
    expect((await t.rest('GET', '/v1/categories?sort=name')).statusCode).toBe(400);
  });
});

describe('GET /v1/categories/{id}', () => {
  it('returns the category with its direct children, inactive ones for admins only', async () => {
    const parent = await create({ name: 'Detail parent' });
    const active = await create({ name: 'Detail active', parent_id: parent.id });
    const inactive = await create({
      name: 'Detail inactive',
      parent_id: parent.id,
      is_active: false,
    });
    await create({ name: 'Detail grandchild', parent_id: active.id });

    const pub = await t.rest('GET', `/v1/categories/${parent.id}`);
    expect(pub.statusCode).toBe(200);
    expect(pub.json().data.children.map((c: { id: number }) => c.id)).toEqual([active.id]);
    const asAdmin = await t.trpc(admin).categories.byId.query({ id: parent.id });
    expect(asAdmin.children.map((c) => c.id)).toEqual([active.id, inactive.id]);

    expect((await t.rest('GET', `/v1/categories/${inactive.id}`)).statusCode).toBe(404);
    expect(
      (await t.rest('GET', `/v1/categories/${inactive.id}`, { token: admin })).statusCode,
    ).toBe(200);
  });

  it('answers 404 for unknown ids and 400 for ids that are not ids', async () => {
    const missing = await t.rest('GET', '/v1/categories/999999');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ success: false, errors: [{ code: 'NOT_FOUND' }] });
    for (const id of ['abc', '0', '-1', '1.5', "1' OR 1=1 --"]) {
      expect((await t.rest('GET', `/v1/categories/${encodeURIComponent(id)}`)).statusCode).toBe(
        400,
      );
    }
    expect(await trpcFailure(t.trpc().categories.byId.query({ id: 999999 }))).toMatchObject({
      code: 'NOT_FOUND',
      httpStatus: 404,
    });
  });
});

describe('PUT /v1/categories/{id}', () => {
  it('updates partially and refuses cycles with CATEGORY_CYCLE on parent_id', async () => {
    const a = await create({ name: 'Cycle A' });
    const b = await create({ name: 'Cycle B', parent_id: a.id });
    const c = await create({ name: 'Cycle C', parent_id: b.id });

    const renamed = await t.rest('PUT', `/v1/categories/${a.id}`, {
      token: admin,
      body: { description: 'Top' },
    });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json().data).toMatchObject({
      name: 'Cycle A',
      description: 'Top',
      slug: 'cycle-a',
    });

    for (const parent of [a.id, c.id]) {
      const res = await t.rest('PUT', `/v1/categories/${a.id}`, {
        token: admin,
        body: { parent_id: parent },
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().errors).toEqual([
        expect.objectContaining({ field: 'parent_id', code: 'CATEGORY_CYCLE' }),
      ]);
    }
    expect(
      await trpcFailure(t.trpc(admin).categories.update.mutate({ id: b.id, parent_id: c.id })),
    ).toMatchObject({ code: 'CATEGORY_CYCLE' });

    const moved = await t.trpc(admin).categories.update.mutate({ id: c.id, parent_id: null });
    expect(moved.parent_id).toBeNull();
  });

  it('answers 409 for a taken slug, 404 for an unknown id, 401/403 for non-admins', async () => {
    const x = await create({ name: 'Slug X' });
    await create({ name: 'Slug Y' });
    const taken = await t.rest('PUT', `/v1/categories/${x.id}`, {
      token: admin,
      body: { slug: 'slug-y' },
    });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().errors[0]).toMatchObject({ field: 'slug', code: 'SLUG_TAKEN' });
    expect(
      (await t.rest('PUT', '/v1/categories/999999', { token: admin, body: { name: 'x' } }))
        .statusCode,
    ).toBe(404);
    expect(
      (await t.rest('PUT', `/v1/categories/${x.id}`, { body: { name: 'x' } })).statusCode,
    ).toBe(401);
    expect(
      (await t.rest('PUT', `/v1/categories/${x.id}`, { token: customer, body: { name: 'x' } }))
        .statusCode,
    ).toBe(403);
  });
});

describe('DELETE /v1/categories/{id}', () => {
  it('refuses with 409 CATEGORY_NOT_EMPTY while children remain, then deletes', async () => {
    const parent = await create({ name: 'Delete parent' });
    const child = await create({ name: 'Delete child', parent_id: parent.id });
    const refused = await t.rest('DELETE', `/v1/categories/${parent.id}`, { token: admin });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().errors[0]).toMatchObject({ field: null, code: 'CATEGORY_NOT_EMPTY' });

    const deleted = await t.rest('DELETE', `/v1/categories/${child.id}`, { token: admin });
    expect(deleted.statusCode).toBe(200);
    expect(deleted.json()).toMatchObject({ success: true, data: null });
    expect(await t.trpc(admin).categories.delete.mutate({ id: parent.id })).toBeNull();
    expect((await t.rest('GET', `/v1/categories/${parent.id}`, { token: admin })).statusCode).toBe(
      404,
    );
    expect(
      (await t.rest('DELETE', `/v1/categories/${parent.id}`, { token: admin })).statusCode,
    ).toBe(404);
  });

  it('refuses while products remain, and needs an admin', async () => {
    const category = await create({ name: 'Delete with product' });
    const product = await t.rest('POST', '/v1/products', {
      token: admin,
      body: { name: 'Keeper', price: '1.00', category_id: category.id },
    });
    expect(product.statusCode).toBe(201);
    const refused = await t.rest('DELETE', `/v1/categories/${category.id}`, { token: admin });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().errors[0].code).toBe('CATEGORY_NOT_EMPTY');
    expect((await t.rest('DELETE', `/v1/categories/${category.id}`)).statusCode).toBe(401);
    expect(
      (await t.rest('DELETE', `/v1/categories/${category.id}`, { token: customer })).statusCode,
    ).toBe(403);
  });
});
