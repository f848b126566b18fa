import { categories } from '@buybuy/db';
import { createTestDatabase, type TestDatabase } from '@buybuy/db/testing';
import { eq } from 'drizzle-orm';
import { generateOpenApiDocument } from 'trpc-to-openapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  createCategory,
  deleteCategory,
  getCategory,
  listCategories,
  loadCategoryTree,
  updateCategory,
} from '../src/categories/service';
import { firstFreeSlug, nthFreeSlug, slugify } from '../src/categories/slug';
import { appRouter } from '../src/router';
import { appError, aProduct } from './fixtures';

let test: TestDatabase;
beforeAll(async () => {
  test = await createTestDatabase();
});
afterAll(() => test.drop());

describe('slugify', () => {
  it('folds accents, lower-cases and joins words with single hyphens', () => {
    expect(slugify('  Café Crème & Brûlée!! ')).toBe('cafe-creme-brulee');
    expect(slugify('Crème --- Brûlée')).toBe('creme-brulee');
    expect(slugify('ＴＶ　Sets 4K')).toBe('tv-sets-4k');
  });

  it('falls back when nothing latin is left, and caps the length', () => {
    expect(slugify('日本')).toBe('category');
    expect(slugify('a'.repeat(400))).toHaveLength(150);
  });

  it('numbers the first free variant', () => {
    expect(firstFreeSlug('shoes', new Set())).toBe('shoes');
    expect(firstFreeSlug('shoes', new Set(['shoes', 'shoes-2']))).toBe('shoes-3');
  });

  it('counts only free candidates when asked for a later one', () => {
    expect(nthFreeSlug('shoes', new Set(['shoes', 'shoes-3']), 0)).toBe('shoes-2');
    expect(nthFreeSlug('shoes', new Set(['shoes', 'shoes-3']), 1)).toBe('shoes-4');
  });
});

describe('creating categories', () => {
  it('derives a slug from the name and numbers it when taken', async () => {
    const first = await createCategory(test.db, { name: 'Garden Tools' });
    const second = await createCategory(test.db, { name: 'Garden  tools' });
    const third = await createCategory(test.db, { name: 'GARDEN TOOLS' });
    expect([first.slug, second.slug, third.slug]).toEqual([
      'garden-tools',
      'garden-tools-2',
      'garden-tools-3',
    ]);
    expect(first).toMatchObject({ parent_id: null, is_active: true, description: null });
    expect(first.created_at).toMatch(/Z$/);
  });

  it('gives concurrent creates of one name distinct slugs', async () => {
    const created = await Promise.all(
      Array.from({ length: 6 }, () => createCategory(test.db, { name: 'Rush hour' })),
    );
    expect(created.map((c) => c.slug).sort()).toEqual([
      'rush-hour',
      'rush-hour-2',
      'rush-hour-3',
      'rush-hour-4',
      'rush-hour-5',
      'rush-hour-6',
    ]);
  });

  it('refuses an explicit slug that is taken with 409 SLUG_TAKEN on slug', async () => {
    await createCategory(test.db, { name: 'Kitchen', slug: 'kitchen' });
    expect(await appError(createCategory(test.db, { name: 'Other', slug: 'kitchen' }))).toEqual({
      status: 'CONFLICT',
      code: 'SLUG_TAKEN',
      fields: ['slug'],
    });
  });

  it('refuses an unknown parent as a field error', async () => {
    expect(await appError(createCategory(test.db, { name: 'Orphan', parent_id: 999_999 }))).toEqual(
      {
        status: 'BAD_REQUEST',
        code: 'PARENT_NOT_FOUND',
        fields: ['parent_id'],
      },
    );
  });
});

describe('moving categories', () => {
  it('refuses to make a category its own ancestor', async () => {
    const root = await createCategory(test.db, { name: 'Cycle root' });
    const child = await createCategory(test.db, { name: 'Cycle child', parent_id: root.id });
    const grandchild = await createCategory(test.db, {
      name: 'Cycle grandchild',
      parent_id: child.id,
    });

    for (const parent of [root.id, child.id, grandchild.id]) {
      expect(await appError(updateCategory(test.db, root.id, { parent_id: parent }))).toEqual({
        status: 'BAD_REQUEST',
        code: 'CATEGORY_CYCLE',
        fields: ['parent_id'],
      });
    }
    // Moving a leaf elsewhere, or to the top, is fine.
    expect((await updateCategory(test.db, grandchild.id, { parent_id: root.id })).parent_id).toBe(
      root.id,
    );
    expect(
      (await updateCategory(test.db, grandchild.id, { parent_id: null })).parent_id,
    ).toBeNull();
  });

  it('updates only the fields given and keeps the slug on rename', async () => {
    const category = await createCategory(test.db, { name: 'Lamps', description: 'Bright' });
    const updated = await updateCategory(test.db, category.id, { name: 'Lighting' });
    expect(updated).toMatchObject({ name: 'Lighting', slug: 'lamps', description: 'Bright' });
    expect(await appError(updateCategory(test.db, 999_999, { name: 'x' }))).toMatchObject({
      status: 'NOT_FOUND',
    });
  });
});

describe('the OpenAPI document', () => {
  it('generates, with the category tree as a recursive schema', () => {
    const document = generateOpenApiDocument(appRouter, {
      title: 'x',
      version: '1',
      baseUrl: 'http://x/v1',
    });
    const node = document.components?.schemas?.CategoryNode as {
      properties: Record<string, unknown>;
    };
    expect(node.properties.children).toEqual({
      type: 'array',
      items: { $ref: '#/components/schemas/CategoryNode' },
    });
  });
});

describe('visibility', () => {
  it('hides inactive categories and their whole subtree from the public', async () => {
    const db = test.db;
    const shop = await createCategory(db, { name: 'Vis shop' });
    const hidden = await createCategory(db, {
      name: 'Vis hidden',
      parent_id: shop.id,
      is_active: false,
    });
    const underHidden = await createCategory(db, {
      name: 'Vis under hidden',
      parent_id: hidden.id,
    });
    const shown = await createCategory(db, { name: 'Vis shown', parent_id: shop.id });

    const publicIds = (await listCategories(db, { tree: false, includeInactive: false })).map(
      (c) => c.id,
    );
    expect(publicIds).toEqual(expect.arrayContaining([shop.id, shown.id]));
    expect(publicIds).not.toContain(hidden.id);
    expect(publicIds).not.toContain(underHidden.id);

    const adminIds = (await listCategories(db, { tree: false, includeInactive: true })).map(
      (c) => c.id,
    );
    expect(adminIds).toEqual(expect.arrayContaining([hidden.id, underHidden.id]));

    const tree = await listCategories(db, { tree: true, includeInactive: false });
    const node = tree.find((c) => c.id === shop.id);
    expect(node?.children?.map((c) => c.id)).toEqual([shown.id]);

    expect(
      await appError(getCategory(db, underHidden.id, { includeInactive: false })),
    ).toMatchObject({ status: 'NOT_FOUND' });
    expect((await getCategory(db, underHidden.id, { includeInactive: true })).id).toBe(
      underHidden.id,
    );
    expect(
      (await getCategory(db, shop.id, { includeInactive: false })).children.map((c) => c.id),
    ).toEqual([shown.id]);
    expect(
      (await getCategory(db, shop.id, { includeInactive: true })).children.map((c) => c.id),
    ).toEqual([hidden.id, shown.id]);
  });
});

describe('the category tree pages read', () => {
  it('is reused while the categories read back unchanged, and rebuilt by any change', async () => {
    const db = test.db;
    const parent = await createCategory(db, { name: 'Tree parent' });
    const child = await createCategory(db, { name: 'Tree child', parent_id: parent.id });
    const first = await loadCategoryTree(db);
    expect(await loadCategoryTree(db)).toBe(first);
    expect(first.isPublic(child.id)).toBe(true);

    // Each column the tree holds, changed behind the API's back (no cache, no event): seen at once.
    const changes = [
      { is_active: false },
      { name: 'Tree parent renamed' },
      { slug: 'tree-parent-moved' },
    ] as const;
    let previous = first;
    for (const change of changes) {
      await db.update(categories).set(change).where(eq(categories.id, parent.id));
      const tree = await loadCategoryTree(db);
      expect(tree).not.toBe(previous);
      expect(tree.byId.get(parent.id)).toMatchObject(change);
      expect(tree.isPublic(child.id)).toBe(false); // the parent is inactive from the first change on
      previous = tree;
    }
    await db.update(categories).set({ parent_id: null }).where(eq(categories.id, child.id));
    const moved = await loadCategoryTree(db);
    expect(moved).not.toBe(previous);
    expect(moved.isPublic(child.id)).toBe(true);
    expect(moved.subtree(parent.id)).toEqual([parent.id]);

    await deleteCategory(db, child.id);
    const afterDelete = await loadCategoryTree(db);
    expect(afterDelete).not.toBe(moved);
    expect(afterDelete.byId.has(child.id)).toBe(false);
    expect(await loadCategoryTree(db)).toBe(afterDelete);
  });
});

describe('deleting categories', () => {
  it('refuses while children or products remain, then deletes', async () => {
    const parent = await createCategory(test.db, { name: 'Del parent' });
    const child = await createCategory(test.db, { name: 'Del child', parent_id: parent.id });
    expect(await appError(deleteCategory(test.db, parent.id))).toEqual({
      status: 'CONFLICT',
      code: 'CATEGORY_NOT_EMPTY',
      fields: [null],
    });

    await aProduct(test.db, { category_id: child.id });
    expect(await appError(deleteCategory(test.db, child.id))).toMatchObject({
      code: 'CATEGORY_NOT_EMPTY',
    });

    const empty = await createCategory(test.db, { name: 'Del empty' });
    expect(await deleteCategory(test.db, empty.id)).toBeNull();
    expect(await test.db.select().from(categories).where(eq(categories.id, empty.id))).toEqual([]);
    expect(await appError(deleteCategory(test.db, empty.id))).toMatchObject({
      status: 'NOT_FOUND',
    });
  });
});
