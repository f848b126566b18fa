import { type Database, productImages, products, schema } from '@buybuy/db';
import { createTestDatabase, type TestDatabase } from '@buybuy/db/testing';
import { eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/mysql2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createCategory } from '../src/categories/service';
import { listProductsInput } from '../src/products/schemas';
import {
  createProduct,
  deleteProduct,
  getProduct,
  listProducts,
  updateProduct,
} from '../src/products/service';
import { aCategory, appError, aProduct } from './fixtures';

let test: TestDatabase;
let categoryId: number;
beforeAll(async () => {
  test = await createTestDatabase();
  categoryId = await aCategory(test.db, { name: 'Everything' });
});
afterAll(() => test.drop());

const ADMIN = { includeInactive: true };
const PUBLIC = { includeInactive: false };
const list = (db: Database, query: Record<string, unknown>, visibility = PUBLIC) =>
  listProducts(db, listProductsInput.parse(query), visibility);

describe('creating products', () => {
  it('stores images in order and makes the first primary when none is', async () => {
    const product = await createProduct(test.db, {
      name: 'Lamp',
      price: '19.90',
      category_id: categoryId,
      images: [
        { image_url: 'https://img.example/a.jpg' },
        { image_url: 'https://img.example/b.jpg', alt_text: 'B' },
      ],
    });
    expect(product).toMatchObject({
      price: '19.90',
      stock_quantity: 0,
      is_active: true,
      category: { id: categoryId, slug: 'everything' },
    });
    expect(product.images.map((i) => [i.image_url, i.is_primary, i.position])).toEqual([
      ['https://img.example/a.jpg', true, 0],
      ['https://img.example/b.jpg', false, 1],
    ]);
  });

  it('lists the chosen primary image first', async () => {
    const product = await createProduct(test.db, {
      name: 'Chair',
      price: '5.00',
      category_id: categoryId,
      images: [
        { image_url: 'https://img.example/1.jpg' },
        { image_url: 'https://img.example/2.jpg', is_primary: true },
      ],
    });
    expect(product.images.map((i) => i.image_url)).toEqual([
      'https://img.example/2.jpg',
      'https://img.example/1.jpg',
    ]);
  });

  it('refuses two primary images at the second one, and writes nothing', async () => {
    const images = [
      { image_url: 'https://img.example/1.jpg', is_primary: true },
      { image_url: 'https://img.example/2.jpg' },
      { image_url: 'https://img.example/3.jpg', is_primary: true },
    ];
    expect(
      await appError(
        createProduct(test.db, { name: 'Twice', price: '1.00', category_id: categoryId, images }),
      ),
    ).toEqual({
      status: 'BAD_REQUEST',
      code: 'MULTIPLE_PRIMARY_IMAGES',
      fields: ['images.2.is_primary'],
    });
    const found = await list(test.db, { search: 'Twice' }, ADMIN);
    expect(found.pagination.total).toBe(0);
  });

  it('refuses an unknown category as a field error', async () => {
    expect(
      await appError(createProduct(test.db, { name: 'Lost', price: '1.00', category_id: 999_999 })),
    ).toEqual({
      status: 'BAD_REQUEST',
      code: 'CATEGORY_NOT_FOUND',
      fields: ['category_id'],
    });
  });
});

describe('updating and deleting products', () => {
  it('replaces the image set when images are given, and keeps it otherwise', async () => {
    const product = await createProduct(test.db, {
      name: 'Desk',
      price: '100.00',
      category_id: categoryId,
      images: [{ image_url: 'https://img.example/old.jpg' }],
    });
    const renamed = await updateProduct(test.db, product.id, { name: 'Big desk' });
    expect(renamed.images.map((i) => i.image_url)).toEqual(['https://img.example/old.jpg']);
    expect(renamed.price).toBe('100.00');

    const replaced = await updateProduct(test.db, product.id, {
      images: [
        { image_url: 'https://img.example/new1.jpg' },
        { image_url: 'https://img.example/new2.jpg' },
      ],
    });
    expect(replaced.images.map((i) => [i.image_url, i.is_primary])).toEqual([
      ['https://img.example/new1.jpg', true],
      ['https://img.example/new2.jpg', false],
    ]);
    const cleared = await updateProduct(test.db, product.id, { images: [] });
    expect(cleared.images).toEqual([]);
    expect(await appError(updateProduct(test.db, 999_999, { name: 'x' }))).toMatchObject({
      status: 'NOT_FOUND',
    });
  });

  it('deletes the product and its images', async () => {
    const product = await createProduct(test.db, {
      name: 'Gone',
      price: '1.00',
      category_id: categoryId,
      images: [{ image_url: 'https://img.example/g.jpg' }],
    });
    expect(await deleteProduct(test.db, product.id)).toBeNull();
    expect(
      await test.db.select().from(productImages).where(eq(productImages.product_id, product.id)),
    ).toEqual([]);
    expect(await appError(getProduct(test.db, product.id, ADMIN))).toMatchObject({
      status: 'NOT_FOUND',
    });
    expect(await appError(deleteProduct(test.db, product.id))).toMatchObject({
      status: 'NOT_FOUND',
    });
  });
});

describe('listing products', () => {
  let rootId: number;
  beforeAll(async () => {
    rootId = (await createCategory(test.db, { name: 'Bound root' })).id;
    const leaf = await createCategory(test.db, { name: 'Bound leaf', parent_id: rootId });
    for (let n = 0; n < 60; n++) {
      await createProduct(test.db, {
        name: `Bound ${n}`,
        price: `${n}.00`,
        category_id: n % 2 === 0 ? rootId : leaf.id,
        stock_quantity: n % 3,
        images: [
          { image_url: `https://img.example/${n}-a.jpg` },
          { image_url: `https://img.example/${n}-b.jpg` },
        ],
      });
    }
  });

  it('costs the same number of SQL statements for 5 and for 50 rows', async () => {
    let statements = 0;
    const counted = drizzle(test.pool, {
      schema,
      mode: 'default',
      logger: { logQuery: () => void statements++ },
    });
    const countFor = async (query: Record<string, unknown>) => {
      statements = 0;
      const page = await list(counted, query);
      return { statements, rows: page.items.length };
    };
    const small = await countFor({ category_id: rootId, per_page: 5 });
    const large = await countFor({ category_id: rootId, per_page: 50 });
    expect(small).toEqual({ statements: 4, rows: 5 });
    expect(large).toEqual({ statements: 4, rows: 50 });
    const filtered = await countFor({
      per_page: 50,
      search: 'Bound',
      in_stock: 'true',
      sort: 'price_desc',
    });
    // "Bound" also names two categories: their products are read apart from
    // the full-text matches (one index each), so one count more.
    expect(filtered.statements).toBe(5);
    const onlyText = await countFor({ per_page: 50, search: '3', in_stock: 'true' });
    expect(onlyText.statements).toBe(4);
  });

  it('gives each item its category and its primary image', async () => {
    const page = await list(test.db, { category_id: rootId, sort: 'price_asc', per_page: 2 });
    expect(page.items.map((p) => [p.name, p.category.name, p.primary_image?.image_url])).toEqual([
      ['Bound 0', 'Bound root', 'https://img.example/0-a.jpg'],
      ['Bound 1', 'Bound leaf', 'https://img.example/1-a.jpg'],
    ]);
    expect(page.pagination).toEqual({ page: 1, per_page: 2, total: 60, total_pages: 30 });
  });

  it('compares prices exactly as decimals', async () => {
    const page = await list(test.db, {
      category_id: rootId,
      min_price: '10',
      max_price: 12,
      sort: 'price_asc',
    });
    expect(page.items.map((p) => p.price)).toEqual(['10.00', '11.00', '12.00']);
  });
});

describe('searching products', () => {
  const names = async (query: Record<string, unknown>, visibility = PUBLIC) =>
    (await list(test.db, { ...query, sort: 'name' }, visibility)).items.map((p) => p.name);

  beforeAll(async () => {
    const audio = await aCategory(test.db, { name: 'Sound gear' });
    const headphones = await aCategory(test.db, { name: 'Headphones', parent_id: audio });
    const speakers = await aCategory(test.db, { name: 'Speakers', parent_id: audio });
    const hidden = await aCategory(test.db, { name: 'Headphones archive', is_active: false });
    const odd = await aCategory(test.db, { name: 'Odds_and 100% ends' });
    await aProduct(test.db, { name: 'Auralis Quiet', category_id: headphones });
    await aProduct(test.db, { name: 'Auralis Sport', category_id: headphones, is_active: false });
    await aProduct(test.db, { name: 'Boom Box', category_id: speakers });
    await aProduct(test.db, { name: 'Old Auralis', category_id: hidden });
    await aProduct(test.db, { name: 'Misc Thing', category_id: odd });
  });

  it("finds a product by its own category's name, in any case", async () => {
    expect(await names({ search: 'headphones' })).toEqual(['Auralis Quiet']);
    expect(await names({ search: 'HEADPHONE' })).toEqual(['Auralis Quiet']);
    expect(await names({ search: 'speakers' })).toEqual(['Boom Box']);
    // Its name or description still count on their own.
    expect(await names({ search: 'auralis' })).toEqual(['Auralis Quiet']);
  });

  it("matches the product's own category, not its ancestors'", async () => {
    expect(await names({ search: 'sound gear' })).toEqual([]);
  });

  it('keeps hidden products and categories hidden from the public, not from admins', async () => {
    expect(await names({ search: 'headphones' }, ADMIN)).toEqual([
      'Auralis Quiet',
      'Auralis Sport',
      'Old Auralis',
    ]);
  });

  it('reads %, _ and \\ as text, never as wildcards, in category names too', async () => {
    // Between words they only separate words, as any punctuation does.
    expect(await names({ search: '_and' })).toEqual(['Misc Thing']);
    expect(await names({ search: '100%' })).toEqual(['Misc Thing']);
    expect(await names({ search: 'Odds%ends' })).toEqual(['Misc Thing']);
    expect(await names({ search: 'Odds sound' })).toEqual([]);
    // Alone, they are found as typed: only the name that holds them matches.
    expect(await names({ search: '%' })).toEqual(['Misc Thing']);
    expect(await names({ search: '_' })).toEqual(['Misc Thing']);
    expect(await names({ search: '\\' })).toEqual([]);
    expect(await names({ search: "' OR 1=1 --" })).toEqual([]);
  });
});

describe('full-text search (issue 13)', () => {
  let lamps: number;
  const found = async (query: Record<string, unknown>) => {
    const page = await list(test.db, { category_id: lamps, ...query }, PUBLIC);
    return { names: page.items.map((p) => p.name), total: page.pagination.total };
  };

  beforeAll(async () => {
    lamps = await aCategory(test.db, { name: 'Lighting' });
    const made = (name: string, description: string | null, created: string) => ({
      name,
      description,
      price: '20.00',
      category_id: lamps,
      stock_quantity: 5,
      created_at: new Date(created),
    });
    await test.db
      .insert(products)
      .values([
        made('Oak Desk Lamp', 'A warm lamp of solid oak', '2026-01-01'),
        made('Brass Floor Lamp', 'Tall, with an oak base', '2026-01-02'),
        made('Oak Shelf', 'Holds books, not light', '2026-01-03'),
        made('TV Backlight', 'LED strip for the back of a TV, 4k ready', '2026-01-04'),
        made('Lantern', 'The lamp for the garden', '2026-01-05'),
      ]);
  });

  it('finds every word, as a word prefix, in the name or the description', async () => {
    expect((await found({ search: 'lamp', sort: 'name' })).names).toEqual([
      'Brass Floor Lamp',
      'Lantern',
      'Oak Desk Lamp',
    ]);
    expect((await found({ search: 'oak lamp', sort: 'name' })).names).toEqual([
      'Brass Floor Lamp',
      'Oak Desk Lamp',
    ]);
    expect((await found({ search: 'BRA' })).names).toEqual(['Brass Floor Lamp']);
    // A prefix, not any substring: "amp" is no word's start.
    expect((await found({ search: 'amp' })).names).toEqual([]);
  });

  it('ranks by relevance when no sort is given, and counts exactly', async () => {
    // "Oak Desk Lamp" holds "oak" and "lamp" twice between its name and description.
    const ranked = await found({ search: 'oak lamp' });
    expect(ranked.names[0]).toBe('Oak Desk Lamp');
    expect(ranked.total).toBe(2);
    expect((await found({ search: 'lamp', per_page: 1 })).total).toBe(3);
  });

  it('matches words the index cannot hold (short ones, stopwords) as text', async () => {
    expect((await found({ search: 'tv' })).names).toEqual(['TV Backlight']);
    expect((await found({ search: '4k led' })).names).toEqual(['TV Backlight']);
    // "the" is a stopword: read as text, so it still has to be there.
    expect((await found({ search: 'the lamp' })).names).toEqual(['Lantern']);
    expect((await found({ search: 'of', sort: 'name' })).names).toEqual([
      'Oak Desk Lamp',
      'TV Backlight',
    ]);
  });

  it('sorts newest first when asked for relevance with nothing to rank', async () => {
    expect((await found({ sort: 'relevance', per_page: 2 })).names).toEqual([
      'Lantern',
      'TV Backlight',
    ]);
    expect((await found({ search: 'tv', sort: 'relevance' })).names).toEqual(['TV Backlight']);
  });

  it("pages through text matches, then the named category's other products, each once", async () => {
    const shades = await aCategory(test.db, { name: 'Lamp shades', parent_id: lamps });
    await test.db.insert(products).values([
      {
        name: 'Drum Shade',
        price: '9.00',
        category_id: shades,
        created_at: new Date('2026-02-01'),
      },
      {
        name: 'Cone Shade',
        price: '8.00',
        category_id: shades,
        created_at: new Date('2026-02-02'),
      },
    ]);
    const pages = await Promise.all(
      [1, 2, 3].map((page) => found({ search: 'lamp', per_page: 2, page })),
    );
    expect(pages.map((page) => page.total)).toEqual([5, 5, 5]);
    const names = pages.flatMap((page) => page.names);
    expect(names.slice(0, 3).sort()).toEqual(['Brass Floor Lamp', 'Lantern', 'Oak Desk Lamp']);
    expect(names.slice(3)).toEqual(['Cone Shade', 'Drum Shade']);
    expect(
      (await found({ search: 'lamp', sort: 'price_asc', per_page: 2, page: 1 })).names,
    ).toEqual(['Cone Shade', 'Drum Shade']);
  });

  it('counts every match on each page, and past the last one (where no row carries the count)', async () => {
    // `oak` matches three; the page's statement counts them as it ranks them.
    const pages = await Promise.all(
      [1, 2, 3, 9].map((page) => found({ search: 'oak', per_page: 2, page })),
    );
    expect(pages.map((page) => [page.names.length, page.total])).toEqual([
      [2, 3],
      [1, 3],
      [0, 3],
      [0, 3],
    ]);
    expect(await found({ search: 'walnut' })).toEqual({ names: [], total: 0 });
    expect(await found({ search: 'walnut', page: 4 })).toEqual({ names: [], total: 0 });
  });

  it('combines with the other filters', async () => {
    expect((await found({ search: 'oak', min_price: '25' })).names).toEqual([]);
    expect((await found({ search: 'oak', max_price: '25', sort: 'name' })).names).toEqual([
      'Brass Floor Lamp',
      'Oak Desk Lamp',
      'Oak Shelf',
    ]);
  });
});
